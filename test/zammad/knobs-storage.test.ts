/** Fault knobs (§10.8), storage on disk, the HTML index and reset. */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createZammadStandIn } from '../../dev/zammad/index';
import { b64, JSON_HEADERS, MASKED, PNG_1x1, SEED_TOKENS, useStandIn, ticketBody } from './helpers';

const h = useStandIn();

const create = (body: unknown = ticketBody(), opts: { timeoutMs?: number } = {}) =>
  h.request('POST', '/api/v1/tickets', { token: SEED_TOKENS.agent, headers: JSON_HEADERS, body, ...opts });

const NGINX_503 =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe('status knob', () => {
  it('503 HTML for the next N matching requests only', async () => {
    expect((await h.knobs({ status: 503, times: 2, path: '/api/v1/tickets' })).status).toBe(200);
    expect((await h.api('GET', '/api/v1/users/me')).status).toBe(200); // other path untouched
    for (let i = 0; i < 2; i++) {
      const r = await create();
      expect(r.status).toBe(503);
      expect(r.headers['content-type']).toBe('text/html');
      expect(r.text).toBe(NGINX_503);
    }
    expect((await create()).status).toBe(201);
    expect((await h.stored()).length).toBe(1);
  });

  it('500 is the masked JSON of Zammad', async () => {
    await h.knobs({ status: 500 });
    const r = await h.api('GET', '/api/v1/users/me');
    expect(r.status).toBe(500);
    expect(Object.keys(r.json())).toEqual(['error']);
    expect(r.json().error).toMatch(MASKED);
    expect((await h.api('GET', '/api/v1/users/me')).status).toBe(200);
  });

  it('502 is the nginx Bad Gateway page', async () => {
    await h.knobs({ status: 502, method: 'GET' });
    expect((await create()).status).toBe(201); // POST not matched
    const r = await h.api('GET', '/api/v1/users/me');
    expect(r.status).toBe(502);
    expect(r.text).toContain('<title>502 Bad Gateway</title>');
  });

  it('a trailing * makes the path a prefix', async () => {
    await h.knobs({ status: 503, path: '/api/v1/tickets*' });
    expect((await h.api('POST', '/api/v1/tickets/search', {})).status).toBe(503);
  });

  it('knob bodies are validated', async () => {
    const r = await h.knobs({ status: 'x' });
    expect(r.status).toBe(400);
    expect((await h.knobs({ unknownKnob: 1 })).status).toBe(400);
    expect((await h.request('GET', '/__standin/knobs')).json().knobs.faults).toEqual([]);
  });
});

describe('delay, drop, 429', () => {
  it('delayMs delays matching requests', async () => {
    await h.knobs({ delayMs: 300, times: 1 });
    let t0 = Date.now();
    expect((await h.api('GET', '/api/v1/users/me')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    t0 = Date.now();
    await h.api('GET', '/api/v1/users/me');
    expect(Date.now() - t0).toBeLessThan(250);
  });

  it('dropConnection destroys the socket without a response', async () => {
    await h.knobs({ dropConnection: 1 });
    await expect(create()).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await h.stored()).toEqual([]);
    expect((await create()).status).toBe(201);
  });

  it('rateLimit429: next N get 429 text/plain Retry later, no Retry-After', async () => {
    await h.knobs({ rateLimit429: 3 });
    for (let i = 0; i < 3; i++) {
      const r = await create();
      expect(r.status).toBe(429);
      expect(r.headers['content-type']).toBe('text/plain');
      expect(r.text).toBe('Retry later\n');
      expect(r.headers['retry-after']).toBeUndefined();
    }
    expect((await create()).status).toBe(201);
    expect((await h.stored()).length).toBe(1);
  });
});

describe('timeoutAfterCommit', () => {
  it('commits the ticket, then never answers; the condition search finds it', async () => {
    await h.knobs({ timeoutAfterCommit: true });
    const ref = 'FC-7d1e2f';
    await expect(create(ticketBody({}, { body: `Report\nRef: ${ref}` }), { timeoutMs: 400 })).rejects.toThrow('client timeout');
    expect((await h.stored()).map((t: any) => t.number)).toEqual(['31001']);
    const r = await h.api('POST', '/api/v1/tickets/search', { condition: { 'article.body': { operator: 'contains', value: ref } }, limit: 5 });
    expect(r.json().map((t: any) => t.number)).toEqual(['31001']);
    expect((await create()).status).toBe(201); // consumed
  });

  it('destroyAfterMs destroys the socket after committing', async () => {
    await h.knobs({ timeoutAfterCommit: { destroyAfterMs: 50 } });
    await expect(create(ticketBody(), { timeoutMs: 5000 })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await h.stored()).length).toBe(1);
  });
});

