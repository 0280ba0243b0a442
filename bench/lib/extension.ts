/** The built Témoin extension as the benchmarks use it. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CHROME_BUILD, OUT_DIR } from '../../dev/chromium';
import type { BenchBrowser } from './browser';
import type { CdpSession } from './cdp';

let snapshot: string | undefined;

/**
 * Scratch space of this run. With TEMOIN_OUT_DIR (a build of its own, see dev/chromium.ts), it is
 * a folder of its own too, so that benchmark runs of two builds do not replace each other's copies.
 */
export const BENCH_TMP = process.env.TEMOIN_OUT_DIR
  ? path.resolve('bench/.tmp', `out-${createHash('sha256').update(OUT_DIR).digest('hex').slice(0, 10)}`)
  : path.resolve('bench/.tmp');
const SNAPSHOT_DIR = path.join(BENCH_TMP, 'chrome-mv3');

/** True when dir holds a whole build: a manifest and every script it names. */
function isComplete(dir: string): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { background?: { service_worker?: string }; content_scripts?: { js: string[] }[] };
    const files = [m.background?.service_worker, ...(m.content_scripts ?? []).flatMap((cs) => cs.js)].filter((f): f is string => !!f);
    return files.length > 0 && files.every((f) => fs.existsSync(path.join(dir, f)));
  } catch {
    return false;
  }
}

/**
 * Copies .output/chrome-mv3 (or $TEMOIN_OUT_DIR/chrome-mv3) to bench/.tmp once per run: other jobs on the machine may rebuild
 * .output while the benchmark runs, and every section must measure the same build.
 */
export async function snapshotBuild(): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    fs.rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
    try {
      if (isComplete(CHROME_BUILD)) {
        fs.cpSync(CHROME_BUILD, SNAPSHOT_DIR, { recursive: true });
        if (isComplete(SNAPSHOT_DIR)) return (snapshot = SNAPSHOT_DIR);
      }
    } catch {
      /* a rebuild removed files while we copied: try again */
    }
    if (attempt >= 20) throw new Error(`${CHROME_BUILD} is missing or incomplete: run \`npx wxt build\` first (npm run bench does).`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The build this run measures (see snapshotBuild). */
export function builtExtension(): string {
  if (!snapshot) throw new Error('snapshotBuild() has not run');
  return snapshot;
}

export const hookFile = (): string => path.join(builtExtension(), 'content-scripts', 'page-hook.js');

/** Témoin's extension id, derived from the manifest key as Chromium does (sha256 of the key, a–p digits). */
export function temoinExtensionId(): string {
  const { key } = JSON.parse(fs.readFileSync(path.join(builtExtension(), 'manifest.json'), 'utf8')) as { key: string };
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** The bridge's file, injected by the background (lib/background/bridge-injection.ts). */
const BRIDGE = 'page-bridge.js';

const SOURCE_URL_RE = /\n\/\/# sourceURL=[^\n]*\n?$/;

export const hookHasSourceUrl = (): boolean => SOURCE_URL_RE.test(fs.readFileSync(hookFile(), 'utf8'));

/**
 * A copy of the built extension for control variants, with its own extension id (no manifest
 * key), so that it can be loaded next to the real one. The page hook is the manifest's content
 * script; the bridge (page-bridge.js) is injected by the background into Axialys frames once they
 * have loaded.
 * - host: the page hook on this host only, and the bridge declared there (document_idle), since
 *   the background injects it on the Axialys hosts only;
 * - stripSourceUrl: the page hook without its `//# sourceURL=` comment (measured-baselines.md
 *   says the comment matters; this checks it on the shipped build);
 * - hookOnly: the page hook without the bridge, so nothing connects: the hook still serializes
 *   every batch, but holds it (bounded) and dispatches nothing, and no isolated-world code runs;
 * - marks: each script (the hook, the bridge) starts and ends with a
 *   `performance.mark('<file>:start|end')` (marks are shared by the page's worlds), to time their
 *   top-level run;
 * - empty: the same declarations and injection with empty files: what the browser itself costs a
 *   page for an extension that injects there, whatever it runs.
 */
export function controlCopy(name: string, opts: { host?: string; stripSourceUrl?: boolean; hookOnly?: boolean; marks?: boolean; empty?: boolean }): string {
  const dir = path.join(BENCH_TMP, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(builtExtension(), dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { key?: string; content_scripts: { matches: string[]; js: string[]; run_at?: string; all_frames?: boolean }[] };
  delete manifest.key;
  if (opts.host) {
    for (const cs of manifest.content_scripts) cs.matches = [`https://${opts.host}/*`];
    if (!opts.hookOnly) manifest.content_scripts.push({ matches: [`https://${opts.host}/*`], js: [BRIDGE], run_at: 'document_idle', all_frames: true });
  }
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  const edit = (file: string, fn: (code: string) => string) => fs.writeFileSync(path.join(dir, file), fn(fs.readFileSync(path.join(dir, file), 'utf8')));
  const scripts = [...new Set([...manifest.content_scripts.flatMap((cs) => cs.js), BRIDGE])];
  if (opts.hookOnly) fs.writeFileSync(path.join(dir, BRIDGE), 'void 0;\n');
  if (opts.stripSourceUrl) edit('content-scripts/page-hook.js', (code) => code.replace(SOURCE_URL_RE, '\n'));
  if (opts.empty) for (const file of scripts) fs.writeFileSync(path.join(dir, file), 'void 0;\n');
  if (opts.marks)
    for (const file of scripts) {
      const name = path.basename(file);
      edit(file, (code) => `performance.mark(${JSON.stringify(`${name}:start`)});\n${code}\n;performance.mark(${JSON.stringify(`${name}:end`)});\n`);
    }
  return dir;
}

/** An extension page to talk to Témoin's background from, as the popup does. */
export class BackgroundClient {
  private constructor(private readonly session: CdpSession) {}

  static async open(browser: BenchBrowser, extensionId: string): Promise<BackgroundClient> {
    const target = await browser.newTab(`chrome-extension://${extensionId}/viewer.html`);
    const session = await browser.attach(target);
    // Wait for the page to load far enough for chrome.runtime to be there.
    for (let i = 0; i < 100; i++) {
      if (await session.evaluate<boolean>(`typeof chrome === 'object' && !!chrome.runtime && document.readyState !== 'loading'`).catch(() => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return new BackgroundClient(session);
  }

  /** One protocol message (the @webext-core/messaging wire format: {id, type, data, timestamp} → {res} | {err}). */
  async call<T>(type: string, data: unknown): Promise<T> {
    const reply = await this.session.evaluate<{ res?: T; err?: unknown }>(
      `chrome.runtime.sendMessage({ id: 1, type: ${JSON.stringify(type)}, data: ${JSON.stringify(data)}, timestamp: Date.now() })`,
    );
    if (reply?.err) throw new Error(`background answered an error: ${JSON.stringify(reply.err)}`);
    return reply.res as T;
  }

  /** The tab whose registered frames include a URL containing urlPart. */
  async tabIdOf(urlPart: string, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frames = await this.session.evaluate<Record<string, { url: string }[]>>(`chrome.storage.session.get('frames').then((r) => r.frames ?? {})`);
      const hit = Object.entries(frames).find(([, fs]) => fs.some((f) => f.url.includes(urlPart)));
      if (hit) return Number(hit[0]);
      if (Date.now() > deadline) throw new Error(`no registered frame for ${urlPart}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
