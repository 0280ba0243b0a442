import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page, TestInfo } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import type { TabSnapshot } from '../../lib/capture/snapshot';
import { assembleReport, DEFAULT_INCLUDE } from '../../lib/report/assemble';
import { prefill } from '../../lib/report/checklist';
import { newDraft } from '../../lib/report/draft';
import { buildReportHtml, REPORT_HTML_BUDGET_BYTES } from '../../lib/report/report-html';
import type { Report } from '../../lib/report/schema';
import { summaryHtml } from '../../lib/report/summary';
import { barFaultReport, barFaultScreenshot, fixtureText, hostileReport } from '../fixtures/reports/hostile';
import { auditDom, XSS_CANARY_SELECTOR, XSS_PAYLOADS } from '../fixtures/xss-payloads';
import { CHROME_BUILD } from '../../dev/chromium';
import { expect, test } from './fixtures';
import { fault, of, openBar } from './timeline';

/**
 * Replay: report.html opened from disk, the viewer, and the ticket summary, with a real capture and
 * with XSS payloads planted in every captured string (they must run nothing, anywhere).
 */

const RENDERER = path.join(CHROME_BUILD, 'report-renderer.js');
const rendererJs = () => fs.readFileSync(RENDERER, 'utf8');

/**
 * Arms a page against script execution: dialogs, `__xssHit()` (the payloads' call), CSP violations
 * (a payload that became markup and was blocked) and page errors are all recorded.
 */
