/**
 * Small HTTP helpers for the demo surfaces: static files (path-traversal safe), JSON answers,
 * JSON bodies, security headers. No framework: plain node:http objects.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

const CONTENT_TYPES: Record<string, string> = {
  '.htm': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Enforced Content-Security-Policy of the Axialys surfaces. Scripts come from the page's own
 * origin only (no inline script), images from the origin or data: URLs. Anything else is
 * refused by the browser, which the `csp` demo fault relies on.
 */
export function axialysCsp(opts: { frameAncestors: string }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self' wss://voice-management.axialys.com",
    "media-src 'self' blob: mediastream:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${opts.frameAncestors}`,
  ].join('; ');
}

export function baseHeaders(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
}

/** Sends a full answer; for HEAD only the headers (with the real Content-Length) go out. */
export function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  baseHeaders(res);
  for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
  res.statusCode = status;
  if (status === 204 || status === 304) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', String(buf.length));
  if (req.method === 'HEAD') res.end();
  else res.end(buf);
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  value: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  send(req, res, status, JSON.stringify(value), 'application/json; charset=utf-8', extraHeaders);
}

export function sendNoContent(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, 204, '', 'text/plain');
}

/** French JSON error body, the shape every demo API uses. */
export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): void {
  sendJson(req, res, status, { erreur: { code, message, ...details } });
}

export function sendInternalError(req: IncomingMessage, res: ServerResponse): void {
  const reference = `ERR-${Date.now().toString(36).toUpperCase()}-${Math.floor(Math.random() * 0xffff)
    .toString(16)
    .toUpperCase()
    .padStart(4, '0')}`;
  sendError(req, res, 500, 'ERREUR_INTERNE', 'Erreur interne. Veuillez réessayer ou contacter le support Axialys.', {
    reference,
  });
}

export function notFoundPage(host: string, pathname: string): string {
  const safe = pathname.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>404 – Page introuvable</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
</head>
<body>
<h1>404 – Page introuvable</h1>
<p>La page <code>${safe}</code> n'existe pas sur ${host.replace(/[^a-z0-9.-]/gi, '')}.</p>
</body>
</html>
`;
}

export function send404(req: IncomingMessage, res: ServerResponse, host: string, pathname: string, csp?: string): void {
  if (pathname.startsWith('/api/')) {
    sendError(req, res, 404, 'INTROUVABLE', `Ressource introuvable : ${pathname}`);
    return;
  }
  send(req, res, 404, notFoundPage(host, pathname), 'text/html; charset=utf-8', csp ? { 'Content-Security-Policy': csp } : {});
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 256 * 1024;

/** Reads a JSON request body (at most 256 KiB). Empty body gives `{}`. */
export function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'TROP_VOLUMINEUX', 'Requête trop volumineuse.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) {
        resolve({});
        return;
      }
      try {
        const value: unknown = JSON.parse(text);
        if (value && typeof value === 'object' && !Array.isArray(value)) resolve(value as Record<string, unknown>);
        else reject(new HttpError(400, 'REQUETE_INVALIDE', 'Le corps de la requête doit être un objet JSON.'));
      } catch {
        reject(new HttpError(400, 'REQUETE_INVALIDE', 'Corps de requête JSON invalide.'));
      }
    });
    req.on('error', reject);
  });
}

export type StaticResult = { file: string } | { redirect: string } | null;

/**
 * Maps a URL path onto a file under `root`, refusing anything that leaves it
 * (`..`, encoded separators, NUL bytes, dot-files, symlinks out of the root). Directories map to
 * their index file; a directory asked without its trailing slash gives a redirect.
 */
export function resolveStatic(root: string, pathname: string, indexNames: readonly string[]): StaticResult {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p === '.' || p.startsWith('.') || p.startsWith('_'))) return null;
  const rootResolved = path.resolve(root);
  let candidate = path.resolve(rootResolved, ...parts);
  if (candidate !== rootResolved && !candidate.startsWith(rootResolved + path.sep)) return null;
  try {
    let stat = fs.statSync(candidate);
    if (stat.isDirectory()) {
      if (!decoded.endsWith('/')) return { redirect: `${pathname}/` };
      const found = indexNames.map((n) => path.join(candidate, n)).find((f) => fs.existsSync(f));
      if (!found) return null;
      candidate = found;
      stat = fs.statSync(candidate);
    }
    if (!stat.isFile()) return null;
    const real = fs.realpathSync(candidate);
    const realRoot = fs.realpathSync(rootResolved);
    if (!real.startsWith(realRoot + path.sep)) return null;
    return { file: real };
  } catch {
    return null;
  }
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function isHtml(file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  return ext === '.htm' || ext === '.html';
}

/** Fault requested through `?fault=<name>` or the `X-Demo-Fault` header. */
export function requestedFault(req: IncomingMessage, url: URL): string | null {
  const header = req.headers['x-demo-fault'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  return url.searchParams.get('fault') ?? fromHeader ?? null;
}

/** Runs `fn` after `ms`, without keeping the process alive; cancelled by `timers.clear()`. */
export class TimerBag {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly intervals = new Set<NodeJS.Timeout>();

  timeout(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
    return t;
  }

  interval(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setInterval(fn, ms);
    t.unref();
    this.intervals.add(t);
    return t;
  }

  cancel(t: NodeJS.Timeout | undefined): void {
    if (!t) return;
    clearTimeout(t);
    clearInterval(t);
    this.timers.delete(t);
    this.intervals.delete(t);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const t of this.intervals) clearInterval(t);
    this.timers.clear();
    this.intervals.clear();
  }
}
