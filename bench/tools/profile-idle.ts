/**
 * What Témoin runs in an idle matched page: a CPU profile of the tab over a quiet window (no page
 * activity), hottest functions in µs of main-thread time per second.
 *
 *   npx tsx bench/tools/profile-idle.ts [seconds=15]
 */
import { sleep } from '../lib/browser';
import { hottest, profileTimes, withMatchedConsolePage, type CpuProfile } from '../lib/profile';

const seconds = Number(process.argv[2] ?? 15);
await withMatchedConsolePage(async (server, s) => {
  await server.run('p', { op: 'paced', kind: 'string', calls: 40, intervalMs: 25 });
  await sleep(3000);
  await s.send('Profiler.enable');
  await s.send('Profiler.setSamplingInterval', { interval: 100 });
  await s.send('Profiler.start');
  await sleep(seconds * 1000);
  const { profile } = await s.send<{ profile: CpuProfile }>('Profiler.stop');
  for (const [k, t] of hottest(profileTimes(profile).total)) console.log(`${(t / seconds).toFixed(0).padStart(9)} µs/s  ${k}`);
});
