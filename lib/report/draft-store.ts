import { database } from '../db';
import { DRAFT_MAX_AGE_MS, DraftSchema, type Draft } from './draft';

/** The tab's draft, if one was kept and is recent; anything unreadable is dropped. */
export async function loadDraft(tabId: number, now: number = Date.now()): Promise<Draft | null> {
  const raw = await (await database()).get('drafts', tabId);
  if (raw === undefined) return null;
  const parsed = DraftSchema.safeParse(raw);
  if (parsed.success && now - parsed.data.updatedAt <= DRAFT_MAX_AGE_MS) return parsed.data;
  await discardDraft(tabId);
  return null;
}

export async function saveDraft(draft: Draft): Promise<void> {
  await (await database()).put('drafts', DraftSchema.parse(draft), draft.tabId);
}

export async function saveScreenshot(tabId: number, id: string, blob: Blob): Promise<void> {
  await (await database()).put('blobs', { id, tabId, blob });
}

export async function loadScreenshot(id: string): Promise<Blob | null> {
  return (await (await database()).get('blobs', id))?.blob ?? null;
}

export async function deleteScreenshot(id: string): Promise<void> {
  await (await database()).delete('blobs', id);
}

/** Forgets the tab's draft and its screenshots (the "discard" action, or once the report is queued). */
export async function discardDraft(tabId: number): Promise<void> {
  const d = await database();
  const tx = d.transaction(['drafts', 'blobs'], 'readwrite');
  await tx.objectStore('drafts').delete(tabId);
  for (const key of await tx.objectStore('blobs').index('byTab').getAllKeys(tabId)) await tx.objectStore('blobs').delete(key);
  await tx.done;
}
