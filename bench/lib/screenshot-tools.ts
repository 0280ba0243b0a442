/**
 * Helpers of the screenshot and popup sections: a tab whose viewport is exactly W×H at DPR 1,
 * the real toolbar click (CDP Extensions.triggerAction on the tab target, as
 * test/e2e/fixtures.ts clickToolbar does; needs --enable-unsafe-extension-debugging, which
 * dev/chromium.ts passes), and an extension page to run code in.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { sleep, type BenchBrowser } from './browser';
import type { CdpSession } from './cdp';
import { BENCH_TMP } from './extension';

/**
 * Like bench/lib/bundle.ts (one classic script with its npm packages, in memory), with esbuild:
 * about a second for the screenshot section's four bundles, where Vite takes ~20 s on the loaded
 * 2-core machine. The product code in them (lib/screenshot) is bundled as is, minified.
 */
export async function bundleFast(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [path.resolve(entry)],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error(`bundling ${entry} produced no script`);
  return file.text;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/** Polls `expression` in the session until it is truthy. */
export async function waitFor(session: CdpSession, expression: string, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await session.evaluate<boolean>(expression).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await sleep(everyMs);
  }
}

/**
 * Opens url in a new window whose viewport (window.innerWidth × innerHeight) is width × height
 * (headless Chromium draws a toolbar: the window is grown by its height), and attaches to the
 * page (no domain enabled). Resolves once the document is complete. With a browserContextId (CDP
 * Target.createBrowserContext): in that context, i.e. a renderer process of its own, without the
 * extension.
 */
export async function openViewport(
  browser: BenchBrowser,
  url: string,
  width = 1920,
  height = 1080,
  opts: { browserContextId?: string } = {},
): Promise<{ target: string; session: CdpSession }> {
  const { targetId } = await browser.cdp.send<{ targetId: string }>('Target.createTarget', { url, newWindow: true, width, height, ...opts });
  const session = await browser.attach(targetId);
  await waitFor(session, `document.readyState === 'complete' && location.href !== 'about:blank'`);
  const size = () => session.evaluate<{ w: number; h: number; dpr: number }>(`({ w: innerWidth, h: innerHeight, dpr: devicePixelRatio })`);
  let s = await size();
  for (let attempt = 0; (s.w !== width || s.h !== height) && attempt < 5; attempt++) {
    const { windowId, bounds } = await browser.cdp.send<{ windowId: number; bounds: { width: number; height: number } }>('Browser.getWindowForTarget', { targetId });
    await browser.cdp.send('Browser.setWindowBounds', { windowId, bounds: { width: bounds.width + width - s.w, height: bounds.height + height - s.h } });
    await sleep(200);
    s = await size();
  }
  if (s.w !== width || s.h !== height || s.dpr !== 1) throw new Error(`viewport of ${url} is ${s.w}×${s.h} at DPR ${s.dpr}, not ${width}×${height} at DPR 1`);
  return { target: targetId, session };
}

/** The 'tab' target showing url (Extensions.triggerAction only accepts those); exactly one must match. */
export async function tabTargetOf(browser: BenchBrowser, url: string): Promise<string> {
  const { targetInfos } = await browser.cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets', { filter: [{ type: 'tab' }] });
  const ids = [...new Set(targetInfos.filter((t) => t.type === 'tab' && t.url === url).map((t) => t.targetId))];
  if (ids.length !== 1) throw new Error(`${ids.length} tab targets show ${url}`);
  return ids[0]!;
}

/** The toolbar button of the extension, clicked on the tab showing url (grants activeTab, opens the popup). */
export async function clickToolbar(browser: BenchBrowser, extensionId: string, tabTarget: string): Promise<void> {
  await browser.cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tabTarget });
}

/** Page targets whose URL starts with prefix (e.g. an extension's popup.html). */
export async function pagesAt(browser: BenchBrowser, prefix: string): Promise<string[]> {
  const { targetInfos } = await browser.cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets');
  return targetInfos.filter((t) => t.type === 'page' && t.url.startsWith(prefix)).map((t) => t.targetId);
}

/** An extension page (a tab of `path`), attached, with chrome.runtime available. */
export async function openExtensionPage(browser: BenchBrowser, extensionId: string, path: string): Promise<{ target: string; session: CdpSession }> {
  const target = await browser.newTab(`chrome-extension://${extensionId}/${path}`);
  const session = await browser.attach(target);
  await waitFor(session, `typeof chrome === 'object' && !!chrome.runtime && document.readyState !== 'loading'`, 20_000, 100);
  return { target, session };
}

/** Chromium's extension id for a manifest key (sha256 of the public key, first 32 hex digits as a–p). */
export function extensionIdOfKey(keyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/**
 * A control extension with nothing but a static popup (a heading and a paragraph, no script), in
 * bench/.tmp/<name> (BENCH_TMP): what opening any extension popup costs in this browser. Returns its dir and id.
 */
export function staticPopupExtension(name: string): { dir: string; id: string } {
  const dir = path.join(BENCH_TMP, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const manifest = { manifest_version: 3, name: 'bench: static popup', version: '1.0', key, action: { default_popup: 'popup.html', default_title: 'static popup' } };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(
    path.join(dir, 'popup.html'),
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Popup statique</title><style>body{font:14px system-ui,sans-serif;width:420px;margin:12px}</style></head>' +
      '<body><h1>Signaler un incident</h1><p>Une fenêtre sans script : ce que coûte l’ouverture d’une fenêtre d’extension.</p></body></html>',
  );
  return { dir, id: extensionIdOfKey(key) };
}
