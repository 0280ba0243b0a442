/** §1 authentication, §1.4 CSRF, §7 CORS, §9 no-cache, §10.1/10.6/10.7, routing and negotiation. */
import { describe, expect, it } from 'vitest';
import { JSON_HEADERS, SEED_TOKENS, useStandIn, ticketBody } from './helpers';
import { SEED_BASIC } from '../../dev/zammad/index';

const h = useStandIn();

const ALLOW_HEADERS = 'Content-Type, Depth, User-Agent, X-File-Size, X-Requested-With, If-Modified-Since, X-File-Name, Cache-Control, Accept-Language';

function expectError(r: { status: number; headers: Record<string, unknown>; json(): unknown }, status: number, message: string, xFailure = true) {
  expect(r.status).toBe(status);
  expect(r.json()).toEqual({ error: message, error_human: message });
  if (xFailure) expect(r.headers['x-failure']).toBe(message);
  expect(r.headers['access-control-allow-origin']).toBeUndefined();
}

describe('accepted header forms', () => {
  it.each([
    ['Token token=<t>', `Token token=${SEED_TOKENS.agent}`],
    ['Token <t>', `Token ${SEED_TOKENS.agent}`],
    ['Token token="<t>"', `Token token="${SEED_TOKENS.agent}"`],
    ['Bearer <personal token>', `Bearer ${SEED_TOKENS.agent}`],
    ['Basic login:password', `Basic ${Buffer.from(`${SEED_BASIC.login}:${SEED_BASIC.password}`).toString('base64')}`],
  ])('%s authenticates as the agent', async (_name, authorization) => {
    const r = await h.request('GET', '/api/v1/users/me', { headers: { ...JSON_HEADERS, Authorization: authorization } });
    expect(r.status).toBe(200);
    const me = r.json();
    expect(me).toMatchObject({ id: 2, login: 'agent@axialys.example', firstname: 'Agent', lastname: 'Témoin', email: 'agent@axialys.example', active: true });
    expect(me.role_ids).toEqual([2]);
    expect(me).not.toHaveProperty('password');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('GET /users/me with the customer token returns Client Démo', async () => {
    const r = await h.api('GET', '/api/v1/users/me', undefined, SEED_TOKENS.customer);
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ id: 3, firstname: 'Client', lastname: 'Démo', role_ids: [3] });
  });
});

describe('failure responses (§1.2)', () => {
  it('no credentials: 403 Authentication required', async () => {
    expectError(await h.request('GET', '/api/v1/users/me', { headers: JSON_HEADERS }), 403, 'Authentication required');
  });

  it('an unknown Authorization scheme counts as no credentials', async () => {
    expectError(await h.request('GET', '/api/v1/users/me', { headers: { ...JSON_HEADERS, Authorization: 'Digest abc' } }), 403, 'Authentication required');
  });

  it("unknown token: 401 Can't find User for Token", async () => {
    expectError(await h.api('GET', '/api/v1/users/me', undefined, 'bad'), 401, "Can't find User for Token");
  });

  it('unknown Bearer token: 401 The provided token is invalid.', async () => {
    const r = await h.request('GET', '/api/v1/users/me', { headers: { ...JSON_HEADERS, Authorization: 'Bearer nope' } });
    expectError(r, 401, 'The provided token is invalid.');
  });

  it('expired token: 401 Not authorized (token expired)!', async () => {
    expectError(await h.api('GET', '/api/v1/users/me', undefined, SEED_TOKENS.expired), 401, 'Not authorized (token expired)!');
  });

  it('wrong Basic password: 401 Invalid BasicAuth credentials', async () => {
    const auth = `Basic ${Buffer.from(`${SEED_BASIC.login}:wrong`).toString('base64')}`;
    expectError(await h.request('GET', '/api/v1/users/me', { headers: { ...JSON_HEADERS, Authorization: auth } }), 401, 'Invalid BasicAuth credentials');
  });

  it('inactive user: 401 unified login error', async () => {
    expectError(
      await h.api('GET', '/api/v1/users/me', undefined, SEED_TOKENS.disabledUser),
      401,
      'Login failed. Have you double-checked your credentials and completed the email verification step?',
    );
  });

  it('token without ticket permission: 403 Not authorized (token)! on ticket create', async () => {
    expectError(await h.api('POST', '/api/v1/tickets', ticketBody(), SEED_TOKENS.noTicketPermission), 403, 'Not authorized (token)!');
    expect(await h.stored()).toEqual([]);
  });

  it('token without ticket permission: 403 Not authorized (token)! on article create and groups', async () => {
    expectError(await h.api('POST', '/api/v1/ticket_articles', { ticket_id: 1, body: 'x' }, SEED_TOKENS.noTicketPermission), 403, 'Not authorized (token)!');
    expectError(await h.api('GET', '/api/v1/groups', undefined, SEED_TOKENS.noTicketPermission), 403, 'Not authorized (token)!');
  });

  it('the same token still reads /users/me (no permission needed)', async () => {
    expect((await h.api('GET', '/api/v1/users/me', undefined, SEED_TOKENS.noTicketPermission)).status).toBe(200);
  });

  it('HTML error page when the request does not negotiate JSON', async () => {
    const r = await h.request('GET', '/api/v1/users/me', { headers: { Accept: 'text/html', Authorization: 'Token token=bad' } });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toContain('<title>401: Unauthorized</title>');
    expect(r.text).toContain("<div>Can&#39;t find User for Token</div>");
    expect(r.headers['x-failure']).toBe("Can't find User for Token");
  });

  it('Accept: */* yields JSON', async () => {
    const r = await h.request('GET', '/api/v1/users/me', { headers: { Accept: '*/*' } });
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.json()).toEqual({ error: 'Authentication required', error_human: 'Authentication required' });
  });
});

