import type { BrowserContext } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { URLS } from '../../dev/hosts';
import type { TabSnapshot } from '../../lib/capture/snapshot';
import { CHROME_EXTENSION_ID } from '../../lib/identity';
import { expect, launchWithExtension, test } from './fixtures';
import { fault, of, openBar } from './timeline';

const snapshotOf = (callBackground: (t: string, d: unknown) => Promise<unknown>, tabId: number) =>
  callBackground('getSnapshot', { tabId }) as Promise<TabSnapshot>;

test('context survives reloads of the tab and the service worker stopping, marked with the navigation', async ({ context, serviceWorker, tabIdOf, callBackground }) => {
  test.setTimeout(90_000);
  const page = await context.newPage();
  page.on('pageerror', () => undefined);
  await openBar(page);
  const tabId = await tabIdOf('/operateurs/index.htm');

  // A fault, then an immediate reload: only the pagehide hand-over can save it.
  await fault(page, 'exception');
  await expect(page.locator('.toast--demo')).toBeVisible();
  await page.reload();
  await expect(page.locator('#cti-etat')).toHaveAttribute('data-etat', 'connecte');

  // MV3 may kill the service worker at any time: the history lives in storage.session.
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();

  await fault(page, 'rejection');
  await expect.poll(async () => of(await snapshotOf(callBackground, tabId), 'rejection').length).toBe(1);
  await page.reload();
  await expect(page.locator('#cti-etat')).toHaveAttribute('data-etat', 'connecte');
  await fault(page, 'console-warn');

  let snap!: TabSnapshot;
  await expect
    .poll(async () => {
      snap = await snapshotOf(callBackground, tabId);
      return [of(snap, 'error').length, of(snap, 'rejection').length, of(snap, 'console').filter((c) => c.l === 'warn').length];
    })
    .toEqual([1, 1, 1]);

  // Three documents: two ended by a reload, the live one; each starts with its navigation.
  expect(snap.frames.map((f) => [f.frameId, f.live, f.surface])).toEqual([
    [0, true, 'bar'],
    [0, false, 'bar'],
    [0, false, 'bar'],
  ]);
  const starts = of(snap, 'page').filter((p) => p.e === 'start');
  expect(starts.map((p) => p.how)).toEqual(['navigate', 'reload', 'reload']);
  expect(of(snap, 'page').filter((p) => p.e === 'end').map((p) => p.how)).toEqual(['pagehide', 'pagehide']);
  // Order: first document's error, its end, the second's start … the live one's warning last.
  const lives = snap.timeline.map((e) => e.life).filter((l, i, a) => a.indexOf(l) === i);
  expect(lives).toHaveLength(3);
  const [err] = of(snap, 'error');
  const [rej] = of(snap, 'rejection');
  expect(err!.life).toBe(lives[0]);
  expect(rej!.life).toBe(lives[1]);
  expect(of(snap, 'console').find((c) => c.l === 'warn')!.life).toBe(lives[2]);
  expect(err!.t).toBeLessThan(starts[1]!.t);
  expect(rej!.t).toBeLessThan(starts[2]!.t);
  const times = snap.timeline.map((e) => e.t);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  // The environment comes from the live top frame.
  expect(snap.env?.timeZone).toBe('Europe/Paris');
  expect(snap.env?.browser?.name).toMatch(/Chrom/);
  void serviceWorker;
});

test('faults on the supervision screen and the extranet land in their snapshots with the surface fields', async ({ context, tabIdOf, callBackground }) => {
  test.setTimeout(90_000);
  for (const [url, surface, path, exception, login] of [
    [URLS.supervision, 'supervision', '/superviseurs/index.htm', "reading 'nom'", '#superviseur-login'],
    [URLS.extranet, 'extranet', 'admin.axialys.net', "reading 'dialplan'", '#admin-login'],
  ] as const) {
    const page = await context.newPage();
    page.on('pageerror', () => undefined);
    await page.goto(url);
    const tabId = await tabIdOf(path);
    await expect(page.locator(login)).not.toBeEmpty();
    for (const f of ['exception', 'http500', 'ws-drop', 'failed-resource', 'csp', 'rejection']) await fault(page, f);

    let snap!: TabSnapshot;
    await expect
      .poll(async () => {
        snap = await snapshotOf(callBackground, tabId);
        // The demo rejects its promise 50 ms after the click: wait for it too.
        return [of(snap, 'error').length > 0, of(snap, 'ws').some((w) => w.e === 'close'), of(snap, 'csp').length > 0, of(snap, 'resource').length >= 2, of(snap, 'rejection').length > 0];
      }, { timeout: 20_000 })
      .toEqual([true, true, true, true, true]);
    expect(snap.frames[0]).toMatchObject({ frameId: 0, surface, live: true });
    expect(of(snap, 'error')[0]!.m).toContain(exception);
    expect(of(snap, 'net')).toContainEqual(expect.objectContaining({ status: 500 }));
    expect(of(snap, 'ws').find((w) => w.e === 'close')).toMatchObject({ code: 1006, clean: false });
    expect(of(snap, 'rejection')).toHaveLength(1);
    const fields = snap.frames[0]!.fields as Record<string, unknown>;
    expect(fields.surface).toBe(surface);
    const who = (surface === 'supervision' ? fields['supervisor'] : fields['admin']) as { login?: string } | undefined;
    expect(who?.login).toBe((await page.locator(login).innerText()).trim());
    await page.close();
  }
});

