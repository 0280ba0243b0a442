/**
 * Section "console": added cost of one console.error call under Témoin's page hook as shipped,
 * against no hook and against peers (Sentry's console breadcrumbs, rrweb's console plugin).
 */
import { AXIALYS_BAR_HOST, CRM_HOST, OTHER_HOST, ZAMMAD_HOST } from '../../dev/hosts';
import { BenchBrowser } from '../lib/browser';
import { cpuTimeAvailable, mainThreadCpuNs, rendererOf, settledCpuNs } from '../lib/cpu';
import { bundle } from '../lib/bundle';
import { builtExtension, controlCopy, hookHasSourceUrl, temoinExtensionId } from '../lib/extension';
import type { Table, Verdict } from '../lib/results';
import type { Section } from '../lib/section';
import { startBenchServer } from '../lib/server';
import { fmt, fmtSummary, pairedDiff, shuffled, signed, summarize, type Summary } from '../lib/stats';
import { readFileSync } from 'node:fs';

type Kind = 'string' | 'error' | 'object';
type Role = 'baseline' | 'temoin' | 'peer' | 'control';

interface Variant {
  id: string;
  label: string;
  role: Role;
  host: string;
  /** Peer script (bench/page/peer-*.ts) loaded before the bench script. */
  peer?: 'sentry' | 'rrweb';
  /** Only these modes (default: all); keeps slow controls from dominating the run time. */
  modes?: Mode['id'][];
}

interface Mode {
  id: 'sparse' | 'burst';
  /** Calls between two microtask checkpoints. */
  every: number;
  label: string;
}

const KINDS: { id: Kind; label: string }[] = [
  { id: 'string', label: 'string' },
  { id: 'error', label: 'Error' },
  { id: 'object', label: 'nested object' },
];

const MODES: Mode[] = [
  { id: 'sparse', every: 1, label: 'sparse: one call per task (an error now and then)' },
  { id: 'burst', every: 50, label: 'burst: 50 calls per task' },
];

/**
 * Kept calls: every variant's tab makes KEPT_CALLS calls at KEPT_PER_SECOND (below Témoin's rate
 * limit, so Témoin keeps every one: serialized, dispatched, validated, scrubbed, buffered and
 * handed to the background), all tabs at the same time; a window lasts KEPT_WINDOW_MS from its
 * first call, as long as the bridge's hand-over period (ARCHIVE_EVERY_MS), so that each window
 * holds about one hand-over.
 */
const KEPT_CALLS = 125;
const KEPT_PER_SECOND = 25;
const KEPT_WINDOW_MS = 5400;

