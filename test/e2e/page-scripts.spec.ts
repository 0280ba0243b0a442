import type { Frame, Page } from '@playwright/test';
import { URLS } from '../../dev/hosts';
import type { TabSnapshot } from '../../lib/capture/snapshot';
import { expect, test, type Fixtures } from './fixtures';

/**
 * Whether the hook runs in a document is seen from the outside only: the hook's wrappers look like
 * the natives on purpose (hostile pages must not tell them apart). A sentinel logged there either
 * reaches the tab's snapshot or does not.
 */
async function logSentinel(where: Page | Frame): Promise<string> {
  const sentinel = `sentinel ${Math.random().toString(36).slice(2)}`;
  await where.evaluate((s) => console.error(s), sentinel);
  return sentinel;
}

async function capturedTexts(callBackground: Fixtures['callBackground'], tabId: number): Promise<string> {
  const snap = await callBackground<TabSnapshot>('getSnapshot', { tabId });
  return JSON.stringify(snap.timeline.filter((e) => e.k === 'console'));
}

for (const [name, url, surface] of [
  ['operator bar', URLS.bar, 'bar'],
  ['supervision screen', URLS.supervision, 'supervision'],
  ['extranet', URLS.extranet, 'extranet'],
] as const) {
  test(`page hook and bridge run on the ${name} at its production URL`, async ({ context, framesOf, tabIdOf, callBackground }) => {
    const page = await context.newPage();
    await page.goto(url);
    expect(new URL(page.url()).origin).toBe(new URL(url).origin);
    const tabId = await tabIdOf(new URL(url).host);
    const sentinel = await logSentinel(page);
    await expect.poll(() => capturedTexts(callBackground, tabId)).toContain(sentinel);
    await expect.poll(async () => (await framesOf(new URL(url).host)).filter((f) => f.hook && f.frameId === 0)).toHaveLength(1);
    const [frame] = await framesOf(new URL(url).host);
    expect(frame?.surface).toBe(surface);
    expect(frame?.topOrigin).toBe(new URL(url).origin);
  });
}

test('both page scripts run in the operator bar embedded in a CRM iframe, and the token is scrubbed', async ({ context, framesOf, tabIdOf, callBackground }) => {
  const page = await context.newPage();
  await page.goto(URLS.crm);
  const barFrame = page.frames().find((f) => f.url().startsWith(URLS.bar));
  expect(barFrame, 'the CRM page embeds the bar').toBeTruthy();
  expect(barFrame!.url()).toContain('token_session=');
  await expect.poll(async () => (await framesOf('voice-management.axialys.com')).filter((f) => f.frameId !== 0 && f.hook)).toHaveLength(1);
  const [frame] = await framesOf('voice-management.axialys.com');
  expect(frame?.surface).toBe('bar');
  expect(frame?.topOrigin).toBe('https://crm.example.test');
  expect(frame?.url).toContain('token_session=[filtré]');
  expect(frame?.url).not.toMatch(/token_session=[0-9a-f]/);
  // In the CRM's own document (not an Axialys host) nothing of ours runs: its log never arrives,
  // while the bar frame's, logged after it, does.
  const tabId = await tabIdOf('voice-management.axialys.com');
  const inCrm = await logSentinel(page);
  const inBar = await logSentinel(barFrame!);
  await expect.poll(() => capturedTexts(callBackground, tabId)).toContain(inBar);
  expect(await capturedTexts(callBackground, tabId)).not.toContain(inCrm);
  expect(await framesOf('crm.example.test')).toEqual([]);
});

test('neither page script runs on a non-Axialys page', async ({ context, framesOf }) => {
  const other = await context.newPage();
  await other.goto(URLS.other);
  // Positive control in the same browser: an Axialys page loaded after it does register.
  const bar = await context.newPage();
  await bar.goto(URLS.bar);
  await expect.poll(async () => (await framesOf('voice-management.axialys.com')).length).toBeGreaterThan(0);
  expect(await framesOf('www.example.test')).toEqual([]);
});
