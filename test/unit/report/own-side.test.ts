import { describe, expect, it } from 'vitest';
import type { Environment } from '../../../lib/capture/env';
import { checkOwnSide, DEFAULT_CHECK_ORIGIN, surfaceOrigin } from '../../../lib/report/own-side';

const frame = (frameId: number, url: string, surface: 'bar' | 'other', live = true) => ({ frameId, url, surface, live });

describe('surfaceOrigin', () => {
  it('takes the live top frame when it is a surface, else the embedded surface, else the default', () => {
    expect(surfaceOrigin({ frames: [frame(0, 'https://admin.axialys.net/#/svi', 'bar' as never)] } as never)).toBe('https://admin.axialys.net');
    expect(surfaceOrigin({ frames: [frame(0, 'https://crm.example.test/', 'other'), frame(4, 'https://voice-management.axialys.com/operateurs/index.htm', 'bar')] } as never)).toBe(
      'https://voice-management.axialys.com',
    );
    expect(surfaceOrigin({ frames: [frame(0, 'https://admin.axialys.net/', 'bar', false)] } as never)).toBe(DEFAULT_CHECK_ORIGIN);
    expect(surfaceOrigin({ frames: [] } as never)).toBe(DEFAULT_CHECK_ORIGIN);
  });
});

describe('checkOwnSide', () => {
  it('uses the page\'s online state and microphone permission, and the Date header for the clock', async () => {
    let clock = 1_800_000_000_000;
    const requested: string[] = [];
    const env = { online: false, microphonePermission: 'denied' } as Environment;
    const r = await checkOwnSide({
      origin: 'https://voice-management.axialys.com',
      env,
      stunServer: 'stun:stun.example.net:3478',
      now: () => (clock += 10),
      fetchImpl: async (url) => {
        requested.push(url);
        return { headers: { get: (h: string) => (h.toLowerCase() === 'date' ? new Date(clock + 60_000).toUTCString() : null) } };
      },
      RTCPeerConnection: undefined,
    });
    expect(r.prechecks.map((p) => [p.id, p.status])).toEqual([
      ['online', 'fail'],
      ['latency', 'pass'],
      ['udp', 'warn'],
      ['microphone', 'fail'],
    ]);
    expect(r.skew.ok && r.skew.flagged).toBe(true);
    expect(r.skew.ok && Math.round(r.skew.offsetMs / 1000)).toBe(60);
    expect(requested.every((u) => u === 'https://voice-management.axialys.com/api/ping')).toBe(true);
  });

  it('says unknown rather than guessing when the page gave no environment', async () => {
    const r = await checkOwnSide({
      origin: 'https://voice-management.axialys.com',
      env: null,
      stunServer: 'stun:stun.example.net:3478',
      fetchImpl: async () => {
        throw new TypeError('Failed to fetch');
      },
      RTCPeerConnection: undefined,
    });
    expect(r.prechecks.map((p) => [p.id, p.status, p.messageKey])).toEqual([
      ['online', 'warn', 'precheck_online_unknown'],
      ['latency', 'fail', 'precheck_latency_unreachable'],
      ['udp', 'warn', 'precheck_udp_unavailable'],
      ['microphone', 'warn', 'precheck_mic_unknown'],
    ]);
    expect(r.skew).toMatchObject({ ok: false, reason: 'network-error' });
  });
});
