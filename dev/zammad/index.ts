/**
 * Local stand-in for the Zammad REST API, following shared/docs/zammad-api.md.
 * `handle(req, res)` works behind any node:http(s) server; state lives under `dataDir`.
 * See README.md in this folder for routes, seeded tokens and fault knobs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ROUTES, routingError, type Call, type Env } from './api';
import type { AuthDirectory } from './auth';
import { ApiError } from './errors';
import { FormThrottle, FormTokens } from './forms';
import {
  BadRequest,
  clientIp,
  CORS_HEADERS,
  parseBodyParams,
  parseUrlencoded,
  readBody,
  send,
  sendApiError,
  sendBadRequest,
  sendInternalError,
  sendJson,
  sendNginx,
  sendRetryLater,
} from './http';
import { fileUrl, INDEX_CSP, renderIndex } from './index-page';
import { Knobs, KnobsBodySchema, type Fault } from './knobs';
import { Store } from './store';

export { SEED_TOKENS, SEED_BASIC, SEED_PASSWORD } from './seeds';

export interface ZammadStandIn {
  handle(req: IncomingMessage, res: ServerResponse): void;
  dataDir: string;
  /** Clears tickets, users created by guess:/forms, knobs and throttles; keeps the seeds. */
  reset(): void;
}

export interface ZammadStandInOptions {
  dataDir: string;
  /** Default `zammad.axialys.net`. */
  fqdn?: string;
  /** Default 31: ticket numbers are "31001", "31002", … */
  systemId?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const debug = (...args: unknown[]): void => {
  if (process.env.ZAMMAD_STANDIN_DEBUG) console.error('[zammad stand-in]', ...args);
};

export function createZammadStandIn(opts: ZammadStandInOptions): ZammadStandIn {
  const fqdn = opts.fqdn ?? 'zammad.axialys.net';
  const systemId = opts.systemId ?? 31;
  const store = new Store(opts.dataDir);
  const knobs = new Knobs();
  const throttle = new FormThrottle();
  const hanging = new Set<Socket>();
  const nowMs = (): number => Date.now() + knobs.state.clockOffsetMs;

  const dir: AuthDirectory = {
    userById: (id) => store.userById(id),
    userByLoginOrEmail: (v) => store.userByLogin(v) ?? store.userByEmail(v),
    tokenByValue: (v) => store.tokens.find((t) => t.token === v),
    sessionUser: () => store.userById(2),
    today: () => new Date(nowMs()).toISOString().slice(0, 10),
  };

  const env: Env = {
    store,
    knobs,
    dir,
    formTokens: new FormTokens(fqdn),
    fqdn,
    systemId,
    nowMs,
    hang(req: IncomingMessage, fault: Fault) {
      const socket = req.socket;
      hanging.add(socket);
      socket.once('close', () => hanging.delete(socket));
      if (fault.destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), fault.destroyAfterMs).unref();
    },
  };

  function reset(): void {
    store.reset();
    knobs.reset();
    throttle.reset();
    for (const s of hanging) s.destroy();
    hanging.clear();
  }

