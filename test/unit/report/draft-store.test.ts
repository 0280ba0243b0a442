import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newDraft } from '../../../lib/report/draft';
import { discardDraft, loadDraft, loadScreenshot, saveDraft, saveScreenshot } from '../../../lib/report/draft-store';
import { database } from '../../../lib/db';

const T = 1_800_000_000_000;

describe('draft store (IndexedDB)', () => {
  it('keeps a draft per tab with its screenshots, and discards both', async () => {
    const d = { ...newDraft(7, T, 'bar', { agentLogin: 'jdupont' }), kind: 'fault' as const };
    d.description.what = 'Plus de son';
    await saveDraft(d);
    await saveScreenshot(7, 'shot-1', new Blob(['png'], { type: 'image/png' }));
    await saveScreenshot(8, 'shot-2', new Blob(['other tab']));
    expect(await loadDraft(7, T + 1000)).toEqual(d);
    expect(await loadDraft(8, T)).toBeNull();
    // (happy-dom's Blob does not survive fake-indexeddb's structured clone intact; the real round
    // trip is in test/e2e/report-form.spec.ts, where the restored draft shows its screenshot.)
    expect(await loadScreenshot('shot-1')).not.toBeNull();

    await discardDraft(7);
    expect(await loadDraft(7, T)).toBeNull();
    expect(await loadScreenshot('shot-1')).toBeNull();
    expect(await loadScreenshot('shot-2')).not.toBeNull();
  });

  it('drops stale or unreadable drafts instead of restoring them', async () => {
    await saveDraft(newDraft(9, T, 'other', {}));
    expect(await loadDraft(9, T + 25 * 3600 * 1000)).toBeNull();
    expect(await loadDraft(9, T)).toBeNull();
    await (await database()).put('drafts', { v: 99, junk: true }, 10);
    expect(await loadDraft(10, T)).toBeNull();
    expect(await (await database()).get('drafts', 10)).toBeUndefined();
  });

  it('refuses to save a draft that breaks the schema', async () => {
    const bad = { ...newDraft(11, T, 'bar', {}), surface: 'nowhere' } as never;
    await expect(saveDraft(bad)).rejects.toThrow();
  });
});
