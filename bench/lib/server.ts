/**
 * The benchmark's own HTTPS server: serves bench pages on every demo host (Chromium maps the
 * production hosts to it with --host-resolver-rules, as for dev/server.ts), and a command
 * channel so that a page can be driven with no debugger attached to it: the page long-polls
 * `POST /__bench/poll?tab=ID` (its body is the previous command's result) and receives its next
 * command as the answer.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostResolverRules } from '../../dev/hosts';
import { makeCert } from '../../dev/tls';

export interface BenchServer {
  port: number;
  rules: string;
  /** Serves body at this path, on every host. */
  route(pathname: string, body: string, type?: string): void;
  /** Sends a command to a tab's page and resolves with its result. */
  run<T>(tab: string, cmd: object, timeoutMs?: number): Promise<T>;
  /** Resolves when the tab's page has polled once (it is loaded and its scripts ran). */
  ready(tab: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const routes = new Map<string, { body: string; type: string }>();
  /** Each tab's outstanding poll, answered by the next command. */
  const polls = new Map<string, ServerResponse>();
  const pollWaiters = new Map<string, (() => void)[]>();
  const resultWaiters = new Map<string, (r: unknown) => void>();

  const onPoll = (tab: string, body: string, res: ServerResponse): void => {
    const waiter = resultWaiters.get(tab);
    if (body && waiter) {
      resultWaiters.delete(tab);
      waiter(JSON.parse(body));
    }
    polls.get(tab)?.end('{"op":"noop"}');
    polls.set(tab, res);
    for (const w of pollWaiters.get(tab)?.splice(0) ?? []) w();
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'https://bench.invalid');
    if (url.pathname === '/__bench/poll' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const tab = url.searchParams.get('tab') ?? '';
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        // A closed tab's poll must not be answered later.
        res.on('close', () => {
          if (polls.get(tab) === res) polls.delete(tab);
        });
        onPoll(tab, Buffer.concat(chunks).toString('utf8'), res);
      });
      return;
    }
    const r = routes.get(url.pathname);
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': r.type, 'cache-control': 'no-store' }).end(r.body);
  };

  const server = https.createServer(makeCert(), handle);
  server.requestTimeout = 0;
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const waitPoll = (tab: string, timeoutMs: number): Promise<void> =>
    polls.has(tab)
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`tab ${tab} never polled the bench server`)), timeoutMs);
          const list = pollWaiters.get(tab) ?? [];
          list.push(() => {
            clearTimeout(timer);
            resolve();
          });
          pollWaiters.set(tab, list);
        });

  return {
    port,
    rules: hostResolverRules(port),
    route(pathname, body, type = 'text/html; charset=utf-8') {
      routes.set(pathname, { body, type });
    },
    ready: (tab, timeoutMs = 30_000) => waitPoll(tab, timeoutMs),
    async run<T>(tab: string, cmd: object, timeoutMs = 120_000): Promise<T> {
      await waitPoll(tab, timeoutMs);
      const res = polls.get(tab)!;
      polls.delete(tab);
      const result = new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          resultWaiters.delete(tab);
          reject(new Error(`tab ${tab} did not answer ${JSON.stringify(cmd)}`));
        }, timeoutMs);
        resultWaiters.set(tab, (r) => {
          clearTimeout(timer);
          resolve(r as T);
        });
      });
      res.end(JSON.stringify(cmd));
      const r = await result;
      const err = (r as { error?: string } | null)?.error;
      if (err) throw new Error(`tab ${tab}: ${err}`);
      return r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of polls.values()) res.end('{"op":"noop"}');
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
