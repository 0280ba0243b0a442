/**
 * HTTP plumbing of the stand-in: body reading with the nginx size cap, parameter parsing
 * (JSON, urlencoded with Rack-style nested keys), content negotiation and the exact answers of
 * Zammad (JSON errors, `public/<code>.html` pages), nginx (413/502/503 pages) and Rack::Attack (429).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, maskedMessage } from './errors';

export const NO_CACHE_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
  Pragma: 'no-cache',
  Expires: '-1',
};

/** `set_access_control_headers_execute` / `cors_preflight_check` of `sets_headers.rb`. */
export const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, GET, PUT, DELETE, PATCH, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, Depth, User-Agent, X-File-Size, X-Requested-With, If-Modified-Since, X-File-Name, Cache-Control, Accept-Language',
  'Access-Control-Max-Age': '1728000',
};

export type Params = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Ruby/Rails `blank?`: nil, false, empty or whitespace-only string, empty array or hash. */
export function isBlank(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

/** Ruby truthiness (`if params[:x]`): everything but nil and false. */
export function isTruthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false;
}

/** Rails boolean casting of query flags such as `expand=true`. */
export function isTrueFlag(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1';
}

export type BodyResult = { ok: true; body: Buffer } | { ok: false; size: number };

/**
 * Reads the whole request body. Above `limit` bytes (declared Content-Length or streamed size)
 * the data is drained and discarded without being parsed, and `ok: false` is returned once the
 * client has finished sending, so the 413 answer reaches it instead of a reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? { ok: false, size } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}

/** Rack-style nested keys: `a[b][c]=1`, `a[]=1`. */
export function setNested(target: Params, key: string, value: unknown): void {
  const m = /^([^[]*)((?:\[[^\]]*\])*)$/.exec(key);
  const base = m?.[1] ?? key;
  const segs = m?.[2] ? [...m[2].matchAll(/\[([^\]]*)\]/g)].map((s) => s[1] ?? '') : [];
  if (base === '' || base === '__proto__') return;
  const path = [base, ...segs];
  let cur: unknown = target;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] ?? '';
    const last = i === path.length - 1;
    const nextIsArray = path[i + 1] === '';
    if (seg === '__proto__' || seg === 'constructor' || seg === 'prototype') return;
    if (Array.isArray(cur)) {
      if (last) cur.push(value);
      else {
        const obj = {};
        cur.push(obj);
        cur = obj;
      }
    } else if (isPlainObject(cur)) {
      if (last) cur[seg] = value;
      else {
        if (!(seg in cur) || typeof cur[seg] !== 'object' || cur[seg] === null) cur[seg] = nextIsArray ? [] : {};
        cur = cur[seg];
      }
    } else return;
  }
}

export function parseUrlencoded(text: string): Params {
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(text)) setNested(out, k, v);
  return out;
}

export class BadRequest extends Error {}

/** JSON or urlencoded body params (Rails wraps a non-hash JSON body as `_json`). */
export function parseBodyParams(req: IncomingMessage, body: Buffer): Params {
  if (body.length === 0) return {};
  const ct = String(req.headers['content-type'] ?? '').toLowerCase();
  if (ct.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new BadRequest('invalid JSON');
    }
    return isPlainObject(parsed) ? parsed : { _json: parsed };
  }
  if (ct.startsWith('application/x-www-form-urlencoded')) return parseUrlencoded(body.toString('utf8'));
  return {};
}

/**
 * Whether the request negotiates JSON. Rails lists `format.json` first, so `*\/*` yields JSON;
 * an Accept that names HTML (and not JSON) gets the HTML page. A missing Accept is treated as
 * JSON here (lenient; Rails would pick HTML).
 */
