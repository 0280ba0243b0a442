import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeCert } from './tls';
import { hostResolverRules, ZAMMAD_HOST } from './hosts';
import { createSurfaces } from './surfaces/index';
import { createZammadStandIn, type ZammadStandIn } from './zammad/index';

export interface DevServer {
  port: number;
  /** Value for Chromium's --host-resolver-rules. */
  rules: string;
  zammad: ZammadStandIn;
  close(): Promise<void>;
}

/**
 * One local HTTPS server for every demo host. It dispatches on the Host header:
 * zammad.axialys.net goes to the Zammad stand-in, every other host to the demo surfaces.
 */
export async function startDevServer(opts: { port?: number; dataDir?: string } = {}): Promise<DevServer> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-zammad-'));
  const zammad = createZammadStandIn({ dataDir });
  const surfaces = createSurfaces();
  const server = https.createServer(makeCert(), (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (host === ZAMMAD_HOST) zammad.handle(req, res);
    else surfaces.handle(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (host === ZAMMAD_HOST) socket.destroy();
    else surfaces.upgrade(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    rules: hostResolverRules(port),
    zammad,
    close: () =>
      new Promise<void>((resolve) => {
        surfaces.close?.();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
