/**
 * One load of the demo bar under a Chromium trace: the renderer main thread's slices (≥ MIN_US µs)
 * from the navigation's commit on, with Témoin's own (script injections, its isolated world) easy
 * to spot: `ScriptInjection::InjectJs`, `LocalWindowProxy::Initialize`, `v8.run` of its files.
 * This is how the page-load cost was traced to the isolated world (bench/results.md, page load).
 *
 *   [MODE=fresh|same] [MIN_US=250] [BEFORE_MS=0] npx tsx bench/tools/trace-load.ts [with|without]
 *
 * fresh: a new tab (and renderer process); same: the bar loaded in the tab once before (a reload:
 * BEFORE_MS shows the previous document's pagehide too).
 */
import { startDevServer } from '../../dev/server';
import { URLS } from '../../dev/hosts';
import { BenchBrowser, sleep } from '../lib/browser';
import { snapshotBuild, temoinExtensionId } from '../lib/extension';
import { measureLoad } from '../sections/pageload';

type TraceEvent = { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> };
const which = process.argv[2] ?? 'with';
const minUs = Number(process.env.MIN_US ?? 250);
await snapshotBuild();
const server = await startDevServer();
const b = await BenchBrowser.launch({ rules: server.rules, ...(which === 'with' ? {} : { extensions: [] }) });
const events: TraceEvent[] = [];
try {
  if (which === 'with') await b.waitForExtension(temoinExtensionId());
  // Warm-up: the HTTP cache and the worker.
  for (let i = 0; i < 2; i++) {
    const t = await b.newTab(URLS.bar);
    await sleep(1500);
    await b.closeTab(t);
  }
  const s = await b.attach(await b.newTab('about:blank'));
  await s.send('Page.enable');
  const load = () => measureLoad(b, s, URLS.bar);
  if (process.env.MODE === 'same') {
    await load();
    await sleep(2500);
  }
  const off = b.cdp.on((e) => {
    if (e.method === 'Tracing.dataCollected') events.push(...(e.params.value as TraceEvent[]));
  });
  const done = b.cdp.waitFor('Tracing.tracingComplete', () => true, 60_000);
  const categories = ['devtools.timeline', 'v8', 'blink', 'loading', 'toplevel', 'disabled-by-default-devtools.timeline', 'extensions', 'renderer'];
  await b.cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: categories } });
  await load();
  await sleep(500);
  await b.cdp.send('Tracing.end');
  await done;
  off();
} finally {
  await b.close();
  await server.close();
}
// The bar's renderer main thread: the one that parsed the bar's document (the last time).
const parse = [...events].reverse().find((e) => e.name === 'ParseHTML' && String((e.args as { beginData?: { url?: string } })?.beginData?.url ?? '').includes('/operateurs/'));
if (!parse) throw new Error('no ParseHTML of the bar in the trace');
const onMain = (e: TraceEvent) => e.pid === parse.pid && e.tid === parse.tid;
const commit = events.filter((e) => onMain(e) && e.name === 'DocumentLoader::CommitNavigation' && e.ts <= parse.ts).sort((a, c) => c.ts - a.ts)[0];
if (!commit) throw new Error('no commit before the parse');
const t0 = commit.ts - Number(process.env.BEFORE_MS ?? 0) * 1000;
const noise = /RunTask|Receive mojo|SimpleWatcher/;
for (const e of events.filter((x) => onMain(x) && x.ts >= t0 && (x.dur ?? 0) >= minUs && !noise.test(x.name)).sort((a, c) => a.ts - c.ts)) {
  const args = JSON.stringify(e.args ?? {}).slice(0, 140);
  console.log(`${((e.ts - commit.ts) / 1000).toFixed(1).padStart(7)} ms  ${((e.dur ?? 0) / 1000).toFixed(2).padStart(6)} ms  ${e.cat.slice(0, 30).padEnd(30)} ${e.name}  ${args}`);
}
