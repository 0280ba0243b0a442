import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { AXIALYS_BAR_HOST, OTHER_HOST, URLS } from '../../dev/hosts';
import { makeCert } from '../../dev/tls';
import { DEFAULT_BUFFER_LIMITS } from '../../lib/capture/buffer';
import { HookEventSchema } from '../../lib/capture/events';
import { DEFAULT_HISTORY_LIMITS } from '../../lib/frames/history';
import type { TabSnapshot } from '../../lib/capture/snapshot';
import { CASES, type CaseGroup, type HostileCase } from '../fixtures/hostile/cases';
import { expect, test } from './fixtures';

/**
 * The hostile-page corpus (test/fixtures/hostile/, listed in cases.ts), each page loaded twice in
 * the same browser: on an Axialys host, where Témoin's page hook and bridge run, and on an
 * unrelated host, the control, where nothing of ours runs. For every case:
 *  - the page's own observable behaviour (its __result) is the same on both hosts;
 *  - the Axialys page has no uncaught error the control does not have (nothing of ours throws);
 *  - the extension keeps working within its bounds (snapshot answers, bytes and counts capped),
 *    with the events the case should leave and none of what it forged.
 * Assertions are soft so that one run reports every case. After each group, a normal demo page
 * proves capture still works in that browser.
 *
 * Debugging: HOSTILE_CASES=name,name runs only those cases (select the group with -g);
 * HOSTILE_DEBUG=1 prints the pages' console and each Axialys snapshot's timeline.
 */

const DIR = path.resolve('test/fixtures/hostile');
const CONTROL = OTHER_HOST;
const AXIALYS = AXIALYS_BAR_HOST;
const HOSTILE_URL = new RegExp(`^https://(${AXIALYS.replace(/\./g, '\\.')}|${CONTROL.replace(/\./g, '\\.')})/hostile/`);

/** Bounds read from lib/capture/buffer.ts and frame-capture.ts (the verbose levels get a fifth). */
const MAX_BYTES = DEFAULT_BUFFER_LIMITS.maxBytes;
const MAX_PER_KIND = DEFAULT_BUFFER_LIMITS.maxPerKind;
const MAX_VERBOSE = Math.floor(DEFAULT_BUFFER_LIMITS.maxPerKind / 5);
/** Every kind a frame's timeline can hold: the hook's kinds and the bridge's own 'page'. */
const KIND_COUNT = HookEventSchema.options.length + 1;
const MAX_TIMELINE_PER_LIFE = KIND_COUNT * MAX_PER_KIND + MAX_VERBOSE;

const CASE_HEADERS = new Map(CASES.map((c) => [`${c.name}.html`, c.headers ?? {}]));

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