const pkgVersion = (name: string): string => (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;

function variants(): Variant[] {
  return [
    { id: 'native', label: 'no hook (native console.error)', role: 'baseline', host: OTHER_HOST },
    { id: 'temoin', label: 'Témoin page hook, as shipped', role: 'temoin', host: AXIALYS_BAR_HOST },
    { id: 'sentry', label: `@sentry/browser ${pkgVersion('@sentry/browser')}, default integrations (console breadcrumbs)`, role: 'peer', host: OTHER_HOST, peer: 'sentry' },
    { id: 'rrweb', label: `rrweb ${pkgVersion('rrweb')} record + console plugin ${pkgVersion('@rrweb/rrweb-plugin-console-record')}`, role: 'peer', host: OTHER_HOST, peer: 'rrweb' },
    { id: 'temoin-hook-only', label: 'control: Témoin page hook alone, no bridge (serializes, dispatches nothing)', role: 'control', host: ZAMMAD_HOST },
    { id: 'temoin-no-sourceurl', label: 'control: Témoin as shipped but the hook without its `//# sourceURL` comment (sparse mode only)', role: 'control', host: CRM_HOST, modes: ['sparse'] },
  ];
}

type Samples = Record<string, Record<string, number[]>>; // `${mode}/${kind}` → variant → µs per call

/** Two readings of each sample: the page's own clock, and its main thread's CPU time. */
type MetricId = 'wall' | 'cpu';
const METRICS: { id: MetricId; label: string }[] = [
  { id: 'wall', label: 'wall-clock time in the page (performance.now)' },
  { id: 'cpu', label: "CPU time of the renderer's main thread (/proc/…/schedstat)" },
];
/**
 * The goal is judged on CPU time: on a shared 2-core machine the renderer is preempted by other
 * jobs at random, which inflates wall-clock samples by whole scheduler slices, while CPU time only
 * counts what the page's main thread ran.
 */
const GOAL_METRIC: MetricId = 'cpu';

const key = (mode: Mode, kind: Kind): string => `${mode.id}/${kind}`;
const modesOf = (v: Variant): Mode[] => MODES.filter((m) => !v.modes || v.modes.includes(m.id));
const verdictWord = (pass: boolean | null): string => (pass === null ? 'not judged' : pass ? 'PASS' : '**MISS**');
const list = (xs: number[]): string => xs.map((x) => signed(x)).join(' / ');

interface Stat {
  perCall: Summary;
  added: Summary;
}

export const consoleSection: Section = {
  id: 'console',
  title: 'Console hook cost',
  async run(ctx) {
    if (!cpuTimeAvailable()) throw new Error('/proc/<pid>/task/<tid>/schedstat is not available: the console section needs Linux');
    const rounds = ctx.quick ? 3 : 20;
    const warmup = ctx.quick ? 1 : 2;
    const calls = 200;
    const vs = variants();

    ctx.log('bundling the bench page and the peers');
    const server = await startBenchServer();
    server.route('/__bench/console-page.js', await bundle('bench/page/console-page.ts'), 'text/javascript');
    for (const peer of ['sentry', 'rrweb'] as const) server.route(`/__bench/peer-${peer}.js`, await bundle(`bench/page/peer-${peer}.ts`), 'text/javascript');
    for (const v of vs) {
      const peer = v.peer ? `<script src="/__bench/peer-${v.peer}.js"></script>` : '';
      server.route(`/__bench/console/${v.id}.html`, `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>console bench: ${v.id}</title>${peer}<script src="/__bench/console-page.js"></script></head><body><p>console bench: ${v.id}</p></body></html>`);
    }

    // Control copies of the build, each injected on a host of its own (see variants()).
    const controls = [controlCopy('ext-hook-only', { host: ZAMMAD_HOST, hookOnly: true }), controlCopy('ext-no-sourceurl', { host: CRM_HOST, stripSourceUrl: true })];
    const browser = await BenchBrowser.launch({ rules: server.rules, extensions: [builtExtension(), ...controls] });
    const samples: Record<MetricId, Samples> = { wall: {}, cpu: {} };
    /** Wall-clock time within the callers' tasks only (burst mode: coarse enough for the timer resolution). */
    const inTask: Samples = {};
    const hidden: string[] = [];
    const targets = new Map<string, string>();
    const pids = new Map<string, number>();
    /** Main-thread CPU of each tab after its last sample, and what it ran between its turns (µs per measured call). */
    const lastEnd = new Map<string, number>();
    const between: Record<string, number[]> = {};
    /** Kept calls: kind → variant → µs of main-thread CPU per call, one value per round. */
    const kept: Record<string, Record<string, number[]>> = {};
    const keptRounds = ctx.quick ? 1 : 6;
    const keptVs = vs.filter((v) => !v.modes);
    try {
      await browser.waitForExtension(temoinExtensionId());
      for (const v of vs) {
        targets.set(v.id, await browser.newTab(`https://${v.host}/__bench/console/${v.id}.html?tab=${v.id}`));
        await server.ready(v.id);
        const info = await server.run<{ native: boolean; peer: string | null }>(v.id, { op: 'info' });
        // A variant whose hook did not install would silently measure the native console.
        if (info.native !== (v.role === 'baseline')) throw new Error(`variant ${v.id}: console.error is ${info.native ? '' : 'not '}native`);
        if (v.peer && !info.peer) throw new Error(`variant ${v.id}: peer script did not run`);
        pids.set(v.id, await rendererOf(browser, () => server.run(v.id, { op: 'spin', iterations: 100_000_000 })));
      }
      if (new Set(pids.values()).size !== vs.length) throw new Error('two variants share a renderer process');

      const one = async (v: Variant, mode: Mode, kind: Kind): Promise<{ wall: number; cpu: number; inTask: number }> => {
        const pid = pids.get(v.id)!;
        const c0 = mainThreadCpuNs(pid);
        const r = await server.run<{ us: number; inTaskUs: number; visibility: string }>(v.id, { op: 'sample', kind, calls, every: mode.every });
        // Read once the renderer is quiet: what the calls left for later tasks counts too.
        const c1 = await settledCpuNs(pid);
        lastEnd.set(v.id, c1);
        if (r.visibility !== 'visible') hidden.push(v.id);
        return { wall: r.us, cpu: (c1 - c0) / 1000 / calls, inTask: r.inTaskUs };
      };
      ctx.log(`warm-up: ${warmup} samples per variant and case`);
      for (let i = 0; i < warmup; i++) for (const v of vs) for (const m of modesOf(v)) for (const k of KINDS) await one(v, m, k.id);
      for (let r = 0; r < rounds; r++) {
        ctx.log(`round ${r + 1}/${rounds}`);
        // Every round visits the variants in a new random order; each variant takes one sample per case.
        for (const v of shuffled(vs)) {
          await browser.activate(targets.get(v.id)!);
          // CPU the tab used since its previous turn, outside any sample: work that escaped the
          // settle wait (e.g. a batch on a long timer) shows up here.
          const since = lastEnd.get(v.id);
          if (since !== undefined) (between[v.id] ??= []).push((mainThreadCpuNs(pids.get(v.id)!) - since) / 1000 / (calls * modesOf(v).length * KINDS.length));
          for (const m of modesOf(v))
            for (const k of KINDS) {
              const x = await one(v, m, k.id);
              for (const metric of METRICS) ((samples[metric.id][key(m, k.id)] ??= {})[v.id] ??= []).push(x[metric.id]);
              ((inTask[key(m, k.id)] ??= {})[v.id] ??= []).push(x.inTask);
            }
        }
      }
      ctx.log(`kept calls: ${keptRounds} rounds of ${KEPT_CALLS} calls at ${KEPT_PER_SECOND} a second, every tab at once`);
      for (let r = 0; r < keptRounds; r++)
        for (const k of shuffled(KINDS)) {
          const c0 = new Map(keptVs.map((v) => [v.id, mainThreadCpuNs(pids.get(v.id)!)]));
          const t0 = Date.now();
          await Promise.all(keptVs.map((v) => server.run(v.id, { op: 'paced', kind: k.id, calls: KEPT_CALLS, intervalMs: 1000 / KEPT_PER_SECOND }, 60_000)));
          await new Promise((res) => setTimeout(res, Math.max(0, t0 + KEPT_WINDOW_MS - Date.now())));
          for (const v of keptVs) ((kept[k.id] ??= {})[v.id] ??= []).push((mainThreadCpuNs(pids.get(v.id)!) - c0.get(v.id)!) / 1000 / KEPT_CALLS);
        }
    } finally {
      await browser.close();
      await server.close();
    }

    // A wrong renderer would read as (almost) no CPU at all: every console.error costs tens of µs.
    for (const [k, byVariant] of Object.entries(samples.cpu))
      for (const [v, xs] of Object.entries(byVariant))
        if (summarize(xs).median < 5) throw new Error(`CPU time of ${v} (${k}) is implausibly low: its renderer process was not found correctly`);

    // ---- analysis ----
    const stats = {} as Record<MetricId, Record<string, Record<string, Stat>>>;
    for (const metric of METRICS) {
      stats[metric.id] = {};
      for (const m of MODES)
        for (const k of KINDS) {
          const byVariant = samples[metric.id][key(m, k.id)]!;
          const base = byVariant['native']!;
          const measured = vs.filter((v) => byVariant[v.id]);
          stats[metric.id][key(m, k.id)] = Object.fromEntries(measured.map((v) => [v.id, { perCall: summarize(byVariant[v.id]!), added: summarize(pairedDiff(byVariant[v.id]!, base)) }]));
        }
    }
    const added = (metric: MetricId, m: Mode, v: string): number[] => KINDS.map((k) => stats[metric][key(m, k.id)]![v]!.added.median);

    const tables: Table[] = [];
    for (const metric of [...METRICS].sort((a) => (a.id === GOAL_METRIC ? -1 : 1)))
      for (const m of MODES)
        tables.push({
          title: `${metric.id === GOAL_METRIC ? 'Goal metric: ' : 'Cross-check: '}${metric.label}. ${m.label[0]!.toUpperCase()}${m.label.slice(1)}. µs per call, median (p25 – p75)`,
          columns: ['Variant', ...KINDS.map((k) => `${k.label}: µs/call`), ...KINDS.map((k) => `${k.label}: added`)],
          rows: vs
            .filter((v) => modesOf(v).includes(m))
            .map((v) => {
              const st = (k: Kind) => stats[metric.id][key(m, k)]![v.id]!;
              return [v.label, ...KINDS.map((k) => fmtSummary(st(k.id).perCall)), ...KINDS.map((k) => (v.role === 'baseline' ? '—' : fmtSummary(st(k.id).added, 1, true)))];
            }),
        });

    const burst = MODES.find((m) => m.id === 'burst')!;
    tables.push({
      title: 'Burst mode, wall-clock time within the calling tasks only (the calls themselves, without the work deferred to later tasks). Added µs per call, median (p25 – p75)',
      columns: ['Variant', ...KINDS.map((k) => `${k.label}: added in task`)],
      rows: vs
        .filter((v) => v.role !== 'baseline' && modesOf(v).includes(burst))
        .map((v) => [v.label, ...KINDS.map((k) => fmtSummary(summarize(pairedDiff(inTask[key(burst, k.id)]![v.id]!, inTask[key(burst, k.id)]!['native']!)), 1, true))]),
    });

    const betweenBase = summarize(between['native'] ?? []).median;
    tables.push({
      title: "Main-thread CPU a tab used between its turns, outside any sample (µs per measured call, median (p25 – p75)): it should match the no-hook tab's, or work escapes the measurement",
      columns: ['Variant', 'CPU between turns', 'Over the no-hook tab'],
      rows: vs.map((v) => {
        const s = summarize(between[v.id] ?? []);
        return [v.label, fmtSummary(s, 2), v.role === 'baseline' ? '—' : signed(s.median - betweenBase, 2)];
      }),
    });

    const keptStats = Object.fromEntries(
      KINDS.map((k) => [k.id, Object.fromEntries(keptVs.map((v) => [v.id, { perCall: summarize(kept[k.id]![v.id]!), added: summarize(pairedDiff(kept[k.id]![v.id]!, kept[k.id]!['native']!)) }]))]),
    ) as Record<Kind, Record<string, Stat>>;
    tables.push({
      title: `Goal metric: ${METRICS.find((m) => m.id === GOAL_METRIC)!.label}. Kept calls: ${KEPT_CALLS} calls at ${KEPT_PER_SECOND} a second, one per task, every one of them kept by Témoin; ${keptRounds} rounds, each tab's CPU over ${KEPT_WINDOW_MS / 1000} s windows. µs per call, median (p25 – p75)`,
      columns: ['Variant', ...KINDS.map((k) => `${k.label}: µs/call`), ...KINDS.map((k) => `${k.label}: added`)],
      rows: keptVs.map((v) => [
        v.label,
        ...KINDS.map((k) => fmtSummary(keptStats[k.id][v.id]!.perCall)),
        ...KINDS.map((k) => (v.role === 'baseline' ? '—' : fmtSummary(keptStats[k.id][v.id]!.added, 1, true))),
      ]),
    });

    const verdicts: Verdict[] = [];
    const goalRows: string[][] = [];
    const peers = vs.filter((v) => v.role === 'peer');
    const judge = (metric: MetricId, m: Mode | 'kept', k: Kind) => {
      const s = m === 'kept' ? keptStats[k] : stats[metric][key(m, k)]!;
      const temoin = s['temoin']!.added.median;
      const best = peers.map((p) => ({ p, added: s[p.id]!.added.median, p25: s[p.id]!.added.p25 })).sort((a, b) => a.added - b.added)[0]!;
      const ratio = temoin / best.added;
      // Judged only when the best peer's cost stands out of the noise (its paired differences'
      // 25th percentile above zero): otherwise the ratio of two noise figures means nothing.
      const resolved = best.p25 > 0;
      const pass = resolved ? ratio <= 0.5 : null;
      const ratioText = resolved ? `${fmt(ratio, 2)}×` : `${fmt(ratio, 2)}×, not resolved (the peer's p25 is ${signed(best.p25)} µs: within this run's noise)`;
      return { temoin, best, ratioText, pass };
    };
    for (const m of MODES)
      for (const k of KINDS) {
        const g = judge(GOAL_METRIC, m, k.id);
        const w = judge('wall', m, k.id);
        goalRows.push([m.id, k.label, signed(g.temoin), `${g.best.p.id}: ${signed(g.best.added)}`, g.ratioText, verdictWord(g.pass), `${w.ratioText} (${w.best.p.id}): ${verdictWord(w.pass)}`]);
        verdicts.push({ name: `${m.id}, ${k.label} arg`, goal: 'Témoin added ≤ 0.5 × best peer added (CPU)', measured: `${signed(g.temoin)} µs vs ${g.best.p.id} ${signed(g.best.added)} µs (${g.ratioText})`, pass: g.pass });
      }
    for (const k of KINDS) {
      const g = judge(GOAL_METRIC, 'kept', k.id);
      goalRows.push(['kept', k.label, signed(g.temoin), `${g.best.p.id}: ${signed(g.best.added)}`, g.ratioText, verdictWord(g.pass), 'n/a (CPU only)']);
      verdicts.push({ name: `kept (${KEPT_PER_SECOND}/s), ${k.label} arg`, goal: 'Témoin added ≤ 0.5 × best peer added (CPU)', measured: `${signed(g.temoin)} µs vs ${g.best.p.id} ${signed(g.best.added)} µs (${g.ratioText})`, pass: g.pass });
    }
    tables.push({
      title: 'Témoin against the best peer: added µs per call of main-thread CPU time (medians of paired differences), and the same ratio in wall-clock time',
      columns: ['Mode', 'Argument', 'Témoin added', 'Best peer added', 'Témoin / best peer', 'Goal ≤ 0.5×', 'Wall-clock ratio (best peer)'],
      rows: goalRows,
      align: ['l', 'l', 'r', 'r', 'r', 'l', 'r'],
    });

    const notes: string[] = [];
    const sparseMode = MODES.find((m) => m.id === 'sparse')!;
    const ctrl = added(GOAL_METRIC, sparseMode, 'temoin-no-sourceurl').map((x, i) => x - added(GOAL_METRIC, sparseMode, 'temoin')[i]!);
    notes.push(
      `The shipped page hook ${hookHasSourceUrl() ? 'ends with' : '**does not end with**'} a \`//# sourceURL=\` comment. ` +
        `Without it (control copy), the sparse-mode CPU cost changes by ${list(ctrl)} µs per call (string / Error / object).`,
    );
    {
      const hook = KINDS.map((k) => keptStats[k.id]['temoin-hook-only']!.added.median);
      const rest = KINDS.map((k, i) => keptStats[k.id]['temoin']!.added.median - hook[i]!);
      notes.push(
        `Where Témoin's cost of a kept call goes (string / Error / object, µs per call): the page hook alone (wrapper, rate check, reading an Error's stack, serialization of each batch) adds ${list(hook)}; ` +
          `the remainder, ${list(rest)}, is the bridge: each batch's dispatch, its parsing, zod validation, scrubbing and buffering, and the hand-over of the new events to the background every 5 s.`,
      );
    }
    for (const m of MODES) {
      const hook = added(GOAL_METRIC, m, 'temoin-hook-only');
      const rest = added(GOAL_METRIC, m, 'temoin').map((x, i) => x - hook[i]!);
      notes.push(
        `Where Témoin's ${m.id}-mode CPU cost goes (string / Error / object, µs per call): the page hook alone, with no bridge to connect to (wrapper, rate check, serialization of each batch), adds ${list(hook)}; ` +
          `the remainder, ${list(rest)}, is each batch's CustomEvent dispatch and the bridge's handling of it (JSON.parse, zod validation, scrubbing, buffering), synchronous in the dispatch, on the page's main thread.`,
      );
    }
    const escaped = vs.filter((v) => v.role !== 'baseline' && summarize(between[v.id] ?? []).median - betweenBase > 2);
    if (escaped.length)
      notes.push(
        `**Warning**: ${escaped.map((v) => v.id).join(', ')} used more CPU than the no-hook tab between samples (table above): some of their work ran after the settle wait and is not counted in their added cost. Lengthen the wait in \`settledCpuNs\` (bench/lib/cpu.ts) beyond their batching delay.`,
      );
    const unresolved = verdicts.filter((v) => v.pass === null);
    if (unresolved.length)
      notes.push(
        `Not judged (the best peer's added cost did not stand out of this run's noise: the 25th percentile of its paired differences was ≤ 0): ${unresolved.map((v) => v.name).join('; ')}. Kept calls are the noisiest rows: a tab's main thread spends about half a millisecond per paced call on the harness and the timers, and that varies between windows by more than the hooks cost.`,
      );
    const missed = verdicts.filter((v) => v.pass === false);
    if (missed.length) notes.push(`Goal missed in: ${missed.map((v) => v.name).join('; ')}.`);
    if (hidden.length) notes.push(`Warning: some samples ran in a hidden tab (${[...new Set(hidden)].join(', ')}); they may be throttled.`);

    return {
      method: [
        'Debian Chromium, headless, driven over a CDP pipe with **no debugger attached to the measured tabs** (Playwright would enable the Runtime domain on them, which makes console calls several times slower); each tab receives its commands by long-polling the bench server and times itself with `performance.now()`.',
        `One browser, one tab (and renderer process) per variant, each in its own window. The no-hook baseline, Sentry and rrweb pages are on an unmatched host (\`${OTHER_HOST}\`); Témoin's hook is the built extension's content script on a matched production URL (\`https://${AXIALYS_BAR_HOST}/…\`), with its isolated-world bridge connected. Peers are bundled from node_modules and loaded by a script tag before the bench script; Sentry gets a dummy DSN with a stub transport (without a DSN its integrations are not set up), so nothing is sent.`,
        `A sample is ${calls} \`console.error(arg)\` calls with arg a short string, a new \`Error\`, or a shared nested object (3 levels, ~20 keys). No GC is forced between samples: collecting what a hook allocates is part of its cost. In *sparse* mode each call runs in a task of its own (an error now and then: nothing to batch), in *burst* mode 50 calls share a task. After each task the sample waits for a new task (a MessageChannel message) and, at its end, for a zero-delay timer: what a call costs in microtasks, in tasks a hook posted meanwhile or in zero-delay timers is counted, wherever it runs. Work deferred longer (a delayed timer, an idle callback) escapes the wall-clock reading, not the CPU one (below): Témoin's hook has no timer: it sends a batch when 50 events are pending or when its bridge asks (the hand-over every 5 s, a snapshot, pagehide), and the bridge handles a batch synchronously inside the hook's \`dispatchEvent\`; a batch that goes out after a sample's settle wait lands in the tab's next sample, or in its CPU between turns (table below). Moving work out of the calling task does not lower the added cost: it is main-thread time all the same. Burst mode also reports the wall-clock time within the calling tasks alone.`,
        "Each sample is read twice: the page's own \`performance.now()\` around the calls, and the CPU time of the tab's renderer main thread (Linux \`/proc/<pid>/task/<pid>/schedstat\`, read by the harness just before the sample command and, after it, once the main thread has gone quiet (at least 30 ms, at most 100 ms), so that work deferred to later tasks, short timers or idle callbacks counts too; the renderer is found by making the tab spin). **The goal is judged on CPU time**: on this shared machine the renderer is preempted by other jobs at random, which inflates wall-clock samples; the wall-clock ratio is shown beside it. CPU time includes the command round trip (a few fetch calls, the same for every variant, spread over the sample's calls).",
        `Témoin keeps at most 50 console events a second per frame (its buffer's rate limit, which the page hook applies before serializing anything): at the pace of the sparse and burst samples (thousands of calls a second), most of Témoin's calls are refused by a counter in the hook, as they would be in a flood. **Kept calls** are measured apart, and judged too: after the rounds above, every tab makes ${KEPT_CALLS} calls at ${KEPT_PER_SECOND} a second, one per timer task, all tabs at the same time; each is kept by Témoin (serialized, dispatched, validated, scrubbed, buffered and handed to the background). A tab's CPU is read at the start of a window and ${KEPT_WINDOW_MS / 1000} s later (the calls take ${KEPT_CALLS / KEPT_PER_SECOND} s; the bridge hands its events over every 5 s: each window holds about one hand-over; one that falls after a window's end counts in the next); ${keptRounds} rounds, the argument kinds in a random order each round, "added" is the median of the per-round differences with the no-hook tab. Here, code runs cold (a call now and then, as on a real page), which costs every variant more per call than in the tight loops above. The same measure with other paces: \`npx tsx bench/tools/paced-console.ts [rounds] [callsPerSecond] [calls]\`.`,
        `${warmup} warm-up samples per variant and case are discarded, then ${rounds} rounds; each round visits the variants in a random order, one sample per mode and argument kind. "Added" is the median (p25 – p75) of the per-round differences with the no-hook sample of the same round.`,
      ],
      tables,
      verdicts,
      notes,
      data: { calls, rounds, warmup, modes: MODES, variants: vs, goalMetric: GOAL_METRIC, samples, inTask, cpuBetweenTurns: between, stats, kept: { calls: KEPT_CALLS, perSecond: KEPT_PER_SECOND, windowMs: KEPT_WINDOW_MS, rounds: keptRounds, samples: kept, stats: keptStats } },
    };
  },
};
