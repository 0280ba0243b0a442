/**
 * Section "memory": what a tab holds after a flood of console.error calls, with Témoin and without.
 */
import { AXIALYS_BAR_HOST } from '../../dev/hosts';
import { BenchBrowser, sleep } from '../lib/browser';
import { bundle } from '../lib/bundle';
import { BackgroundClient, temoinExtensionId } from '../lib/extension';
import type { Table, Verdict } from '../lib/results';
import type { Section } from '../lib/section';
import { startBenchServer } from '../lib/server';
import { fmt, summarize, type Summary } from '../lib/stats';

const GOAL_BYTES = 2 * 1024 * 1024;
const MiB = 1024 * 1024;

interface FrameStats {
  kept: number;
  bytes: number;
  evicted: number;
  rateLimited: number;
  invalid: number;
  droppedInPage: number;
}

interface Rep {
  before: number;
  after: number;
  floodMs: number;
  stats?: FrameStats;
}

/** JS heap of the tab's renderer (every world of the isolate) after two forced GCs. */
async function heapAfterGc(browser: BenchBrowser, target: string): Promise<number> {
  const s = await browser.attach(target);
  try {
    await s.send('HeapProfiler.collectGarbage');
    await s.send('HeapProfiler.collectGarbage');
    return (await s.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  } finally {
    await s.detach();
  }
}

export const memorySection: Section = {
  id: 'memory',
  title: 'Memory after a console flood',
  async run(ctx) {
    const reps = ctx.quick ? 1 : 3;
    const calls = ctx.quick ? 20_000 : 100_000;
    const perTask = 100;

    const server = await startBenchServer();
    server.route('/__bench/memory-page.js', await bundle('bench/page/memory-page.ts'), 'text/javascript');
    const pathOf = (rep: number) => `/__bench/memory/rep${rep}.html`;
    for (let r = 0; r < reps; r++)
      server.route(pathOf(r), `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>memory bench</title><script src="/__bench/memory-page.js"></script></head><body><p>memory bench</p></body></html>`);

    const results: Record<'with' | 'without', Rep[]> = { with: [], without: [] };
    const browsers: Record<'with' | 'without', BenchBrowser | undefined> = { with: undefined, without: undefined };
    try {
      browsers.with = await BenchBrowser.launch({ rules: server.rules });
      browsers.without = await BenchBrowser.launch({ rules: server.rules, extensions: [] });
      await browsers.with.waitForExtension(temoinExtensionId());
      const bg = await BackgroundClient.open(browsers.with, temoinExtensionId());
      const variants = ['without', 'with'] as const;
      for (let r = 0; r < reps; r++) {
        ctx.log(`rep ${r + 1}/${reps}: ${calls} console.error calls in each browser's tab`);
        // Same production URL in both browsers: only the extension differs.
        const tabs = await Promise.all(
          variants.map(async (v) => {
            const browser = browsers[v]!;
            const tab = `mem-${v}-${r}`;
            const target = await browser.newTab(`https://${AXIALYS_BAR_HOST}${pathOf(r)}?tab=${tab}`);
            await server.ready(tab);
            const info = await server.run<{ native: boolean }>(tab, { op: 'info' });
            if (info.native !== (v === 'without')) throw new Error(`memory ${v}: console.error is ${info.native ? '' : 'not '}native`);
            return { v, browser, tab, target };
          }),
        );
        // Témoin's frame is registered with the background once its agent (the bridge's heavy half,
        // after the load) runs: measure the steady state, not a flood that lands before it.
        const tabId = await bg.tabIdOf(pathOf(r), 20_000);
        await sleep(500);
        const before = [];
        for (const t of tabs) before.push(await heapAfterGc(t.browser, t.target));
        // Both floods at once, to halve the run time: CPU contention slows them but changes
        // nothing to what is held afterwards.
        const floods = await Promise.all(tabs.map((t) => server.run<{ ms: number }>(t.tab, { op: 'flood', calls, perTask }, 300_000)));
        // Let the last batches reach the bridge's buffer.
        await sleep(1000);
        for (const [i, t] of tabs.entries()) {
          const rep: Rep = { before: before[i]!, after: await heapAfterGc(t.browser, t.target), floodMs: floods[i]!.ms };
          if (t.v === 'with') {
            const snap = await bg.call<{ frames: { stats: FrameStats }[] }>('getSnapshot', { tabId });
            rep.stats = snap.frames[0]?.stats;
          }
          results[t.v].push(rep);
          await t.browser.closeTab(t.target);
        }
      }
    } finally {
      await browsers.with?.close();
      await browsers.without?.close();
      await server.close();
    }

    const s = (xs: number[]): Summary => summarize(xs);
    const heap = {
      withBefore: s(results.with.map((x) => x.before)),
      withAfter: s(results.with.map((x) => x.after)),
      withoutBefore: s(results.without.map((x) => x.before)),
      withoutAfter: s(results.without.map((x) => x.after)),
    };
    const diffAfter = heap.withAfter.median - heap.withoutAfter.median;
    const diffBefore = heap.withBefore.median - heap.withoutBefore.median;
    const accounted = s(results.with.map((x) => x.stats?.bytes ?? NaN));
    const mib = (b: number) => `${fmt(b / MiB, 2)} MiB`;
    const range = (x: Summary) => `${mib(x.median)} (${fmt(x.min / MiB, 2)} – ${fmt(x.max / MiB, 2)})`;

    const tables: Table[] = [
      {
        title: 'Renderer JS heap after forced GC, median (min – max)',
        columns: ['', 'Before the flood', 'After the flood'],
        rows: [
          ['Without extension', range(heap.withoutBefore), range(heap.withoutAfter)],
          ['With Témoin', range(heap.withBefore), range(heap.withAfter)],
          ['Difference of medians (with − without)', mib(diffBefore), mib(diffAfter)],
        ],
      },
    ];
    const st = results.with.map((x) => x.stats).filter((x): x is FrameStats => !!x);
    const med = (f: (x: FrameStats) => number) => String(Math.round(summarize(st.map(f)).median));
    tables.push({
      title: "Témoin's own accounting for the flooded frame (background getSnapshot stats, medians)",
      columns: ['Bytes kept', 'Events kept', 'Evicted', 'Rate-limited', 'Dropped in page', 'Invalid'],
      rows: [[med((x) => x.bytes), med((x) => x.kept), med((x) => x.evicted), med((x) => x.rateLimited), med((x) => x.droppedInPage), med((x) => x.invalid)]],
      align: ['r', 'r', 'r', 'r', 'r', 'r'],
    });

    const verdicts: Verdict[] = [
      { name: 'heap held by Témoin after the flood (with − without)', goal: '≤ 2 MiB', measured: `${mib(diffAfter)}, ${fmt(diffAfter / GOAL_BYTES, 2)}× the budget`, pass: diffAfter <= GOAL_BYTES },
      { name: "Témoin's accounted buffer bytes after the flood", goal: '≤ 2 MiB', measured: `${Math.round(accounted.median)} bytes, ${fmt(accounted.median / GOAL_BYTES, 3)}× the budget`, pass: Number.isFinite(accounted.median) ? accounted.median <= GOAL_BYTES : null },
    ];
    const notes = [
      `The flood (both tabs flooding at once) took ${fmt(summarize(results.with.map((x) => x.floodMs)).median / 1000, 1)} s with Témoin and ${fmt(summarize(results.without.map((x) => x.floodMs)).median / 1000, 1)} s without (medians).`,
      `Of the difference after the flood, ${mib(diffBefore)} is already there before it (the bridge's and hook's code and state); the flood itself adds ${mib(diffAfter - diffBefore)}.`,
    ];
    const missed = verdicts.filter((v) => v.pass === false);
    if (missed.length) notes.push(`Goal missed: ${missed.map((v) => v.name).join('; ')}.`);
    return {
      method: [
        `Two Debian Chromium headless browsers, with and without the built extension, the same bench page at the same matched production URL (\`https://${AXIALYS_BAR_HOST}/__bench/memory/…\`), ${reps} fresh tabs each; in each round both tabs flood at the same time.`,
        `The flood: ${calls.toLocaleString('en')} \`console.error\` calls, ${perTask} per task (a macrotask between chunks, so the hook batches as on a real page), cycling a string, a new \`Error\` and a new nested object. No debugger is attached while it runs.`,
        'Before and 1 s after the flood, a CDP session is attached to the tab only to run `HeapProfiler.collectGarbage` twice and read `Runtime.getHeapUsage` (the whole isolate: the page and the extension\'s isolated world), then detached. The Runtime domain is never enabled.',
        "Then Témoin's background is asked for the tab's snapshot (`getSnapshot`, as the popup does) and its `frames[].stats` are read.",
        'Each flood starts once Témoin has registered the tab with its background (its frame agent runs): this is the steady state, not a flood during the page load.',
        `Memory is far less noisy than time on this machine, so ${reps} tabs per variant are enough (each flood takes seconds).`,
      ],
      tables,
      verdicts,
      notes,
      data: { calls, perTask, reps, results, heap, diffBefore, diffAfter, accounted },
    };
  },
};