async function arm(page: Page): Promise<string[]> {
  const hits: string[] = [];
  page.on('dialog', (d) => {
    hits.push(`dialog ${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => hits.push(`pageerror: ${e.message}`));
  await page.exposeFunction('__xssReport', (s: string) => hits.push(s));
  await page.addInitScript(() => {
    const report = (s: string) => (window as unknown as { __xssReport(s: string): void }).__xssReport(s);
    Object.defineProperty(window, '__xssHit', { value: (n: unknown) => report(`__xssHit(${String(n)})`) });
    document.addEventListener('securitypolicyviolation', (e) => report(`csp ${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  return hits;
}

/** Opens every details block (lazy stacks and arguments), then audits the DOM. */
async function expandAndAudit(page: Page, root = 'body'): Promise<string[]> {
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  await expect.poll(() => page.evaluate(() => [...document.querySelectorAll('details')].filter((d) => !d.querySelector('pre, table')).length)).toBe(0);
  return page.evaluate(auditDom, { canary: XSS_CANARY_SELECTOR, root });
}

async function writeHtml(testInfo: TestInfo, name: string, report: Report, screenshots: { filename: string; dataUrl: string }[]): Promise<string> {
  const html = await buildReportHtml({ report, screenshots, rendererJs: rendererJs(), lang: report.lang });
  const file = testInfo.outputPath(name);
  fs.writeFileSync(file, html);
  return file;
}

const timelineTimes = (page: Page) =>
  page.locator('[data-part="timeline"] tbody tr:not([hidden])').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-t'))));

/** A real capture on the demo operator bar, assembled into a report as the popup does. */
async function realCapture(page: Page, tabIdOf: (u: string) => Promise<number>, callBackground: <T>(t: string, d: unknown) => Promise<T>) {
  page.on('pageerror', () => undefined);
  await openBar(page);
  const tabId = await tabIdOf('/operateurs/index.htm');
  for (const f of ['http500', 'ws-drop', 'exception']) await fault(page, f);
  let snap!: TabSnapshot;
  await expect
    .poll(async () => {
      snap = await callBackground<TabSnapshot>('getSnapshot', { tabId });
      return of(snap, 'error').length > 0 && of(snap, 'net').length > 0 && of(snap, 'ws').some((w) => w.e === 'close');
    })
    .toBe(true);
  const error = of(snap, 'error')[0]!;
  const frame = snap.frames.find((f) => f.frameId === 0)!;
  const draft = newDraft(tabId, snap.takenAt, 'bar', prefill('bar', frame.fields));
  draft.kind = 'fault';
  draft.faultTime = { mode: 'event', ms: error.t, label: error.m.slice(0, 200) };
  draft.description.what = 'Le bouton de rappel du dernier transfert ne fait rien et une erreur rouge s’affiche.';
  const jpeg = await page.screenshot({ type: 'jpeg', quality: 50 });
  const fixture = barFaultReport();
  const report = assembleReport({
    id: 'TMN-12345678-9abc-4def-8123-456789abcdef',
    version: '0.1.0',
    lang: 'fr',
    userZone: 'Europe/Paris',
    now: snap.takenAt + 30_000,
    draft,
    snap,
    ownSide: fixture.ownSide as never,
    include: DEFAULT_INCLUDE,
    screenshots: [{ filename: 'capture-1.jpg', mimeType: 'image/jpeg', bytes: jpeg.length, width: 1280, height: 720, source: 'tab', shapes: [], redactions: 0 }],
    label: (id) => id,
  });
  return { report, shot: { filename: 'capture-1.jpg', dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`, bytes: jpeg }, error };
}

test('report.html from a real capture opens from disk: sections, the fault’s error, one timeline in order', async ({ context, tabIdOf, callBackground }, testInfo) => {
  test.setTimeout(120_000);
  const page = await context.newPage();
  const { report, shot, error } = await realCapture(page, tabIdOf, callBackground);
  const file = await writeHtml(testInfo, 'report.html', report, [shot]);
  const html = fs.readFileSync(file, 'utf8');
  const dataBytes = Buffer.byteLength(JSON.stringify(report)) + shot.dataUrl.length;
  expect(Buffer.byteLength(html) - dataBytes).toBeLessThanOrEqual(REPORT_HTML_BUDGET_BYTES);

  const viewer = await context.newPage();
  const hits = await arm(viewer);
  await viewer.goto(pathToFileURL(file).href);
  const sections = viewer.locator('[data-section]');
  await expect(sections).toHaveCount(9);
  expect(await sections.evaluateAll((s) => s.map((x) => x.getAttribute('data-section')))).toEqual([
    'header', 'counts', 'description', 'screenshots', 'timeline', 'webrtc', 'prechecks', 'environment', 'footer',
  ]);
  // French (the browser's language), Paris time, the user, the URL.
  const header = viewer.locator('[data-section="header"]');
  await expect(header.locator('h1')).toHaveText('Bandeau opérateur — Incident');
  await expect(header).toContainText(report.user!);
  await expect(header).toContainText(/\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d,\d{3} \(heure de Paris, UTC\+0[12]:00\)/);
  await expect(header.locator('[data-field="url"]')).toHaveText('https://voice-management.axialys.com/operateurs/index.htm');
  // The inline stylesheet applied (its CSP hash matched) and the screenshot decoded from its data: URL.
  expect(await header.evaluate((h) => getComputedStyle(h).borderTopStyle)).toBe('solid');
  await expect.poll(() => viewer.locator('[data-section="screenshots"] img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1280);

  // One merged timeline, in time order, with the fault's error at the fault and its stack on demand.
  const rows = viewer.locator('[data-part="timeline"] tbody tr');
  await expect(rows).toHaveCount(report.timeline.length + 1);
  const times = await timelineTimes(viewer);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  const row = (k: string) => viewer.locator(`[data-part="timeline"] tbody tr[data-k="${k}"]`);
  const errorRow = row('error');
  await expect(errorRow).toContainText(error.m);
  await expect(errorRow.locator('.tmn-rel')).toHaveText('±00:00,000');
  await expect(row('fault')).toHaveCount(1);
  await errorRow.locator('summary').click();
  await expect(errorRow.locator('pre')).toContainText('TypeError');
  for (const k of ['page', 'ws', 'click', 'net', 'console', 'error']) await expect(row(k).first()).toBeAttached();
  // Filters and search work in the real browser.
  await viewer.locator('input[data-filter="click"]').uncheck();
  await expect(row('click').first()).toBeHidden();
  await viewer.locator('input[data-filter="search"]').fill('id_appel');
  await expect(viewer.locator('[data-part="timeline"] tbody tr:not([hidden])')).toHaveCount(2);
  await expect(viewer.locator('[data-count="replayCountWsDrops"] strong')).toHaveText('1');
  expect(hits).toEqual([]);
});

test('the viewer opens the same data: context.json with its screenshot, the bundle, old and newer versions, and exports report.html', async ({ context, extensionId }, testInfo) => {
  test.setTimeout(120_000);
  const report = barFaultReport();
  const shot = barFaultScreenshot();
  const ctxFile = testInfo.outputPath('context.json');
  fs.writeFileSync(ctxFile, JSON.stringify(report));
  const shotFile = testInfo.outputPath('capture-1.jpg');
  fs.writeFileSync(shotFile, shot.bytes);

  // report.html from disk, for comparison.
  const fromDisk = await context.newPage();
  await fromDisk.goto(pathToFileURL(await writeHtml(testInfo, 'report.html', report, [shot])).href);
  await expect(fromDisk.locator('[data-part="timeline"] tbody tr')).toHaveCount(report.timeline.length + 1);
  const diskRows = await fromDisk.locator('[data-part="timeline"] tbody tr').evaluateAll((r) => r.map((x) => x.textContent));

  const page = await context.newPage();
  const hits = await arm(page);
  await page.goto(`chrome-extension://${extensionId}/viewer.html`);
  const input = page.getByTestId('viewer-file');
  await input.setInputFiles([ctxFile, shotFile]);
  await expect(page.getByTestId('viewer-opened')).toContainText(`context.json ouvert : ${report.timeline.length} événement(s), 1 capture(s) d’écran.`);
  const out = page.getByTestId('viewer-report');
  await expect(out.locator('[data-section]')).toHaveCount(9);
  await expect(out.locator('h1')).toHaveText('Bandeau opérateur — Incident');
  expect(await out.locator('[data-part="timeline"] tbody tr').evaluateAll((r) => r.map((x) => x.textContent))).toEqual(diskRows);
  await expect.poll(() => out.locator('[data-section="screenshots"] img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1280);

  // The exported bundle.
  const zipFile = testInfo.outputPath('TMN-bundle.zip');
  fs.writeFileSync(zipFile, zipSync({ 'context.json': strToU8(JSON.stringify(report)), 'capture-1.jpg': new Uint8Array(shot.bytes), 'report.html': strToU8('<!doctype html>') }));
  await input.setInputFiles(zipFile);
  await expect(page.getByTestId('viewer-opened')).toContainText('TMN-bundle.zip ouvert');
  await expect(out.locator('[data-section="screenshots"] img')).toHaveCount(1);

  // The pre-release (schemaVersion 0) file opens, migrated, with a notice; a newer one with what it knows.
  const v0 = testInfo.outputPath('old.json');
  fs.writeFileSync(v0, fixtureText('bar-fault.v0.json'));
  await input.setInputFiles(v0);
  await expect(out.locator('[data-notice]')).toContainText('préversion de Témoin (schéma 0)');
  await expect(out.locator('[data-part="timeline"] tbody tr')).toHaveCount(report.timeline.length + 1);
  const v2 = testInfo.outputPath('newer.json');
  fs.writeFileSync(v2, fixtureText('bar-fault.v2.json'));
  await input.setInputFiles(v2);
  await expect(out.locator('[data-notice]')).toHaveCount(3);
  await expect(out.locator('[data-notice]').nth(0)).toContainText('version plus récente de Témoin (schéma 2)');

  // A file that is not a report: a clear error, nothing rendered.
  const bad = testInfo.outputPath('bad.json');
  fs.writeFileSync(bad, '{"hello": "world"}');
  await input.setInputFiles(bad);
  await expect(page.getByTestId('viewer-error')).toHaveText(/^Ce fichier n.est pas un rapport Témoin lisible : il n’a pas de champ schemaVersion : ce n’est pas un rapport Témoin$/);
  await expect(out.locator('[data-section]')).toHaveCount(0);

  // report.html made inside the extension (loadRendererJs + crypto.subtle), opened from disk.
  await input.setInputFiles([ctxFile, shotFile]);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('viewer-export').click()]);
  const exported = testInfo.outputPath('exported-report.html');
  await download.saveAs(exported);
  const reopened = await context.newPage();
  const reopenedHits = await arm(reopened);
  await reopened.goto(pathToFileURL(exported).href);
  expect(await reopened.locator('[data-part="timeline"] tbody tr').evaluateAll((r) => r.map((x) => x.textContent))).toEqual(diskRows);
  await expect.poll(() => reopened.locator('[data-section="screenshots"] img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(1280);
  expect(hits).toEqual([]);
  expect(reopenedHits).toEqual([]);
});

test(`XSS: ${XSS_PAYLOADS.length} payloads in every captured string run nothing in report.html opened from disk`, async ({ context }, testInfo) => {
  test.setTimeout(180_000);
  const { report, used } = hostileReport(barFaultReport());
  expect(used.size).toBe(XSS_PAYLOADS.length);
  const file = await writeHtml(testInfo, 'hostile-report.html', report, [barFaultScreenshot()]);
  const page = await context.newPage();
  const hits = await arm(page);
  await page.goto(pathToFileURL(file).href);
  await expect(page.locator('[data-part="timeline"] tbody tr')).toHaveCount(report.timeline.length + 1);
  expect(await expandAndAudit(page)).toEqual([]);
  await expect(page.locator('script')).toHaveCount(4);
  // Payloads typed into the search box, and the other language.
  for (const p of XSS_PAYLOADS.slice(0, 10)) await page.locator('input[data-filter="search"]').fill(p);
  await page.locator('button[data-lang="en"]').click();
  expect(await expandAndAudit(page)).toEqual([]);
  await expect(page.locator('body')).toContainText('<img src=x onerror=alert(1)>');
  expect(hits).toEqual([]);

  // The detectors work: markup injected behind the renderer's back is caught (blocked by the CSP, reported).
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="__xssHit(0)"><b class="xss-canary"></b>'));
  await expect.poll(() => hits.some((h) => h.startsWith('csp '))).toBe(true);
  expect(await page.evaluate(auditDom, { canary: XSS_CANARY_SELECTOR })).not.toEqual([]);
});

test(`XSS: the same payloads run nothing in the viewer, nor in the report.html it exports`, async ({ context, extensionId }, testInfo) => {
  test.setTimeout(180_000);
  const { report } = hostileReport(barFaultReport());
  const file = testInfo.outputPath('context.json');
  fs.writeFileSync(file, JSON.stringify(report));
  const page = await context.newPage();
  const hits = await arm(page);
  await page.goto(`chrome-extension://${extensionId}/viewer.html`);
  await page.getByTestId('viewer-file').setInputFiles(file);
  await expect(page.locator('[data-part="timeline"] tbody tr')).toHaveCount(report.timeline.length + 1);
  expect(await expandAndAudit(page, '[data-testid="viewer-report"]')).toEqual([]);
  await expect(page.getByTestId('viewer-report')).toContainText('</script><script>__xssHit(2)</script>');
  expect(hits).toEqual([]);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('viewer-export').click()]);
  const exported = testInfo.outputPath('exported-hostile.html');
  await download.saveAs(exported);
  const reopened = await context.newPage();
  const reopenedHits = await arm(reopened);
  await reopened.goto(pathToFileURL(exported).href);
  await expect(reopened.locator('[data-part="timeline"] tbody tr')).toHaveCount(report.timeline.length + 1);
  expect(await expandAndAudit(reopened)).toEqual([]);
  expect(reopenedHits).toEqual([]);

  // The detectors work in the viewer too (its extension CSP blocks inline handlers: reported).
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="data:," onerror="__xssHit(0)">'));
  await expect.poll(() => hits.some((h) => h.startsWith('csp '))).toBe(true);
});

test('XSS: the same payloads run nothing in the ticket summary (rendered as HTML, no CSP)', async ({ context }) => {
  const { report } = hostileReport(barFaultReport());
  const page = await context.newPage();
  const hits = await arm(page);
  for (const lang of ['fr', 'en'] as const) {
    await page.setContent(`<!doctype html><meta charset="utf-8"><body>${summaryHtml(report, lang)}</body>`);
    await expect(page.locator('table tr')).toHaveCount(8);
    const tags = await page.evaluate(() => [...new Set([...document.body.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()))]);
    for (const t of tags) expect(['br', 'p', 'strong', 'table', 'tbody', 'td', 'th', 'tr']).toContain(t);
    expect(await page.evaluate(auditDom, { canary: XSS_CANARY_SELECTOR })).toEqual([]);
    // The payloads are there, as text.
    const text = (await page.locator('body').textContent())!;
    expect(text).toContain(report.id);
    expect(text.match(/<[a-z!/]/gi)?.length ?? 0).toBeGreaterThan(5);
  }
  expect(hits).toEqual([]);
  // Without escaping, the same page would have run it: the detector catches it.
  await page.setContent(`<body>${report.user}<img src=x onerror="__xssHit('control')"></body>`);
  await expect.poll(() => hits.length).toBeGreaterThan(0);
});
