/**
 * The cost of console.error calls that Témoin keeps, every one of them: calls paced below its rate
 * limit (50 a second per kind), so each is serialized by the hook, dispatched, parsed, validated,
 * scrubbed and buffered by the bridge, and handed to the background. (In the console section of
 * the benchmark, 200 calls take a few tens of ms: beyond the 50 a second the buffer keeps, the hook
 * only counts a call, so most of that section's calls measure the hook's refusal, not this.)
 *
 *   npx tsx bench/tools/paced-console.ts [rounds=4] [callsPerSecond=20] [calls=100]
 *
 * The no-hook, Témoin, Sentry and Témoin-hook-alone tabs run each sample at the same time (separate renderers; CPU time
 * is per main thread). A sample's CPU is read 1.5 s after its last call, so that Témoin's batch
 * timer and bridge work are in it. Prints µs of main-thread CPU per call, added over the no-hook tab.
 */
import { AXIALYS_BAR_HOST, OTHER_HOST, ZAMMAD_HOST } from '../../dev/hosts';
import { BenchBrowser } from '../lib/browser';
import { bundle } from '../lib/bundle';
import { mainThreadCpuNs, rendererOf } from '../lib/cpu';
import { builtExtension, controlCopy, snapshotBuild, temoinExtensionId } from '../lib/extension';
import { startBenchServer } from '../lib/server';
import { fmtSummary, pairedDiff, summarize } from '../lib/stats';

const rounds = Number(process.argv[2] ?? 4);
const perSecond = Number(process.argv[3] ?? 20);
const calls = Number(process.argv[4] ?? 100);
const kinds = ['string', 'error', 'object'] as const;
const variants = [
  { id: 'native', host: OTHER_HOST, peer: '' },
  { id: 'temoin', host: AXIALYS_BAR_HOST, peer: '' },
  { id: 'sentry', host: OTHER_HOST, peer: 'sentry' },
  // The page hook alone (no bridge): its own share of Témoin's cost.
  { id: 'temoin-hook-only', host: ZAMMAD_HOST, peer: '' },
];

await snapshotBuild();
const server = await startBenchServer();
server.route('/__bench/console-page.js', await bundle('bench/page/console-page.ts'), 'text/javascript');
server.route('/__bench/peer-sentry.js', await bundle('bench/page/peer-sentry.ts'), 'text/javascript');
for (const v of variants)
  server.route(`/__bench/paced/${v.id}.html`, `<!doctype html><meta charset="utf-8">${v.peer ? `<script src="/__bench/peer-${v.peer}.js"></script>` : ''}<script src="/__bench/console-page.js"></script><p>${v.id}</p>`);
const hookOnly = controlCopy('ext-hook-only', { host: ZAMMAD_HOST, hookOnly: true });
const browser = await BenchBrowser.launch({ rules: server.rules, extensions: [builtExtension(), hookOnly] });
const cpu: Record<string, Record<string, number[]>> = {};
try {
  await browser.waitForExtension(temoinExtensionId());
  const pids = new Map<string, number>();
  for (const v of variants) {
    await browser.newTab(`https://${v.host}/__bench/paced/${v.id}.html?tab=${v.id}`);
    await server.ready(v.id);
    const info = await server.run<{ native: boolean }>(v.id, { op: 'info' });
    if (info.native !== (v.id === 'native')) throw new Error(`${v.id}: console.error is ${info.native ? '' : 'not '}native`);
    pids.set(v.id, await rendererOf(browser, () => server.run(v.id, { op: 'spin', iterations: 100_000_000 })));
  }
  for (let r = 0; r < rounds; r++)
    for (const kind of kinds) {
      const c0 = new Map(variants.map((v) => [v.id, mainThreadCpuNs(pids.get(v.id)!)]));
      await Promise.all(variants.map((v) => server.run(v.id, { op: 'paced', kind, calls, intervalMs: 1000 / perSecond }, 120_000)));
      await new Promise((res) => setTimeout(res, 1500));
      for (const v of variants) ((cpu[kind] ??= {})[v.id] ??= []).push((mainThreadCpuNs(pids.get(v.id)!) - c0.get(v.id)!) / 1000 / calls);
      process.stderr.write(`round ${r + 1}/${rounds} ${kind} done\n`);
    }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${calls} console.error calls at ${perSecond}/s, ${rounds} rounds: main-thread CPU µs per call added over the no-hook tab, median (p25 – p75)`);
for (const kind of kinds) {
  const base = cpu[kind]!['native']!;
  console.log(
    `${kind.padEnd(7)} no hook ${fmtSummary(summarize(base))} µs/call; ` +
      variants
        .filter((v) => v.id !== 'native')
        .map((v) => `${v.id} ${fmtSummary(summarize(pairedDiff(cpu[kind]![v.id]!, base)), 1, true)}`)
        .join('; '),
  );
}
