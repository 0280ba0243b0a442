/**
 * Page-load experiments: the demo bar loaded in several browsers, each with a variant of the
 * build (which scripts run, in which world, when), to see what each part costs. It found that the
 * bridge's isolated world, declared at document_start or even document_idle (which Chromium runs
 * before the load event), lengthened the bar's load by ~10 %, and the page hook alone by nothing
 * measurable.
 *
 *   [MODE=fresh|same] [SETTLE_MS=300] npx tsx bench/tools/pageload-variants.ts [rounds=30] [variant,variant,…]
 *
 * fresh: a new tab (and renderer process) per load, closed at once; same: one tab per browser,
 * navigated again (a reload). Variants: see VARIANTS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startDevServer } from '../../dev/server';
import { URLS } from '../../dev/hosts';
import { AXIALYS_MATCHES } from '../../lib/identity';
import { BenchBrowser, sleep } from '../lib/browser';
import type { CdpSession } from '../lib/cdp';
import { controlCopy, snapshotBuild, temoinExtensionId } from '../lib/extension';
import { fmtSummary, shuffled, summarize } from '../lib/stats';
import { loadOnce, measureLoad, type Timing } from '../sections/pageload';

type Manifest = { content_scripts: { matches: string[]; js: string[]; run_at?: string; all_frames?: boolean; world?: string }[] } & Record<string, unknown>;
const editManifest = (dir: string, fn: (m: Manifest) => Manifest): string => {
  const f = path.join(dir, 'manifest.json');
  fs.writeFileSync(f, JSON.stringify(fn(JSON.parse(fs.readFileSync(f, 'utf8')) as Manifest)));
  return dir;
};
/** The bridge declared in the manifest (the design before the background injected it). */
const declaredBridge = (runAt: string) => (m: Manifest): Manifest => ({
  ...m,
  content_scripts: [...m.content_scripts, { matches: AXIALYS_MATCHES, js: ['page-bridge.js'], run_at: runAt, all_frames: true }],
});

/** Extension folders per variant (the shipped build: undefined). */
const VARIANTS: Record<string, () => string[] | undefined> = {
  without: () => [],
  with: () => undefined,
  // Témoin's manifest and background, empty scripts (the hook and the injected bridge).
  empty: () => [controlCopy('v-empty', { empty: true })],
  // The same content-script declaration with an empty file, and nothing else: no background, no permissions.
  bare: () => [editManifest(controlCopy('v-bare', { empty: true }), (m) => ({ manifest_version: 3, name: 'bare', version: '1.0', content_scripts: m.content_scripts }))],
  // Témoin's background and manifest, no content script.
  'bg-only': () => [editManifest(controlCopy('v-bg-only', {}), (m) => ({ ...m, content_scripts: [] }))],
  // The hook, and a bridge that does nothing.
  'hook-only': () => [controlCopy('v-hook-only', { hookOnly: true })],
  // The former designs: the bridge declared at document_start, or at document_idle.
  'bridge-start': () => [editManifest(controlCopy('v-bridge-start', {}), declaredBridge('document_start'))],
  'bridge-idle': () => [editManifest(controlCopy('v-bridge-idle', {}), declaredBridge('document_idle'))],
};

const rounds = Number(process.argv[2] ?? 30);
const names = (process.argv[3] ?? 'without,empty,with').split(',');
for (const n of names) if (!VARIANTS[n]) throw new Error(`unknown variant ${n}: ${Object.keys(VARIANTS).join(', ')}`);
const mode = process.env.MODE ?? 'fresh';
const settle = Number(process.env.SETTLE_MS ?? 300);
await snapshotBuild();
const server = await startDevServer();
const browsers = new Map<string, BenchBrowser>();
const tabs = new Map<string, CdpSession>();
const samples = new Map<string, Timing[]>(names.map((n) => [n, []]));
try {
  for (const n of names) {
    const extensions = VARIANTS[n]!();
    const b = await BenchBrowser.launch({ rules: server.rules, ...(extensions ? { extensions } : {}) });
    if (!extensions) await b.waitForExtension(temoinExtensionId());
    browsers.set(n, b);
    if (mode === 'same') {
      const s = await b.attach(await b.newTab('about:blank'));
      await s.send('Page.enable');
      tabs.set(n, s);
    }
  }
  for (let i = 0; i < rounds + 2; i++) {
    for (const n of shuffled(names)) {
      const t = mode === 'same' ? await measureLoad(browsers.get(n)!, tabs.get(n)!, URLS.bar) : await loadOnce(browsers.get(n)!, URLS.bar);
      if (i >= 2) samples.get(n)!.push(t);
      await sleep(settle);
    }
    if (i % 10 === 9) console.error(`round ${i + 1}`);
  }
} finally {
  for (const b of browsers.values()) await b.close();
  await server.close();
}
const base = summarize(samples.get('without')?.map((t) => t.load) ?? []).median;
for (const n of names) {
  const s = samples.get(n)!;
  const load = summarize(s.map((t) => t.load));
  console.log(`${n.padEnd(13)} loadEventEnd ${fmtSummary(load)}  ${(load.median / base).toFixed(3)}×   domContentLoadedEventEnd ${fmtSummary(summarize(s.map((t) => t.dcl)))}`);
}
