/**
 * Starts the Zammad stand-in behind a plain http server on port 0, with a fresh data directory,
 * and offers a small raw HTTP client (node:http, so every header is under the test's control).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createZammadStandIn, SEED_TOKENS, type ZammadStandIn } from '../../dev/zammad/index';

export { SEED_TOKENS };

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json(): any;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** JSON-encoded unless a string or Buffer. */
  body?: unknown;
  timeoutMs?: number;
}

export interface Harness {
  base: string;
  port: number;
  standIn: ZammadStandIn;
  dataDir: string;
  request(method: string, urlPath: string, opts?: RequestOptions): Promise<Reply>;
  /** Agent-token JSON request. */
  api(method: string, urlPath: string, body?: unknown, token?: string): Promise<Reply>;
  knobs(body: unknown): Promise<Reply>;
  stored(): Promise<any[]>;
  close(): Promise<void>;
}

export const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

export async function startStandIn(opts: { systemId?: number } = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zammad-standin-test-'));
  const standIn = createZammadStandIn({ dataDir, ...opts });
  const server = http.createServer((req, res) => standIn.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  const request = (method: string, urlPath: string, o: RequestOptions = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token !== undefined) headers.Authorization = `Token token=${o.token}`;
      let payload: Buffer | undefined;
      if (o.body !== undefined) {
        payload = Buffer.isBuffer(o.body) ? o.body : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
        headers['Content-Length'] = String(payload.length);
      }
      const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (o.timeoutMs) req.setTimeout(o.timeoutMs, () => req.destroy(new Error('client timeout')));
      req.end(payload);
    });

  return {
    base,
    port,
    standIn,
    dataDir,
    request,
    api: (method, urlPath, body, token = SEED_TOKENS.agent) => request(method, urlPath, { token, headers: JSON_HEADERS, body }),
    knobs: (body) => request('POST', '/__standin/knobs', { headers: { 'Content-Type': 'application/json' }, body }),
    stored: async () => (await request('GET', '/__standin/tickets')).json(),
    close: () =>
      new Promise<void>((resolve) => {
        standIn.reset();
        server.closeAllConnections();
        server.close(() => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** A minimal valid create body. */
export function ticketBody(extra: Record<string, unknown> = {}, article: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Softphone drops calls after 30s',
    group: 'Users',
    customer_id: 'guess:jane.doe@example.com',
    ...extra,
    article: { subject: 'Fault report', body: 'Steps to reproduce', type: 'note', internal: false, ...article },
  };
}

export const b64 = (s: string | Buffer): string => (Buffer.isBuffer(s) ? s : Buffer.from(s)).toString('base64');

/** 1×1 transparent PNG. */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export const MASKED = /^Error ID [A-Za-z0-9_-]{8}: Please contact your administrator\.$/;

/**
 * One stand-in per test file: started before the file, closed after it, reset before each test.
 * Returns a handle that forwards to the running harness.
 */
export function useStandIn(opts: { systemId?: number; reset?: boolean } = {}): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startStandIn(opts);
  });
  afterAll(async () => {
    await current?.close();
  });
  if (opts.reset !== false)
    beforeEach(() => {
      current?.standIn.reset();
    });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!current) throw new Error('the stand-in is not started (use it inside a test)');
      const value = (current as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