async function serveCorpus(context: BrowserContext): Promise<void> {
  // The pages come from route.fulfill (no address: "public" for Local Network Access) and talk
  // to the echo server on 127.0.0.1: allowed on both hosts alike.
  for (const host of [AXIALYS, CONTROL]) await context.grantPermissions(['local-network-access'], { origin: `https://${host}` });
  await context.route(HOSTILE_URL, async (route: Route) => {
    const rest = new URL(route.request().url()).pathname.slice('/hostile/'.length);
    if (rest.startsWith('__abort/')) return route.abort('failed');
    if (rest.startsWith('__status/')) return route.fulfill({ status: Number(rest.split('/')[1]) || 500, body: '', contentType: 'text/plain' });
    if (rest.startsWith('__ok/')) return route.fulfill({ status: 200, body: 'ok', contentType: 'text/plain' });
    const file = /^[\w.-]+$/.test(rest) ? path.join(DIR, rest) : '';
    const type = CONTENT_TYPES[path.extname(rest)];
    if (!file || !type || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found', contentType: 'text/plain' });
    return route.fulfill({
      status: 200,
      body: fs.readFileSync(file),
      contentType: type,
      headers: { 'Cache-Control': 'no-store', ...CASE_HEADERS.get(rest) },
    });
  });
}

/** A WebSocket echo server on 127.0.0.1 for the pages (same for both hosts). */
interface Echo {
  url: string;
  close(): Promise<void>;
}
async function startEcho(): Promise<Echo> {
  const server = https.createServer(makeCert());
  const wss = new WebSocketServer({ server, maxPayload: 64 * 1024 });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `wss://127.0.0.1:${port}/echo`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let echo: Echo;
test.beforeAll(async () => {
  echo = await startEcho();
});
test.afterAll(async () => {
  await echo?.close();
});

interface PageRun {
  page: Page;
  /** False when the page never set __done within its timeout (then result is whatever it had). */
  done: boolean;
  result: unknown;
  /** Uncaught errors (Playwright's pageerror), shortened for comparison. */
  errors: string[];
  ms: number;
}

const shorten = (s: string, max = 300) => (s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s);

async function runCase(context: BrowserContext, host: string, c: HostileCase, runId: string): Promise<PageRun> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(shorten(`${e.name}: ${e.message}`)));
  if (process.env['HOSTILE_DEBUG']) page.on('console', (m) => console.log(`[${host}] ${m.type()}: ${shorten(m.text())}`));
  const t0 = Date.now();
  const url = `https://${host}/hostile/${c.name}.html?run=${runId}&ws=${encodeURIComponent(echo.url)}`;
  const timeout = c.timeoutMs ?? 30_000;
  let done = false;
  let json: string | null = null;
  try {
    await page.goto(url, { waitUntil: 'commit', timeout });
    // Read from Playwright's own world: the page may have broken every built-in of its own.
    const root = page.locator('html');
    await expect(root).toHaveAttribute('data-hostile-done', '1', { timeout });
    done = true;
    json = await root.getAttribute('data-hostile-result');
  } catch (e) {
    errors.push(`[test] ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  return { page, done, result: JSON.parse(json ?? 'null'), errors: errors.sort(), ms: Date.now() - t0 };
}

/** Multiset difference a − b. */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b];
  return a.filter((x) => {
    const i = left.indexOf(x);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

type Ev = TabSnapshot['timeline'][number];
const consoleTexts = (snap: TabSnapshot) =>
  snap.timeline.filter((e): e is Extract<Ev, { k: 'console' }> => e.k === 'console').map((e) => (typeof e.a[0] === 'string' ? e.a[0] : ''));
const markersMissing = (snap: TabSnapshot, markers: readonly string[]) => {
  const texts = new Set(consoleTexts(snap));
  return markers.filter((m) => !texts.has(m));
};

async function tabIdOrNull(tabIdOf: (part: string) => Promise<number>, part: string): Promise<number | null> {
  try {
    return await tabIdOf(part);
  } catch {
    return null;
  }
}

/** Checks one case on both hosts; soft assertions, so every case of the group runs. */
async function checkCase(
  c: HostileCase,
  { context, tabIdOf, callBackground }: { context: BrowserContext; tabIdOf: (part: string) => Promise<number>; callBackground: <T>(type: string, data: unknown) => Promise<T> },
): Promise<string> {
  const runId = `${c.name}-${Date.now().toString(36)}`;
  const [control, axialys] = await Promise.all([runCase(context, CONTROL, c, `${runId}-c`), runCase(context, AXIALYS, c, `${runId}-a`)]);

  expect.soft(control.done, `${c.name}: the control page finished (${control.errors.join('; ')})`).toBe(true);
  expect.soft(axialys.done, `${c.name}: the Axialys page finished (${axialys.errors.join('; ')})`).toBe(true);
  // 1. The page's own behaviour is unchanged.
  expect.soft(axialys.result, `${c.name}: page result on the Axialys host equals the control's`).toEqual(control.result);
  // 2. Nothing of ours throws into the page (and nothing the page should see went missing).
  expect.soft(minus(axialys.errors, control.errors), `${c.name}: uncaught errors only on the Axialys host`).toEqual([]);
  expect.soft(minus(control.errors, axialys.errors), `${c.name}: uncaught errors only on the control (the page lost them)`).toEqual([]);

  // 3. The extension keeps working, within its bounds.
  const tabId = await tabIdOrNull(tabIdOf, `run=${runId}-a`);
  expect.soft(tabId, `${c.name}: the Axialys page registered with the background`).not.toBeNull();
  let note = '';
  if (tabId !== null) {
    const markers = c.markers ?? [`hostile-marker:${c.name}`];
    const snapshot = () => callBackground<TabSnapshot>('getSnapshot', { tabId });
    // Events reach the bridge asynchronously, and a busy frame may miss one snapshot's deadline.
    let snap = await snapshot();
    const deadline = Date.now() + 6_000;
    const unmet = (sn: TabSnapshot) => {
      const kinds = new Set(sn.timeline.map((e) => e.k));
      const text = JSON.stringify(sn);
      return (
        sn.unreachable.length > 0 ||
        // Child frames register with the background as they load: wait for them too.
        sn.frames.filter((f) => f.live).length < (c.minFrames ?? 1) ||
        markersMissing(sn, markers).length > 0 ||
        (c.kinds ?? []).some((k) => !kinds.has(k)) ||
        (c.contains ?? []).some((x) => !text.includes(x))
      );
    };
    while (unmet(snap) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      snap = await snapshot();
    }
    const text = JSON.stringify(snap);
    if (process.env['HOSTILE_DEBUG']) {
      const tl = JSON.stringify(snap.timeline.map(({ frameId: _f, surface: _s, life: _l, ...e }) => e));
      console.log(`[${c.name}] snapshot (${snap.timeline.length} events): ${tl.length > 6000 ? `${tl.slice(0, 3000)} … ${tl.slice(-3000)}` : tl}`);
    }
    expect.soft(snap.unreachable, `${c.name}: every registered frame answered`).toEqual([]);
    const live = snap.frames.filter((f) => f.live);
    expect.soft(live.length, `${c.name}: live frames answering`).toBeGreaterThanOrEqual(c.minFrames ?? 1);
    // Bounds per live document (a frame's life): bytes, events per kind, timeline length.
    for (const f of live) {
      const who = `${c.name}: frame ${f.frameId}`;
      expect.soft(f.stats.bytes, `${who} bytes`).toBeLessThanOrEqual(MAX_BYTES);
      const events = snap.timeline.filter((e) => e.life === f.life);
      expect.soft(events.length, `${who} timeline length`).toBeLessThanOrEqual(MAX_TIMELINE_PER_LIFE);
      const perKind = new Map<string, number>();
      for (const e of events) {
        const kind = e.k === 'console' && (e.l === 'info' || e.l === 'log') ? 'console-verbose' : e.k;
        perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
      }
      for (const [kind, n] of perKind) expect.soft(n, `${who} ${kind} events`).toBeLessThanOrEqual(kind === 'console-verbose' ? MAX_VERBOSE : MAX_PER_KIND);
    }
    // Documents only the background's history still holds (lib/frames/history.ts): bytes per tab.
    const lives = new Set(live.map((f) => f.life));
    const archivedBytes = snap.timeline.filter((e) => !lives.has(e.life)).reduce((n, { frameId: _f, surface: _s, life: _l, ...e }) => n + JSON.stringify(e).length, 0);
    expect.soft(archivedBytes, `${c.name}: archived events' bytes`).toBeLessThanOrEqual(DEFAULT_HISTORY_LIMITS.maxBytes);
    expect.soft(markersMissing(snap, markers), `${c.name}: markers captured after the hostile actions`).toEqual([]);
    const kinds = new Set(snap.timeline.map((e) => e.k));
    expect.soft((c.kinds ?? []).filter((k) => !kinds.has(k)), `${c.name}: expected event kinds missing`).toEqual([]);
    const sum = (f: (s: TabSnapshot['frames'][number]['stats']) => number) => live.reduce((n, fr) => n + f(fr.stats), 0);
    if (c.overflow) expect.soft(sum((s) => s.rateLimited + s.evicted + s.droppedInPage), `${c.name}: refused events counted`).toBeGreaterThan(0);
    for (const s of c.contains ?? []) expect.soft(text.includes(s), `${c.name}: snapshot contains ${JSON.stringify(s)}`).toBe(true);
    for (const s of c.absent ?? []) expect.soft(text.includes(s), `${c.name}: snapshot must not contain ${JSON.stringify(s)}`).toBe(false);
    if (c.invalid) {
      const want = typeof c.invalid === 'function' ? c.invalid(axialys.result) : c.invalid;
      const invalid = sum((s) => s.invalid);
      if (want === 'zero') expect.soft(invalid, `${c.name}: stats.invalid`).toBe(0);
      else expect.soft(invalid, `${c.name}: stats.invalid`).toBeGreaterThan(0);
    }
    const st = live.map((f) => `kept ${f.stats.kept} bytes ${f.stats.bytes} rl ${f.stats.rateLimited} ev ${f.stats.evicted} dip ${f.stats.droppedInPage} inv ${f.stats.invalid}`);
    note = `${live.length} frame(s): ${st.join(' | ')}`;
  }
  await Promise.all([control.page.close(), axialys.page.close()]);
  return `${c.name}: control ${control.ms} ms, axialys ${axialys.ms} ms; ${note}`;
}

const GROUPS: { group: CaseGroup; title: string }[] = [
  { group: 'console', title: 'console floods, huge and hostile values, broken consoles' },
  { group: 'builtins', title: 'built-ins overridden, counted, frozen or made to throw' },
  { group: 'channel', title: 'forged bridge events, strict CSP, sandboxed and script-written frames' },
  { group: 'network', title: 'network floods, deleted and subclassed constructors' },
];

/** Cases of a group run this many at a time (each on both hosts): most pages mostly wait. */
const CONCURRENCY = 3;

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(size, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

for (const { group, title } of GROUPS) {
  test(`hostile pages: ${title}`, async ({ context, tabIdOf, callBackground }) => {
    test.setTimeout(240_000);
    await serveCorpus(context);
    // Opens the fixture's extension page once, before cases call the background concurrently.
    await callBackground('getTabState', { tabId: 0 });
    const lines: string[] = [];
    const only = process.env['HOSTILE_CASES']?.split(',');
    const cases = CASES.filter((x) => x.group === group && (!only || only.includes(x.name)));
    const run = (c: HostileCase) =>
      test.step(`${c.name}: ${c.what}`, async () => {
        lines.push(await checkCase(c, { context, tabIdOf, callBackground }));
      });
    // CPU-heavy cases one at a time (each still on both hosts at once), then the others together.
    await pool(cases.filter((c) => c.heavy), 1, run);
    await pool(cases.filter((c) => !c.heavy), CONCURRENCY, run);
    console.log(lines.join('\n'));

    // Capture still works in this browser afterwards, on a normal demo page.
    await test.step('a fresh console.error on the operator bar is still captured', async () => {
      const page = await context.newPage();
      page.on('pageerror', () => undefined);
      await page.goto(URLS.bar);
      const tabId = await tabIdOf('/operateurs/index.htm');
      const marker = `fresh-after-hostile-${group}`;
      await page.evaluate((m) => console.error(m), marker);
      await expect
        .poll(async () => consoleTexts(await callBackground<TabSnapshot>('getSnapshot', { tabId })), { timeout: 10_000 })
        .toContain(marker);
      await page.close();
    });
  });
}