export function wantsJson(req: IncomingMessage): boolean {
  const accept = String(req.headers.accept ?? '').toLowerCase().trim();
  if (accept === '') return true;
  if (accept.includes('json')) return true;
  if (accept.includes('text/html') || accept.includes('application/xhtml')) return false;
  return accept.includes('*/*');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const ZAMMAD_PAGES: Record<number, { title: string; h1: string; image: string; text: string }> = {
  401: { title: '401: Unauthorized', h1: '401: Unauthorized', image: 'error-1', text: 'Sorry, but your authentication failed. Double check your credentials and try again.' },
  403: {
    title: '403: Forbidden',
    h1: '403: Forbidden',
    image: 'error-1',
    text: "Sorry, but you're not allowed to access this page. If you're registered please log in and refresh this page.",
  },
  404: {
    title: '404: Not Found',
    h1: '404: Requested resource was not found',
    image: 'error-2',
    text: 'Sorry, but the Phoenix is not able to find your resource. Try checking the URL for errors.',
  },
  422: {
    title: '422: Unprocessable Entity',
    h1: '422: The change you wanted was rejected.',
    image: 'error-1',
    text: "Maybe you tried to change something you didn't have access to.",
  },
  500: { title: '500: Something went wrong', h1: "500: We're sorry, but something went wrong.", image: 'error-2', text: "We're sorry, but something went wrong." },
};

/** `public/<code>.html` of Zammad, rendered in production mode (no traceback). */
export function zammadErrorPage(status: number, message: string | undefined): string {
  const page = ZAMMAD_PAGES[status] ?? ZAMMAD_PAGES[500]!;
  const msg = status === 500 || !message ? '' : `  <div>${escapeHtml(message)}</div>\n`;
  return (
    `<!DOCTYPE html>\n<html class="dark">\n<meta charset="utf-8">\n<title>${page.title}</title>\n` +
    `<link rel="stylesheet" href="/assets/error/style.css">\n<body >\n  <h1>${page.h1}</h1>\n${msg}` +
    `  <div class="error-image" style="background-image: url(/assets/error/${page.image}.svg)"></div>\n` +
    `  <p>${escapeHtml(page.text)}</p>\n</body>\n</html>\n`
  );
}

const NGINX_REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Time-out',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The default error page of nginx. */
export function nginxPage(status: number): string {
  const line = `${status} ${NGINX_REASONS[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${line}</title></head>\r\n<body>\r\n<center><h1>${line}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

export function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Length': String(buf.length) });
  res.end(buf);
}

export function sendNginx(res: ServerResponse, status: number, extra: Record<string, string> = {}): void {
  send(res, status, nginxPage(status), { 'Content-Type': 'text/html', Server: 'nginx', ...extra });
}

/** Rack::Attack's throttled response: text/plain, no Retry-After. */
export function sendRetryLater(res: ServerResponse): void {
  send(res, 429, 'Retry later\n', { 'Content-Type': 'text/plain' });
}

export interface ResponseOpts {
  /** Adds the CORS headers (token/basic auth succeeded, or a form endpoint succeeded). */
  cors?: boolean;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, status: number, data: unknown, opts: ResponseOpts = {}): void {
  send(res, status, JSON.stringify(data), {
    'Content-Type': 'application/json; charset=utf-8',
    ...NO_CACHE_HEADERS,
    ...(opts.cors ? CORS_HEADERS : {}),
    ...(opts.headers ?? {}),
  });
}

/** Error answers: JSON when negotiated, else the HTML page; `X-Failure` on 401/403; never CORS. */
export function sendApiError(req: IncomingMessage, res: ServerResponse, err: ApiError): void {
  const headers: Record<string, string> = { ...NO_CACHE_HEADERS };
  if (err.status === 401 || err.status === 403) headers['X-Failure'] = err.body.error_human ?? err.body.error;
  if (wantsJson(req)) {
    send(res, err.status, JSON.stringify(err.body), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  } else {
    send(res, err.status, zammadErrorPage(err.status, err.body.error_human ?? err.body.error), { 'Content-Type': 'text/html; charset=utf-8', ...headers });
  }
}

/** Unexpected exception: the masked 500 of a non-admin caller. */
export function sendInternalError(req: IncomingMessage, res: ServerResponse): void {
  sendApiError(req, res, new ApiError(500, { error: maskedMessage() }));
}

/** Rails' ParseError answer for a malformed JSON body (ActionDispatch::PublicExceptions). */
export function sendBadRequest(req: IncomingMessage, res: ServerResponse): void {
  if (wantsJson(req)) send(res, 400, JSON.stringify({ status: 400, error: 'Bad Request' }), { 'Content-Type': 'application/json; charset=utf-8' });
  else send(res, 400, nginxPage(400), { 'Content-Type': 'text/html; charset=utf-8' });
}

export function clientIp(req: IncomingMessage): string {
  const fwd = String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim();
  const ip = fwd || req.socket.remoteAddress || 'unknown';
  return ip.replace(/^::ffff:/, '');
}