describe('session cookie and CSRF (§1.4)', () => {
  const cookie = '_zammad_session_3b8e1a2c=abc123';

  it('a POST carrying a Zammad session cookie fails CSRF even with a valid token, and stores nothing', async () => {
    const r = await h.request('POST', '/api/v1/tickets', {
      token: SEED_TOKENS.agent,
      headers: { ...JSON_HEADERS, Cookie: cookie },
      body: ticketBody(),
    });
    expectError(r, 401, 'CSRF token verification failed!');
    expect(await h.stored()).toEqual([]);
  });

  it('the same POST without the cookie (credentials omitted) succeeds', async () => {
    const r = await h.request('POST', '/api/v1/tickets', { token: SEED_TOKENS.agent, headers: { ...JSON_HEADERS, Cookie: 'other=1' }, body: ticketBody() });
    expect(r.status).toBe(201);
  });

  it('a GET with the session cookie runs as the logged-in user, without CORS headers', async () => {
    const r = await h.request('GET', '/api/v1/users/me', { token: SEED_TOKENS.customer, headers: { ...JSON_HEADERS, Cookie: cookie } });
    expect(r.status).toBe(200);
    expect(r.json().id).toBe(2);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS (§7) and caching (§9)', () => {
  it('OPTIONS on any path: 200, empty body, exactly the CORS headers, no Authorization', async () => {
    for (const p of ['/api/v1/tickets', '/api/v1/does-not-exist']) {
      const r = await h.request('OPTIONS', p, { headers: { Origin: 'https://example.test', 'Access-Control-Request-Method': 'POST' } });
      expect(r.status).toBe(200);
      expect(r.text).toBe('');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(r.headers['access-control-allow-methods']).toBe('POST, GET, PUT, DELETE, PATCH, OPTIONS');
      expect(r.headers['access-control-allow-headers']).toBe(ALLOW_HEADERS);
      expect(r.headers['access-control-max-age']).toBe('1728000');
      expect(r.headers['access-control-allow-headers']).not.toMatch(/Authorization|From/);
    }
  });

  it('successful token and basic responses carry ACAO *', async () => {
    expect((await h.api('GET', '/api/v1/users/me')).headers['access-control-allow-origin']).toBe('*');
    const basic = `Basic ${Buffer.from(`${SEED_BASIC.login}:${SEED_BASIC.password}`).toString('base64')}`;
    const r = await h.request('GET', '/api/v1/users/me', { headers: { Authorization: basic } });
    expect(r.headers['access-control-allow-origin']).toBe('*');
  });

  it('error responses (401/403/404/422) carry no ACAO', async () => {
    expect((await h.api('GET', '/api/v1/users/me', undefined, 'bad')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await h.request('GET', '/api/v1/users/me')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await h.api('GET', '/api/v1/tickets/999')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await h.api('POST', '/api/v1/tickets', ticketBody({ group: 'Nope' }))).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('responses carry the no-cache headers', async () => {
    for (const r of [await h.api('GET', '/api/v1/users/me'), await h.api('POST', '/api/v1/tickets', ticketBody()), await h.api('GET', '/api/v1/users/me', undefined, 'bad')]) {
      expect(r.headers['cache-control']).toBe('no-cache, no-store, max-age=0, must-revalidate');
      expect(r.headers.pragma).toBe('no-cache');
      expect(r.headers.expires).toBe('-1');
    }
  });
});

describe('routing and unexpected errors', () => {
  it('unknown route: 404 routing error JSON, without authentication', async () => {
    const r = await h.request('GET', '/api/v1/nothing/here', { headers: JSON_HEADERS });
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ error: 'No route matches [GET] /api/v1/nothing/here', error_human: 'No route matches [GET] /api/v1/nothing/here' });
  });

  it('known path with an unrouted method is a routing error too', async () => {
    const r = await h.api('PATCH', '/api/v1/users/me');
    expect(r.status).toBe(404);
    expect(r.json().error).toBe('No route matches [PATCH] /api/v1/users/me');
  });

  it('malformed JSON body: 400 from Rails', async () => {
    const r = await h.request('POST', '/api/v1/tickets', { token: SEED_TOKENS.agent, headers: JSON_HEADERS, body: '{"title":' });
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({ status: 400, error: 'Bad Request' });
  });
});

describe('GET /api/v1/groups', () => {
  it('lists Users (1), Support technique (2) and an inactive group', async () => {
    const r = await h.api('GET', '/api/v1/groups');
    expect(r.status).toBe(200);
    const groups = r.json() as { id: number; name: string; active: boolean }[];
    expect(groups.map((g) => [g.id, g.name, g.active])).toEqual([
      [1, 'Users', true],
      [2, 'Support technique', true],
      [3, 'Archives 2019', false],
    ]);
  });

  it('is readable with a customer token too', async () => {
    expect((await h.api('GET', '/api/v1/groups', undefined, SEED_TOKENS.customer)).status).toBe(200);
  });
});