test('capture settings reach every frame: console.log on request, contact data masked', async ({ context, serviceWorker, tabIdOf, callBackground }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.set({ settings: { captureConsoleInfo: true, maskContactData: true } }));
  const page = await context.newPage();
  await openBar(page);
  const tabId = await tabIdOf('/operateurs/index.htm');
  await expect
    .poll(async () => {
      await page.evaluate(() => {
        console.log('rappeler le 06 12 34 56 78');
        console.error('fiche de jean.dupont@client.fr introuvable');
      });
      const snap = await snapshotOf(callBackground, tabId);
      return of(snap, 'console').some((c) => c.l === 'log');
    })
    .toBe(true);
  const snap = await snapshotOf(callBackground, tabId);
  const text = JSON.stringify(of(snap, 'console'));
  expect(text).toContain('rappeler le [filtré]');
  expect(text).toContain('fiche de [filtré] introuvable');
  expect(text).not.toContain('06 12 34 56 78');
  expect(text).not.toContain('jean.dupont');
});

test('without the setting, console.log stays out and contact data stays as logged', async ({ context, serviceWorker, tabIdOf, callBackground }) => {
  // A fresh Chromium answers its first policy read after seconds; until the page has its settings,
  // a snapshot masks contact data to be safe. Wait for the policy service like a running browser.
  await serviceWorker.evaluate(() => chrome.storage.managed.get(null));
  const page = await context.newPage();
  await openBar(page);
  const tabId = await tabIdOf('/operateurs/index.htm');
  await page.evaluate(() => {
    console.log('rappeler le 06 12 34 56 78');
    console.error('fiche de jean.dupont@client.fr introuvable');
  });
  await expect.poll(async () => JSON.stringify(of(await snapshotOf(callBackground, tabId), 'console'))).toContain('jean.dupont@client.fr');
  const snap = await snapshotOf(callBackground, tabId);
  expect(of(snap, 'console').some((c) => c.l === 'log')).toBe(false);
});

test('a managed policy overrides the surface rules and the privacy settings; its bad values are refused', async ({ devServer, debugPort }) => {
  // Chromium reads policies at startup from this directory (extension-engineering.md §4.7).
  const dir = '/etc/chromium/policies/managed';
  const file = path.join(dir, 'temoin-e2e-policy.json');
  const rules = [{ surface: 'extranet', hosts: ['voice-management.axialys.com'], paths: ['/superviseurs/*'] }];
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify({ '3rdparty': { extensions: { [CHROME_EXTENSION_ID]: { surfaceRules: JSON.stringify(rules), maskContactData: true, stunServer: 'https://not-stun' } } } }),
  );
  let context: BrowserContext | undefined;
  try {
    context = await launchWithExtension(devServer, debugPort);
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
    await sw.evaluate(() => chrome.storage.local.set({ settings: { maskContactData: false } }));
    await expect.poll(() => sw.evaluate(async () => Object.keys(await chrome.storage.managed.get(null)).sort())).toEqual(['maskContactData', 'stunServer', 'surfaceRules']);

    const page = await context.newPage();
    await page.goto(URLS.supervision);
    await page.evaluate(() => console.error('rappeler 06 12 34 56 78'));
    const viewer = await context.newPage();
    await viewer.goto(`chrome-extension://${CHROME_EXTENSION_ID}/viewer.html`);
    const snapshot = async () => {
      const tabs = (await viewer.evaluate(() => chrome.tabs.query({}))) as { id: number; url?: string }[];
      const tabId = tabs.find((t) => t.url === URLS.supervision)!.id;
      const reply = (await viewer.evaluate((data) => chrome.runtime.sendMessage({ id: 1, type: 'getSnapshot', data, timestamp: Date.now() }), { tabId })) as { res: TabSnapshot };
      return reply.res;
    };
    await expect.poll(async () => JSON.stringify(of(await snapshot(), 'console'))).toContain('rappeler [filtré]');
    const snap = await snapshot();
    // The policy's rules: the supervision path is now "extranet"; its DOM markers no longer count.
    expect(snap.frames[0]).toMatchObject({ surface: 'extranet', live: true });
    expect(snap.timeline.every((e) => e.surface === 'extranet')).toBe(true);
    expect(JSON.stringify(snap)).not.toContain('06 12 34 56 78');
    // The options page shows what the policy fixes, and the value it refused.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${CHROME_EXTENSION_ID}/options.html`);
    await expect(options.locator('[data-setting="maskContactData"]')).toBeChecked();
    await expect(options.locator('[data-setting="maskContactData"]')).toBeDisabled();
    await expect(options.locator('[data-setting="captureConsoleInfo"]')).toBeEnabled();
    await expect(options.getByTestId('policy-errors')).toContainText('stunServer');
  } finally {
    fs.rmSync(file, { force: true });
    await context?.close();
  }
});
