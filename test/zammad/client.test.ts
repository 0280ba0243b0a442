import { describe, expect, it } from 'vitest';
import { displayName, getMe, ZammadError } from '../../lib/delivery/zammad';
import { SEED_TOKENS, useStandIn } from './helpers';

// The extension's Zammad client against the stand-in, over real HTTP.
const h = useStandIn({ reset: false });

describe('lib/delivery/zammad getMe', () => {
  it('returns the token owner', async () => {
    const me = await getMe({ url: h.base, token: SEED_TOKENS.agent });
    expect(displayName(me)).toBe('Agent Témoin (agent@axialys.example)');
  });

  it.each([
    ['an unknown token', 'nope', 401, 'auth', "Can't find User for Token"],
    ['an expired token', SEED_TOKENS.expired, 401, 'auth', 'Not authorized (token expired)!'],
  ])('maps %s to a clear error', async (_n, token, status, kind, message) => {
    const err = await getMe({ url: h.base, token }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZammadError);
    expect(err).toMatchObject({ status, kind, message });
  });

  it('maps a 503 HTML page and a dropped connection', async () => {
    await h.knobs({ status: 503, times: 1, path: '/api/v1/users/me' });
    await expect(getMe({ url: h.base, token: SEED_TOKENS.agent })).rejects.toMatchObject({ status: 503, kind: 'server', message: 'HTTP 503' });
    await h.knobs({ dropConnection: 1 });
    await expect(getMe({ url: h.base, token: SEED_TOKENS.agent })).rejects.toMatchObject({ status: null, kind: 'network' });
  });

  it('times out on a slow server', async () => {
    await h.knobs({ delayMs: 2000, times: 1 });
    await expect(getMe({ url: h.base, token: SEED_TOKENS.agent, timeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout' });
  });
});
