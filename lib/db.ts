import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxItem } from './delivery/outbox-types';

/**
 * Témoin's IndexedDB (one database for the extension's origin, shared by the popup and the
 * background): drafts per tab, the screenshots' pixels, and the outbox of reports being delivered
 * (lib/delivery/outbox.ts). It survives the service worker's restarts and the browser's.
 *
 * Versions: 1 drafts + blobs; 2 adds outbox. The upgrade runs each step the stored database has
 * not seen yet, so a profile still at version 1 keeps its drafts.
 */
export interface TemoinDB extends DBSchema {
  drafts: { key: number; value: unknown };
  blobs: { key: string; value: { id: string; tabId: number; blob: Blob }; indexes: { byTab: number } };
  outbox: { key: string; value: OutboxItem; indexes: { byState: string } };
}

export const DB_NAME = 'temoin';
export const DB_VERSION = 2;
let db: Promise<IDBPDatabase<TemoinDB>> | null = null;

export function database(): Promise<IDBPDatabase<TemoinDB>> {
  db ??= openDB<TemoinDB>(DB_NAME, DB_VERSION, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) {
        d.createObjectStore('drafts');
        d.createObjectStore('blobs', { keyPath: 'id' }).createIndex('byTab', 'tabId');
      }
      if (oldVersion < 2) d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byState', 'state');
    },
    // Another context (the popup, an older worker) keeps a version-1 connection open: let it go so
    // the upgrade is not blocked, and reopen on the next call.
    blocking() {
      void db?.then((x) => x.close());
      db = null;
    },
    terminated() {
      db = null;
    },
  });
  return db;
}
