import { storage } from '#imports';
import type { ArchivedLife } from '../capture/snapshot';
import { addToHistory, type FrameArchive } from './history';

/** One storage.session item per tab (survives the service worker's restarts, not the browser's). */
const keyOf = (tabId: number) => `session:history:${tabId}` as const;

// Serialise read-modify-write per background: hand-overs from several frames may cross.
let queue: Promise<unknown> = Promise.resolve();

function isLives(v: unknown): v is ArchivedLife[] {
  return Array.isArray(v);
}

export async function historyOf(tabId: number): Promise<ArchivedLife[]> {
  await queue.catch(() => undefined);
  const v = await storage.getItem<unknown>(keyOf(tabId));
  return isLives(v) ? v : [];
}

export function archiveFrame(tabId: number, frameId: number, a: FrameArchive): Promise<void> {
  const next = queue.then(async () => {
    const lives = await storage.getItem<unknown>(keyOf(tabId));
    await storage.setItem(keyOf(tabId), addToHistory(isLives(lives) ? lives : [], frameId, a, Date.now()));
  });
  queue = next.catch(() => undefined);
  return next;
}

export const forgetHistory = (tabId: number) => storage.removeItem(keyOf(tabId));
