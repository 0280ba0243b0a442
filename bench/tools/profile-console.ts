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
import { sleep } from '../lib/browser';
import { hottest, profileTimes, withMatchedConsolePage, type CpuProfile } from '../lib/profile';
import type { BenchServer } from '../lib/server';

const kind = process.argv[2] ?? 'string';
const every = Number(process.argv[3] ?? 1);
const paced = Number(process.argv[4] ?? 0);
const run = (server: BenchServer, calls: number) =>
  paced
    ? server.run('p', { op: 'paced', kind, calls: Math.round(calls / 10), intervalMs: 1000 / paced }, 120_000)
    : server.run('p', { op: 'sample', kind, calls, every });

await withMatchedConsolePage(async (server, s) => {
  for (let i = 0; i < 3; i++) await run(server, 500);
  await s.send('Profiler.enable');
  await s.send('Profiler.setSamplingInterval', { interval: 50 });
  await s.send('Profiler.start');
  const samples = 8;
  const calls = samples * (paced ? 50 : 500);
  for (let i = 0; i < samples; i++) await run(server, 500);
  // What the paced calls left for later (the bridge's hand-over).
  if (paced) await sleep(3000);
  const { profile } = await s.send<{ profile: CpuProfile }>('Profiler.stop');
  const { self, total, all } = profileTimes(profile);
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [k, t] of hottest(m)) console.log(`${((t / all) * 100).toFixed(1).padStart(6)} %  ${(t / calls).toFixed(1).padStart(8)} µs/call  ${k}`);
  };
  console.log(paced ? `console.error(${kind}), one call per task, ${paced} a second` : `console.error(${kind}), ${every} call(s) per task`);
  print('Self time', self);
  print('Inclusive time', total);
});
