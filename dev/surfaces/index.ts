/**
 * Demo stand-ins of the Axialys web surfaces (operator bar, supervision screen, extranet), a CRM
 * page that embeds the bar, and an unrelated page. One request handler for every host; it
 * dispatches on the Host header. Static pages live in `public/<host>/`, shared Axialys assets in
 * `public/_commun/` (served as `/commun/` by each Axialys host). See README.md in this folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AXIALYS_ADMIN_HOST, AXIALYS_BAR_HOST, CRM_HOST, OTHER_HOST } from '../hosts';
import { BarBackend } from './bar';
import { ExtranetBackend, ValidationError } from './extranet';
import {
  HttpError,
  PUBLIC_DIR,
  TimerBag,
  axialysCsp,
  contentTypeOf,
  isHtml,
  resolveStatic,
  send,
  send404,
  sendError,
  sendInternalError,
  sendNoContent,
} from './http';
import { SupervisionBackend } from './supervision';

export interface Surfaces {
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

const INDEX_NAMES = ['index.htm', 'index.html'] as const;
const AXIALYS_HOSTS = new Set<string>([AXIALYS_BAR_HOST, AXIALYS_ADMIN_HOST]);
const STATIC_HOSTS = new Set<string>([AXIALYS_BAR_HOST, AXIALYS_ADMIN_HOST, CRM_HOST, OTHER_HOST]);

function hostOf(req: IncomingMessage): string {
  return (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}

function cspFor(host: string, pathname: string): string | undefined {
  if (!AXIALYS_HOSTS.has(host)) return undefined;
  // The bar is embeddable by customers' CRMs; the other screens are not.
  const frameAncestors = host === AXIALYS_BAR_HOST && pathname.startsWith('/operateurs/') ? 'https:' : "'self'";
  return axialysCsp({ frameAncestors });
}

export function createSurfaces(): Surfaces {
  const timers = new TimerBag();
  const bar = new BarBackend(timers);
  const supervision = new SupervisionBackend(timers);
  const extranet = new ExtranetBackend(timers);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let closed = false;

  function serveStatic(req: IncomingMessage, res: ServerResponse, host: string, pathname: string): void {
    const csp = cspFor(host, pathname);
    let root = path.join(PUBLIC_DIR, host);
    let rel = pathname;
    if (AXIALYS_HOSTS.has(host) && (pathname === '/commun' || pathname.startsWith('/commun/'))) {
      root = path.join(PUBLIC_DIR, '_commun');
      rel = pathname.slice('/commun'.length) || '/';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, 'Méthode non autorisée', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
      return;
    }
    const found = resolveStatic(root, rel, INDEX_NAMES);
    if (!found) {
      send404(req, res, host, pathname, csp);
      return;
    }
    if ('redirect' in found) {
      send(req, res, 301, '', 'text/plain; charset=utf-8', { Location: `${pathname}/` });
      return;
    }
    let body: Buffer;
    try {
      body = fs.readFileSync(found.file);
    } catch {
      send404(req, res, host, pathname, csp);
      return;
    }
    const headers: Record<string, string> = {};
    if (csp && isHtml(found.file)) headers['Content-Security-Policy'] = csp;
    send(req, res, 200, body, contentTypeOf(found.file), headers);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = hostOf(req);
    if (!STATIC_HOSTS.has(host)) {
      send(req, res, 421, `Hôte non servi : ${host}`, 'text/plain; charset=utf-8');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `https://${host}`);
    } catch {
      send(req, res, 400, 'Requête invalide', 'text/plain; charset=utf-8');
      return;
    }
    const p = url.pathname;
    if (AXIALYS_HOSTS.has(host) && p.startsWith('/api/')) {
      if (p === '/api/ping') {
        if (req.method === 'GET' || req.method === 'HEAD') sendNoContent(req, res);
        else send(req, res, 405, '', 'text/plain', { Allow: 'GET, HEAD' });
        return;
      }
      if (host === AXIALYS_BAR_HOST) {
        if (await bar.handle(req, res, url)) return;
        if (await supervision.handle(req, res, url)) return;
      } else if (await extranet.handle(req, res, url)) return;
      send404(req, res, host, p);
      return;
    }
    serveStatic(req, res, host, p);
  }

  return {
    handle(req, res) {
      route(req, res).catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof HttpError && err.status !== 500) {
          sendError(req, res, err.status, err.code, err.message, err instanceof ValidationError ? { champs: err.champs } : {});
        } else {
          if (!(err instanceof HttpError)) console.error('[surfaces] erreur inattendue', err);
          sendInternalError(req, res);
        }
      });
    },

    upgrade(req, socket, head) {
      const host = hostOf(req);
      const pathname = (req.url ?? '/').split('?')[0];
      let target: ((ws: WebSocket) => void) | null = null;
      if (!closed && host === AXIALYS_BAR_HOST && pathname === '/cti') target = (ws) => bar.attach(ws);
      else if (!closed && host === AXIALYS_BAR_HOST && pathname === '/supervision/live') target = (ws) => supervision.attach(ws);
      else if (!closed && host === AXIALYS_ADMIN_HOST && pathname === '/notifications') target = (ws) => extranet.attach(ws);
      if (!target) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        socket.destroy();
        return;
      }
      const attach = target;
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
    },

    close() {
      closed = true;
      timers.clear();
      bar.close();
      supervision.close();
      extranet.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
