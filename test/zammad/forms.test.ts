/** §5 web form endpoints, §10.9. */
import { beforeEach, describe, expect, it } from 'vitest';
import { PNG_1x1, useStandIn } from './helpers';

const h = useStandIn();

const FP = 'data:image/png;base64,fingerprint-of-a-canvas-0123456789';
const JSON_H = { 'Content-Type': 'application/json', Accept: 'application/json' };
const config = (body: unknown, ip = '10.0.0.1') => h.request('POST', '/api/v1/form_config', { headers: { ...JSON_H, 'X-Forwarded-For': ip }, body });
const submit = (body: unknown, ip = '10.0.0.1') => h.request('POST', '/api/v1/form_submit', { headers: { ...JSON_H, 'X-Forwarded-For': ip }, body });

async function token(): Promise<string> {
  const r = await config({ fingerprint: FP });
  expect(r.status).toBe(200);
  return r.json().token;
}

const valid = (tok: string) => ({ fingerprint: FP, token: tok, name: 'Jeanne Martin', email: 'jeanne@axialys-client.fr', title: 'Ça coupe', body: 'Les appels coupent.' });

describe('disabled (default)', () => {
  it('form_config and form_submit: 403 Not authorized', async () => {
    for (const r of [await config({ fingerprint: FP }), await submit({ fingerprint: FP, token: 'x' })]) {
      expect(r.status).toBe(403);
      expect(r.json()).toEqual({ error: 'Not authorized', error_human: 'Not authorized' });
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('enabled', () => {
  beforeEach(async () => {
    expect((await h.knobs({ formEnabled: true })).status).toBe(200);
  });

  it('form_config: 200 {enabled, endpoint, token} with ACAO *', async () => {
    const r = await config({ fingerprint: FP });
    expect(r.status).toBe(200);
    const body = r.json();
    expect(Object.keys(body)).toEqual(['enabled', 'endpoint', 'token']);
    expect(body.enabled).toBe(true);
    expect(body.endpoint).toBe('https://zammad.axialys.net/api/v1/form_submit');
    expect(body.token).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(r.headers['access-control-allow-origin']).toBe('*');
  });

  it('form_config accepts form-urlencoded params', async () => {
    const r = await h.request('POST', '/api/v1/form_config', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ fingerprint: FP }).toString(),
    });
    expect(r.status).toBe(200);
  });

  it('fingerprint of 30 characters or fewer: 403', async () => {
    for (const fingerprint of ['x'.repeat(30), undefined]) {
      const r = await config({ fingerprint });
      expect(r.status).toBe(403);
      expect(r.json()).toEqual({ error: 'Not authorized', error_human: 'Not authorized' });
    }
    expect((await config({ fingerprint: 'x'.repeat(31) })).status).toBe(200);
  });

  it('form_submit: missing token 403', async () => {
    const r = await submit({ ...valid(''), token: undefined });
    expect(r.status).toBe(403);
    expect(r.json()).toEqual({ error: 'Not authorized', error_human: 'Not authorized' });
  });

  it('form_submit: bad token or other fingerprint 401 Authorization failed', async () => {
    const tok = await token();
    for (const body of [{ ...valid(tok), token: 'bm90IGEgdG9rZW4=' }, { ...valid(tok), fingerprint: `${FP}-other` }]) {
      const r = await submit(body);
      expect(r.status).toBe(401);
      expect(r.json()).toEqual({ error: 'Authorization failed', error_human: 'Authorization failed' });
      expect(r.headers['x-failure']).toBe('Authorization failed');
    }
  });

  it('form_submit: expired token (older than 24 h) 401', async () => {
    const tok = await token();
    await h.knobs({ clockOffsetMs: 24 * 3600_000 + 60_000 });
    const r = await submit(valid(tok));
    expect(r.status).toBe(401);
    expect(r.json().error).toBe('Authorization failed');
  });

  it('form_submit: validation errors are 200 {errors}', async () => {
    const tok = await token();
    let r = await submit({ fingerprint: FP, token: tok, name: ' ', email: '', title: '', body: '' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ errors: { name: 'required', title: 'required', body: 'required', email: 'required' } });
    r = await submit({ ...valid(tok), email: 'jeanne@nowhere.invalid' });
    expect(r.json()).toEqual({ errors: { email: 'invalid' } });
    r = await submit({ ...valid(tok), email: 'not-an-email' });
    expect(r.json()).toEqual({ errors: { email: 'invalid' } });
    expect(await h.stored()).toEqual([]);
  });

  it('form_submit (JSON): 200 {ticket:{id, number}}, web article from a new customer', async () => {
    const r = await submit(valid(await token()));
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ticket: { id: 1, number: '31001' } });
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const [t] = await h.stored();
    expect(t).toMatchObject({ group_id: 1, title: 'Ça coupe', customer_id: 10, created_by_id: 10 });
    expect(t.preferences.form.remote_ip).toBe('10.0.0.1');
    expect(t.preferences.form.fingerprint_md5).toMatch(/^[0-9a-f]{32}$/);
    expect(t.articles[0]).toMatchObject({ type_id: 11, sender_id: 3, subject: 'Ça coupe', body: 'Les appels coupent.', internal: false, from: 'Jeanne Martin <jeanne@axialys-client.fr>' });
  });

  it('form_submit (multipart with file[]): files become attachments with the part content type', async () => {
    const tok = await token();
    const form = new FormData();
    for (const [k, v] of Object.entries(valid(tok))) form.append(k, v);
    form.append('file[]', new Blob([PNG_1x1], { type: 'image/png' }), 'capture.png');
    form.append('file[]', new Blob(['log line'], { type: 'text/plain' }), 'console.log');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await req.arrayBuffer());
    const r = await h.request('POST', '/api/v1/form_submit', {
      headers: { 'Content-Type': req.headers.get('content-type') ?? '', Accept: 'application/json' },
      body,
    });
    expect(r.status).toBe(200);
    const files = (await h.stored())[0].articles[0].attachments;
    expect(files.map((f: any) => [f.filename, f.size, f.preferences])).toEqual([
      ['capture.png', PNG_1x1.length, { 'Mime-Type': 'image/png' }],
      ['console.log', 8, { 'Mime-Type': 'text/plain' }],
    ]);
  });

  it('per-IP 429 text/plain "Retry later\\n" after N submissions (knob), no Retry-After', async () => {
    await h.knobs({ formRateLimitPerHour: 3 });
    const tok = await token();
    for (let i = 0; i < 3; i++) expect((await submit(valid(tok), '10.0.0.9')).status).toBe(200);
    const r = await submit(valid(tok), '10.0.0.9');
    expect(r.status).toBe(429);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.text).toBe('Retry later\n');
    expect(r.headers['retry-after']).toBeUndefined();
    // another IP is not throttled
    expect((await submit(valid(tok), '10.0.0.10')).status).toBe(200);
  });

  it('default limit is 20 per hour per IP (every POST counts)', async () => {
    for (let i = 0; i < 20; i++) expect((await submit({}, '10.1.1.1')).status).toBe(403);
    expect((await submit({}, '10.1.1.1')).status).toBe(429);
  });
});
