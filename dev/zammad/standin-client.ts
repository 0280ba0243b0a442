/**
 * From node, one request to the Zammad stand-in through the demo HTTPS server, with the production
 * host name (the stand-in answers only for zammad.axialys.net). Used by tests and benchmarks to
 * read tickets (`/__standin/tickets`), attachments and to set knobs.
 */
import https from 'node:https';
import { ZAMMAD_HOST } from '../hosts';

export function standInRequest(port: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: Buffer }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        servername: ZAMMAD_HOST,
        rejectUnauthorized: false,
        headers: { Host: ZAMMAD_HOST, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The JSON answer of a stand-in route; throws on a non-2xx status. */
export async function standInJson<T = unknown>(port: number, method: string, path: string, body?: unknown): Promise<T> {
  const res = await standInRequest(port, method, path, body);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status}`);
  return JSON.parse(res.body.toString('utf8')) as T;
}
