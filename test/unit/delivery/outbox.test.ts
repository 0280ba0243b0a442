// @vitest-environment node
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { database, DB_NAME } from '../../../lib/db';
import { enqueue, getItem, listOutbox, OUTBOX_CHANNEL, pendingCount, pruneSent, updateItem, watchOutbox, deleteItem } from '../../../lib/delivery/outbox';
import { createRunner } from '../../../lib/delivery/runner';

const id = (n: number) => `TMN-3f2c0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const report = (n: number, createdAt = 1000 + n) => ({
  id: id(n),
  createdAt,
  surface: 'bar' as const,
  title: `t${n}`,
  bodyHtml: '<p>b</p>',
  attachments: [{ filename: 'context.json', mimeType: 'application/json', data: new Blob(['{"a":1}']) }],
});

describe('outbox store', () => {
  // First: the upgrade from a profile that only knew drafts and screenshots (version 1).
  it('upgrades a version-1 database without losing its drafts', async () => {
    const v1 = await openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore('drafts');
        d.createObjectStore('blobs', { keyPath: 'id' }).createIndex('byTab', 'tabId');
      },
    });
    await v1.put('drafts', { kept: true }, 7);
    await v1.put('blobs', { id: 'shot-1', tabId: 7, blob: new Blob(['png']) });
    v1.close();
    const db = await database();
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['blobs', 'drafts', 'outbox']);
    expect(await db.get('drafts', 7)).toEqual({ kept: true });
    expect((await db.get('blobs', 'shot-1'))?.tabId).toBe(7);
  });

  it('queues a report once per marker, with its attachments and their sizes', async () => {
    await enqueue(report(1));
    await enqueue({ ...report(1), title: 'again' });
    const item = await getItem(id(1));
    expect(item).toMatchObject({ state: 'queued', title: 't1', attempts: 0, ticket: null, maybeCommitted: false });
    expect(item!.attachments.map((a) => [a.filename, a.size, a.level])).toEqual([['context.json', 7, 0]]);
    expect(await (item!.attachments[0]!.data as Blob).text()).toBe('{"a":1}');
  });

  it('refuses what it could not deliver safely', async () => {
    await expect(enqueue({ ...report(2), id: 'FC-123' })).rejects.toThrow(/invalid report id/);
    await expect(enqueue({ ...report(2), attachments: [...report(2).attachments, ...report(2).attachments] })).rejects.toThrow(/duplicate/);
    await expect(enqueue({ ...report(2), attachments: [{ filename: 'x', mimeType: 'text/plain', data: 'x' as never }] })).rejects.toThrow(/not a Blob/);
    expect(await getItem(id(2))).toBeNull();
  });

  it('lists newest first, counts what is not sent, and announces every change', async () => {
    const heard: number[] = [];
    const stop = watchOutbox(() => heard.push(1));
    await enqueue(report(3, 5000));
    await updateItem(id(1), (c) => ({ ...c, state: 'sent' }), 10);
    expect((await listOutbox()).map((i) => i.id)).toEqual([id(3), id(1)]);
    expect(await pendingCount()).toBe(1);
    await expect.poll(() => heard.length).toBeGreaterThanOrEqual(2);
    stop();
    expect(OUTBOX_CHANNEL).toBe('temoin-outbox');
  });

  it('does not bring a deleted report back', async () => {
    await deleteItem(id(3));
    expect(await updateItem(id(3), (c) => ({ ...c, state: 'sending' }))).toBeNull();
    expect(await getItem(id(3))).toBeNull();
  });

  it('prunes old sent reports only', async () => {
    await enqueue(report(4));
    await updateItem(id(1), (c) => ({ ...c, state: 'sent' }), 10);
    expect(await pruneSent(1000, 2000)).toBe(1);
    expect(await getItem(id(1))).toBeNull();
    expect(await getItem(id(4))).not.toBeNull();
  });

  it('retry resets the backoff; settings changes requeue only what they can cure', async () => {
    const runner = createRunner({ now: () => 50, random: () => 0, config: async () => { throw new Error('unused'); }, schedule: () => undefined });
    await enqueue(report(5));
    await enqueue(report(6));
    await updateItem(id(4), (c) => ({ ...c, state: 'needs-attention', reason: { key: 'auth', detail: 'x' }, attempts: 3 }));
    await updateItem(id(5), (c) => ({ ...c, state: 'needs-attention', reason: { key: 'invalid', detail: 'y' } }));
    await updateItem(id(6), (c) => ({ ...c, state: 'needs-attention', reason: { key: 'formUncertain', detail: '' }, maybeCommitted: true }));
    expect(await runner.requeueForSettings()).toBe(1);
    expect(await getItem(id(4))).toMatchObject({ state: 'queued', attempts: 0, nextAttemptAt: 0 });
    expect((await getItem(id(5)))!.state).toBe('needs-attention');
    await runner.retry(id(5));
    expect((await getItem(id(5)))!.state).toBe('queued');
    await runner.retry(id(6));
    // "Send again" after an unverifiable form submit is the user's call: no marker search blocks it.
    expect(await getItem(id(6))).toMatchObject({ state: 'queued', maybeCommitted: false });
    await updateItem(id(5), (c) => ({ ...c, state: 'sent' }));
    await runner.retry(id(5));
    expect((await getItem(id(5)))!.state).toBe('sent');
  });
});
