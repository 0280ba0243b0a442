/**
 * What Témoin runs in an idle matched page: a CPU profile of the tab over a quiet window (no page
 * activity), hottest functions in µs of main-thread time per second.
 *
 *   npx tsx bench/tools/profile-idle.ts [seconds=15]
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
const seconds = Number(process.argv[2] ?? 15);
await snapshotBuild();
const server = await startBenchServer();
server.route('/__bench/console-page.js', await bundle('bench/page/console-page.ts', { minify: false }), 'text/javascript');
server.route('/__bench/idle.html', '<!doctype html><meta charset="utf-8"><script src="/__bench/console-page.js"></script><p>idle</p>');
const browser = await BenchBrowser.launch({ rules: server.rules });
try {
  await browser.waitForExtension(temoinExtensionId());
  const target = await browser.newTab(`https://${AXIALYS_BAR_HOST}/__bench/idle.html?tab=p`);
  await server.ready('p');
  await server.run('p', { op: 'paced', kind: 'string', calls: 40, intervalMs: 25 });
  await new Promise((r) => setTimeout(r, 3000));
  const s = await browser.attach(target);
  await s.send('Profiler.enable');
  await s.send('Profiler.setSamplingInterval', { interval: 100 });
  await s.send('Profiler.start');
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const { profile } = await s.send<{ profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } }>('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${n.callFrame.url.split('/').pop() || ''}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const k = name(byId.get(p)!);
      if (!seen.has(k)) total.set(k, (total.get(k) ?? 0) + dt);
      seen.add(k);
    }
  });
  for (const [k, t] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(t / seconds).toFixed(0).padStart(9)} µs/s  ${k}`);
} finally {
  await browser.close();
  await server.close();
}
