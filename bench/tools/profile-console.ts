/**
 * Where Témoin's console cost goes: samples a CPU profile of console.error calls on a matched
 * page with the built extension, and prints the hottest functions (self and inclusive time) with
 * their script:line:column in the built files (.output/chrome-mv3/content-scripts/*.js).
 *
 *   npx tsx bench/tools/profile-console.ts [string|error|object] [callsPerTask=1] [pacedPerSecond]
 *
 * With pacedPerSecond, the calls are one per timer task at that pace (below Témoin's rate limit,
 * every call is kept: serialized, dispatched, validated, scrubbed, buffered and handed over).
 *
 * The profiler attaches a CDP session (Profiler domain only) and slows everything down; read
 * the shares, not the times. The benchmark itself is `npx tsx bench/run.ts console`.
 */
import { AXIALYS_BAR_HOST } from '../../dev/hosts';
import { BenchBrowser } from '../lib/browser';
import { bundle } from '../lib/bundle';
import { snapshotBuild, temoinExtensionId } from '../lib/extension';
import { startBenchServer } from '../lib/server';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

const kind = process.argv[2] ?? 'string';
const every = Number(process.argv[3] ?? 1);
const paced = Number(process.argv[4] ?? 0);
const run = (calls: number) =>
  paced
    ? server.run('p', { op: 'paced', kind, calls: Math.round(calls / 10), intervalMs: 1000 / paced }, 120_000)
    : server.run('p', { op: 'sample', kind, calls, every });

await snapshotBuild();
const server = await startBenchServer();
server.route('/__bench/console-page.js', await bundle('bench/page/console-page.ts', { minify: false }), 'text/javascript');
server.route('/__bench/profile.html', '<!doctype html><meta charset="utf-8"><script src="/__bench/console-page.js"></script><p>profile</p>');
const browser = await BenchBrowser.launch({ rules: server.rules });
try {
  await browser.waitForExtension(temoinExtensionId());
  const target = await browser.newTab(`https://${AXIALYS_BAR_HOST}/__bench/profile.html?tab=p`);
  await server.ready('p');
  for (let i = 0; i < 3; i++) await run(500);
  const s = await browser.attach(target);
  await s.send('Profiler.enable');
  await s.send('Profiler.setSamplingInterval', { interval: 50 });
  await s.send('Profiler.start');
  const samples = 8;
  const calls = samples * (paced ? 50 : 500);
  for (let i = 0; i < samples; i++) await run(500);
  // What the paced calls left for later (the hook's batch timer, the bridge's hand-over).
  if (paced) await new Promise((r) => setTimeout(r, 3000));
  const { profile } = await s.send<{ profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } }>('Profiler.stop');

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.split('/').pop() || ''}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const n = byId.get(id)!;
    self.set(name(n), (self.get(name(n)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const k = name(byId.get(p)!);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + dt);
      seen.add(k);
    }
  });
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 40))
      console.log(`${((t / all) * 100).toFixed(1).padStart(6)} %  ${(t / calls).toFixed(1).padStart(8)} µs/call  ${k}`);
  };
  console.log(paced ? `console.error(${kind}), one call per task, ${paced} a second` : `console.error(${kind}), ${every} call(s) per task`);
  print('Self time', self);
  print('Inclusive time', total);
} finally {
  await browser.close();
  await server.close();
}
