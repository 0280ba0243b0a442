import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SERVED_HOSTS } from './hosts';

/**
 * A CONNECT-only HTTP proxy that tunnels the demo hosts (port 443) to the local HTTPS server.
 * Firefox has no --host-resolver-rules; pointed at this proxy it reaches the production URLs,
 * and still does its own TLS with the demo certificate. Any other host is refused.
 */
export async function startConnectProxy(targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const allowed = new Set<string>(SERVED_HOSTS.map((h) => `${h}:443`));
  const server = http.createServer((_req, res) => {
    res.writeHead(405, { 'Content-Type': 'text/plain' }).end('CONNECT only\n');
  });
  // Tunnelled sockets leave the HTTP server's bookkeeping: track them so close() can end them.
  const open = new Set<net.Socket>();
  server.on('connect', (req, client, head) => {
    if (!allowed.has((req.url ?? '').toLowerCase())) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      open.add(upstream);
      open.add(client as net.Socket);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      client.destroy();
      open.delete(upstream);
      open.delete(client as net.Socket);
    };
    upstream.on('close', end);
    client.on('close', end);
    upstream.on('error', end);
    client.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