  async function standIn(req: IncomingMessage, res: ServerResponse, method: string, pathname: string): Promise<void> {
    const noStore = { 'Cache-Control': 'no-store' };
    if (method === 'GET' && (pathname === '/' || pathname === '/__standin' || pathname === '/__standin/')) {
      send(res, 200, renderIndex(store), { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': INDEX_CSP, ...noStore });
      return;
    }
    if (method === 'GET' && pathname === '/__standin/tickets') {
      sendJson(res, 200, [...store.tickets.values()].sort((a, b) => a.id - b.id), { headers: noStore });
      return;
    }
    if (pathname === '/__standin/knobs') {
      if (method === 'POST') {
        const body = await readBody(req, 1024 * 1024);
        let parsed: unknown = {};
        try {
          parsed = body.ok && body.body.length > 0 ? JSON.parse(body.body.toString('utf8')) : {};
        } catch {
          sendJson(res, 400, { error: 'invalid JSON' }, { headers: noStore });
          return;
        }
        const result = KnobsBodySchema.safeParse(parsed);
        if (!result.success) {
          sendJson(res, 400, { error: 'invalid knobs', issues: result.error.issues }, { headers: noStore });
          return;
        }
        knobs.apply(result.data);
      }
      sendJson(res, 200, { ok: true, knobs: knobs.view() }, { headers: noStore });
      return;
    }
    if (method === 'POST' && pathname === '/__standin/reset') {
      reset();
      sendJson(res, 200, { ok: true }, { headers: noStore });
      return;
    }
    const file = /^\/__standin\/files\/(\d+)\/(\d+)$/.exec(pathname);
    if (method === 'GET' && file) {
      const t = store.tickets.get(Number(file[1]));
      const att = t?.articles.flatMap((a) => a.attachments).find((f) => f.id === Number(file[2]));
      if (t && att && fileUrl(t.id, att.id) === pathname) {
        const type = att.preferences['Mime-Type'] ?? 'application/octet-stream';
        const viewable = /^(image\/(png|jpe?g|gif|webp)|text\/plain|application\/json)\b/i.test(type);
        send(res, 200, store.readFile(att.file), {
          'Content-Type': viewable ? type : 'application/octet-stream',
          'Content-Disposition': `${viewable ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(att.filename)}`,
          'Content-Security-Policy': 'sandbox',
          'X-Content-Type-Options': 'nosniff',
          ...noStore,
        });
        return;
      }
    }
    sendJson(res, 404, { error: `unknown stand-in route: ${method} ${pathname}` }, { headers: noStore });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const pathname = url.pathname;
    if (pathname === '/' || pathname === '/__standin' || pathname.startsWith('/__standin/')) {
      await standIn(req, res, method, pathname);
      return;
    }

    // nginx: the body is read (and capped) before anything reaches Zammad.
    const body = await readBody(req, knobs.state.maxBodyBytes);
    if (knobs.take('drop', method, pathname)) {
      req.socket.destroy();
      return;
    }
    const delay = knobs.take('delay', method, pathname);
    if (delay?.delayMs) await sleep(delay.delayMs);
    if (!body.ok) {
      sendNginx(res, 413, { Connection: 'close' });
      return;
    }
    const fault = knobs.take('status', method, pathname);
    if (fault?.status) {
      if (fault.status === 500) sendInternalError(req, res);
      else if (fault.status === 429) sendRetryLater(res);
      else sendNginx(res, fault.status);
      return;
    }
    if (knobs.take('rateLimit429', method, pathname)) {
      sendRetryLater(res);
      return;
    }
    if (method === 'OPTIONS') {
      send(res, 200, '', { 'Content-Type': 'text/plain; charset=utf-8', ...CORS_HEADERS });
      return;
    }
    // Rack::Attack, in front of the form controller.
    if (method === 'POST' && pathname === '/api/v1/form_submit' && throttle.hit(clientIp(req), nowMs(), knobs.state.formRateLimitPerHour)) {
      sendRetryLater(res);
      return;
    }

    const routeMethod = method === 'HEAD' ? 'GET' : method;
    for (const [m, re, handler] of ROUTES) {
      if (m !== routeMethod) continue;
      const match = re.exec(pathname);
      if (!match) continue;
      const query = parseUrlencoded(url.search.slice(1));
      const isForm = pathname === '/api/v1/form_config' || pathname === '/api/v1/form_submit';
      let params = query;
      if (!isForm) {
        try {
          params = { ...query, ...parseBodyParams(req, body.body) };
        } catch (e) {
          if (e instanceof BadRequest) {
            sendBadRequest(req, res);
            return;
          }
          throw e;
        }
      }
      const call: Call = { req, res, method, pathname, query, params, rawBody: body.body, match };
      await handler(env, call);
      return;
    }
    throw routingError(method, pathname);
  }

  return {
    dataDir: opts.dataDir,
    reset,
    handle(req: IncomingMessage, res: ServerResponse): void {
      route(req, res).catch((e: unknown) => {
        if (e instanceof ApiError) {
          if (e.status === 500) debug('masked 500:', e.body.error);
          sendApiError(req, res, e);
          return;
        }
        debug('unexpected exception:', e);
        sendInternalError(req, res);
      });
    },
  };
}
