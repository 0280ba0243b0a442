/**
 * The outbox: every report the user sent, until Zammad holds it (IndexedDB, lib/db.ts). The popup
 * writes with `enqueue`; the background (lib/background/delivery.ts) is the only one that moves a
 * report through its states. Every change is announced on a BroadcastChannel so open extension
 * pages (the "Mes signalements" list) update live; the channel works between the service worker
 * and the pages of the same extension, in Chrome and Firefox.
 */
import { database } from '../db';
import { ReportIdSchema } from '../report/schema';
import type { OutboxItem, OutgoingReport, StoredAttachment } from './outbox-types';

export * from './outbox-types';

export const OUTBOX_CHANNEL = 'temoin-outbox';

/** Tells every open extension page (and the worker) that the outbox changed. */
export function announce(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const ch = new BroadcastChannel(OUTBOX_CHANNEL);
  ch.postMessage({ type: 'changed', at: Date.now() });
  ch.close();
}

/** Calls `onChange` whenever the outbox changes (in any context); returns the unsubscribe. */
export function watchOutbox(onChange: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const ch = new BroadcastChannel(OUTBOX_CHANNEL);
  ch.onmessage = () => onChange();
  return () => ch.close();
}

export function newItem(r: OutgoingReport, now = Date.now()): OutboxItem {
  const attachments: StoredAttachment[] = r.attachments.map((a) => ({ filename: a.filename, mimeType: a.mimeType, data: a.data, size: a.data.size, level: 0 }));
  return {
    id: r.id,
    createdAt: r.createdAt,
    surface: r.surface,
    title: r.title,
    bodyHtml: r.bodyHtml,
    attachments,
    state: 'queued',
    updatedAt: now,
    attempts: 0,
    nextAttemptAt: 0,
    maybeCommitted: false,
    ticket: null,
    ticketUrl: null,
    split: false,
    followUps: 0,
    reason: null,
    lastError: null,
    mode: null,
  };
}

/**
 * Queues a report. Idempotent on `id`: a report already in the outbox (whatever its state) is
 * left as it is, so a double click or a re-sent message never files it twice.
 */
export async function enqueue(r: OutgoingReport): Promise<void> {
  if (!ReportIdSchema.safeParse(r.id).success) throw new Error(`invalid report id: ${r.id}`);
  const names = new Set<string>();
  for (const a of r.attachments) {
    if (!(a.data instanceof Blob)) throw new Error(`attachment ${a.filename} is not a Blob`);
    if (names.has(a.filename)) throw new Error(`duplicate attachment name: ${a.filename}`);
    names.add(a.filename);
  }
  const db = await database();
  const tx = db.transaction('outbox', 'readwrite');
  if (!(await tx.store.get(r.id))) await tx.store.put(newItem(r));
  await tx.done;
  announce();
}

export async function getItem(id: string): Promise<OutboxItem | null> {
  return (await (await database()).get('outbox', id)) ?? null;
}

/** Every report, newest first. */
export async function listOutbox(): Promise<OutboxItem[]> {
  const all = await (await database()).getAll('outbox');
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Read-modify-write of one report in a single transaction. `mutate` returns the new record (or
 * null to leave it). A report deleted meanwhile stays deleted: nothing is written.
 */
export async function updateItem(id: string, mutate: (item: OutboxItem) => OutboxItem | null, now = Date.now()): Promise<OutboxItem | null> {
  const db = await database();
  const tx = db.transaction('outbox', 'readwrite');
  const cur = await tx.store.get(id);
  const next = cur ? mutate(cur) : null;
  if (next) await tx.store.put({ ...next, updatedAt: now });
  await tx.done;
  if (next) announce();
  return next ? { ...next, updatedAt: now } : null;
}

export async function deleteItem(id: string): Promise<void> {
  await (await database()).delete('outbox', id);
  announce();
}

/** Reports not yet in Zammad (queued, sending, needs attention): the badge count. */
export async function pendingCount(): Promise<number> {
  const all = await (await database()).getAll('outbox');
  return all.filter((i) => i.state !== 'sent').length;
}

/** Removes sent reports older than `maxAgeMs` (their tickets are in Zammad; the list stays short). */
export async function pruneSent(maxAgeMs: number, now = Date.now()): Promise<number> {
  const db = await database();
  const tx = db.transaction('outbox', 'readwrite');
  let n = 0;
  for (const item of await tx.store.index('byState').getAll('sent')) {
    if (now - item.updatedAt > maxAgeMs) {
      await tx.store.delete(item.id);
      n++;
    }
  }
  await tx.done;
  if (n) announce();
  return n;
}