describe('maxBodyBytes (nginx 413)', () => {
  const NGINX_413 = '<title>413 Request Entity Too Large</title>';

  it('checked on Content-Length before parsing; nothing stored', async () => {
    await h.knobs({ maxBodyBytes: 1000 });
    const r = await create(ticketBody({}, { attachments: [{ filename: 'big.bin', data: b64(Buffer.alloc(2000)), 'mime-type': 'application/octet-stream' }] }));
    expect(r.status).toBe(413);
    expect(r.headers['content-type']).toBe('text/html');
    expect(r.text).toContain(NGINX_413);
    expect(await h.stored()).toEqual([]);
    expect((await create()).status).toBe(201);
  });

  it('also checked on the streamed size (chunked, no Content-Length), even for invalid JSON', async () => {
    await h.knobs({ maxBodyBytes: 1000 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: h.port, method: 'POST', path: '/api/v1/tickets', headers: { Authorization: `Token token=${SEED_TOKENS.agent}`, 'Content-Type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(200));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('default is 50 MiB', async () => {
    expect((await h.request('GET', '/__standin/knobs')).json().knobs.maxBodyBytes).toBe(50 * 1024 * 1024);
  });
});

describe('storage on disk and /__standin', () => {
  it('each ticket as JSON, each attachment as its own raw file', async () => {
    const r = await create(ticketBody({ tags: 'a,b' }, { attachments: [{ filename: 'shot.png', data: PNG_1x1.toString('base64'), 'mime-type': 'image/png' }] }));
    expect(r.status).toBe(201);
    const json = JSON.parse(fs.readFileSync(path.join(h.dataDir, 'tickets', '1.json'), 'utf8'));
    expect(json).toMatchObject({ id: 1, number: '31001', tags: ['a', 'b'] });
    const att = json.articles[0].attachments[0];
    expect(att).toMatchObject({ filename: 'shot.png', size: PNG_1x1.length });
    expect(fs.readFileSync(path.join(h.dataDir, att.file)).equals(PNG_1x1)).toBe(true);
  });

  it('GET /__standin/tickets lists tickets with articles and attachment sizes', async () => {
    await create(ticketBody({}, { attachments: [{ filename: 'a.txt', data: b64('abc'), 'mime-type': 'text/plain' }] }));
    const list = await h.stored();
    expect(list).toHaveLength(1);
    expect(list[0].articles[0].attachments[0]).toMatchObject({ filename: 'a.txt', size: 3 });
  });

  it('the HTML index escapes titles and links every attachment', async () => {
    await create(ticketBody({ title: '<script>alert("x")</script>', tags: '<b>t</b>' }, { attachments: [{ filename: '<i>.txt', data: b64('abc'), 'mime-type': 'text/plain' }] }));
    for (const p of ['/', '/__standin/']) {
      const r = await h.request('GET', p);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.text).not.toContain('<script>');
      expect(r.text).not.toContain('<b>t</b>');
      expect(r.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(r.text).toContain('<a href="/__standin/files/1/1">&lt;i&gt;.txt</a>');
      expect(r.text).toContain('31001');
    }
    const file = await h.request('GET', '/__standin/files/1/1');
    expect(file.status).toBe(200);
    expect(file.text).toBe('abc');
    expect(file.headers['content-security-policy']).toBe('sandbox');
  });

  it('reset (HTTP and API) clears tickets, guess: users and knobs but keeps seeds', async () => {
    await create(ticketBody({ customer_id: 'guess:temp@example.com' }));
    await h.knobs({ legacySearchShape: true, rateLimit429: 5 });
    const r = await h.request('POST', '/__standin/reset');
    expect(r.status).toBe(200);
    expect(await h.stored()).toEqual([]);
    expect(fs.existsSync(path.join(h.dataDir, 'tickets'))).toBe(false);
    expect(fs.existsSync(path.join(h.dataDir, 'users.json'))).toBe(false);
    expect((await h.api('GET', '/api/v1/users/me')).status).toBe(200);
    const again = await create(ticketBody({ customer_id: 'guess:temp@example.com' }), {});
    expect(again.status).toBe(201);
    expect(again.json()).toMatchObject({ id: 1, number: '31001', customer_id: 10 });
    expect(Array.isArray((await h.api('POST', '/api/v1/tickets/search', {})).json())).toBe(true);
  });

  it('a new stand-in on the same dataDir picks the tickets up again', async () => {
    await create();
    const again = createZammadStandIn({ dataDir: h.dataDir });
    const server = http.createServer((q, s) => again.handle(q, s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const list = (await (await fetch(`http://127.0.0.1:${port}/__standin/tickets`)).json()) as unknown[];
      expect(list).toHaveLength(1);
      const next = await fetch(`http://127.0.0.1:${port}/api/v1/tickets`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, Authorization: `Token token=${SEED_TOKENS.agent}` },
        body: JSON.stringify(ticketBody()),
      });
      expect(((await next.json()) as { number: string }).number).toBe('31002');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('an unexpected exception answers the masked 500 (HTML page when HTML is negotiated)', async () => {
    const r = await h.request('POST', '/api/v1/tickets', {
      token: SEED_TOKENS.agent,
      headers: { 'Content-Type': 'application/json', Accept: 'text/html' },
      body: ticketBody({ tags: ['x'] }),
    });
    expect(r.status).toBe(500);
    expect(r.text).toContain("<title>500: Something went wrong</title>");
  });
});
