import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * Témoin's IndexedDB (one database for the extension's origin, shared by the popup and the
 * background): drafts per tab and the screenshots' pixels. It survives the service worker's
 * restarts and the browser's.
 */
export interface TemoinDB extends DBSchema {
  drafts: { key: number; value: unknown };
  blobs: { key: string; value: { id: string; tabId: number; blob: Blob } ; indexes: { byTab: number } };
}

export const DB_NAME = 'temoin';
let db: Promise<IDBPDatabase<TemoinDB>> | null = null;

export function database(): Promise<IDBPDatabase<TemoinDB>> {
  db ??= openDB<TemoinDB>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('drafts');
      d.createObjectStore('blobs', { keyPath: 'id' }).createIndex('byTab', 'tabId');
    },
  });
  return db;
}
