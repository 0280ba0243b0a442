/**
 * The Zammad stand-in's test routes (dev/zammad/README.md), from node, straight to the demo
 * server with the production host name (as test/e2e/delivery.spec.ts does).
 */
import type { DevServer } from '../../dev/server';
import { standInRequest } from '../../dev/zammad/standin-client';

function request(server: DevServer, method: string, path: string): Promise<{ status: number; body: Buffer }> {
  return standInRequest(server.port, method, path);
}

export interface StandInAttachment {
  id: number;
  filename: string;
  size: number;
}

export interface StandInTicket {
  id: number;
  number: string;
  title: string;
  tags?: string[];
  articles: { body: string; attachments: StandInAttachment[] }[];
}

/** Every stored ticket (GET /__standin/tickets). */
export async function storedTickets(server: DevServer): Promise<StandInTicket[]> {
  const res = await request(server, 'GET', '/__standin/tickets');
  if (res.status !== 200) throw new Error(`GET /__standin/tickets: ${res.status} ${res.body.toString('utf8')}`);
  return JSON.parse(res.body.toString('utf8')) as StandInTicket[];
}

/** The tickets one of whose articles carries `marker`. */
export async function ticketsWith(server: DevServer, marker: string): Promise<StandInTicket[]> {
  return (await storedTickets(server)).filter((t) => t.articles.some((a) => a.body.includes(marker)));
}

/** An attachment's stored bytes (GET /__standin/files/:ticket/:attachment). */
export async function attachmentBytes(server: DevServer, ticketId: number, attachmentId: number): Promise<Buffer> {
  const res = await request(server, 'GET', `/__standin/files/${ticketId}/${attachmentId}`);
  if (res.status !== 200) throw new Error(`GET /__standin/files/${ticketId}/${attachmentId}: ${res.status}`);
  return res.body;
}
