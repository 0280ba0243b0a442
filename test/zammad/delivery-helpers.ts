/**
 * Drives the outbox (lib/delivery) against the stand-in over HTTP, in node: fake-indexeddb for
 * the outbox, a fake clock for the backoff (no waiting), and checks on the stand-in's own store.
 */
import 'fake-indexeddb/auto';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { database } from '../../lib/db';
import type { DeliveryConfig } from '../../lib/delivery/deliver';
import { enqueue, getItem, type OutboxItem, type OutgoingReport, type StoredAttachment } from '../../lib/delivery/outbox';
import { createRunner, SETTLE_MS, type Runner, type RunnerDeps } from '../../lib/delivery/runner';
import { SEED_TOKENS, type Harness } from './helpers';

export const T0 = 1_900_000_000_000;

export function makeReport(opts: { images?: number; imageBytes?: number; surface?: OutgoingReport['surface'] } = {}): OutgoingReport {
  const id = `TMN-${randomUUID()}`;
  const images = opts.images ?? 2;
  const attachments = [];
  for (let i = 1; i <= images; i++) {
    // A JPEG signature then random bytes: opaque to the stand-in, exact to compare.
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(opts.imageBytes ?? 40_000)]);
    attachments.push({ filename: `capture-${i}.jpg`, mimeType: 'image/jpeg', data: new Blob([bytes], { type: 'image/jpeg' }) });
  }
  const context = JSON.stringify({ schemaVersion: 1, id, note: 'données « accentuées » ✓', pad: randomBytes(3000).toString('hex') });
  attachments.push({ filename: 'context.json', mimeType: 'application/json', data: new Blob([context], { type: 'application/json' }) });
  attachments.push({ filename: 'report.html', mimeType: 'text/html', data: new Blob([`<!doctype html><title>${id}</title><p>Rapport</p>`], { type: 'text/html' }) });
  return {
    id,
    createdAt: T0,
    surface: opts.surface ?? 'bar',
    title: '[Bandeau opérateur] Plus de son après le transfert',
    bodyHtml: '<p><strong>Que s’est-il passé ?</strong> Plus de son &amp; le bouton ne répond plus.</p>',
    attachments,
  };
}

export interface Clock {
  now: number;
}

export function config(h: Harness, patch: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return { mode: 'api', url: h.base, token: SEED_TOKENS.agent, group: 'Users', reporterName: '', reporterEmail: '', ...patch };
}

export interface TestRunner extends Runner {
  clock: Clock;
  cfg: DeliveryConfig;
  scheduled: (number | null)[];
}

export function testRunner(cfg: DeliveryConfig, extra: Partial<RunnerDeps> = {}): TestRunner {
  const clock: Clock = { now: T0 };
  const scheduled: (number | null)[] = [];
  const holder = { cfg };
  const runner = createRunner({
    now: () => clock.now,
    random: () => 0.5,
    config: async () => holder.cfg,
    schedule: (at) => {
      scheduled.push(at);
    },
    timeoutMs: 2_000,
    ...extra,
  });
  const out = Object.assign(runner, { clock, scheduled }) as TestRunner;
  Object.defineProperty(out, 'cfg', {
    get: () => holder.cfg,
    set: (c: DeliveryConfig) => {
      holder.cfg = c;
    },
  });
  return out;
}

/** Flushes, jumping the clock to each next attempt, until the report is sent or needs the user. */
export async function settle(r: TestRunner, id: string, maxRounds = 15): Promise<OutboxItem> {
  for (let i = 0; i < maxRounds; i++) {
    await r.flush();
    const item = await getItem(id);
    if (!item) throw new Error(`${id} vanished`);
    if (item.state === 'sent' || item.state === 'needs-attention') return item;
    r.clock.now = Math.max(r.clock.now, item.state === 'sending' ? item.updatedAt + SETTLE_MS : item.nextAttemptAt) + 1;
  }
  throw new Error(`${id} did not settle in ${maxRounds} rounds: ${JSON.stringify(await getItem(id), (_k, v) => (v instanceof Blob ? `Blob(${v.size})` : v))}`);
}

export async function clearOutbox(): Promise<void> {
  await (await database()).clear('outbox');
}

export async function queue(r: OutgoingReport): Promise<OutgoingReport> {
  await enqueue(r);
  return r;
}

interface StoredAttachmentRecord {
  id: number;
  filename: string;
  size: number;
  file: string;
}
interface StoredTicket {
  id: number;
  number: string;
  title: string;
  tags: string[];
  articles: { body: string; type_id: number; internal: boolean; attachments: StoredAttachmentRecord[] }[];
}

/** Tickets on the stand-in whose articles carry the marker. */
export async function ticketsWith(h: Harness, marker: string): Promise<StoredTicket[]> {
  return ((await h.stored()) as StoredTicket[]).filter((t) => t.articles.some((a) => a.body.includes(marker)));
}

async function bytesOf(a: { data: Blob }): Promise<Buffer> {
  return Buffer.from(await a.data.arrayBuffer());
}

/**
 * Exactly one ticket holds the marker, and every attachment of the report (as the outbox holds it
 * now: re-encoded ones included) is in it byte for byte.
 */
export async function expectExactlyOneCompleteTicket(h: Harness, item: OutboxItem): Promise<StoredTicket> {
  const tickets = await ticketsWith(h, item.id);
  expect(tickets.map((t) => t.number)).toHaveLength(1);
  const ticket = tickets[0]!;
  expect(item.state).toBe('sent');
  expect(item.ticket).toEqual({ id: ticket.id, number: ticket.number });
  expect(item.ticketUrl).toBe(`${h.base}/#ticket/zoom/${ticket.id}`);
  const stored = ticket.articles.flatMap((a) => a.attachments);
  for (const a of item.attachments as StoredAttachment[]) {
    const want = await bytesOf(a);
    const copies = stored.filter((s) => s.filename === a.filename).map((s) => fs.readFileSync(path.join(h.dataDir, s.file)));
    expect(copies.some((c) => c.equals(want)), `${a.filename} (${want.length} bytes) in ticket ${ticket.number}`).toBe(true);
  }
  return ticket;
}
