import { URLS } from '../../dev/hosts';
import { expect, test } from './fixtures';

/** True when console.error is the browser's own function (i.e. our hook did not wrap it). */
const consoleIsNative = () => Function.prototype.toString.call(console.error).includes('[native code]');

for (const [name, url, surface] of [
  ['operator bar', URLS.bar, 'bar'],
  ['supervision screen', URLS.supervision, 'supervision'],
  ['extranet', URLS.extranet, 'extranet'],
] as const) {
  test(`page hook and bridge run on the ${name} at its production URL`, async ({ context, framesOf }) => {
    const page = await context.newPage();
    await page.goto(url);
    expect(new URL(page.url()).origin).toBe(new URL(url).origin);
    expect(await page.evaluate(consoleIsNative)).toBe(false);
    await expect.poll(async () => (await framesOf(new URL(url).host)).filter((f) => f.hook && f.frameId === 0)).toHaveLength(1);
    const [frame] = await framesOf(new URL(url).host);
    expect(frame?.surface).toBe(surface);
    expect(frame?.topOrigin).toBe(new URL(url).origin);
  });
}

test('both page scripts run in the operator bar embedded in a CRM iframe, and the token is scrubbed', async ({ context, framesOf }) => {
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
  // In the CRM's own document (not an Axialys host) nothing of ours runs.
  expect(await page.evaluate(consoleIsNative)).toBe(true);
  expect(await barFrame!.evaluate(consoleIsNative)).toBe(false);
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
  expect(await other.evaluate(consoleIsNative)).toBe(true);
});
