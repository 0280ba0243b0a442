/**
 * Section "pageload": the demo operator bar loaded with and without the extension, from the
 * navigation timing entry.
 */
import { startDevServer } from '../../dev/server';
import { URLS } from '../../dev/hosts';
import { BenchBrowser, sleep } from '../lib/browser';
import type { CdpSession } from '../lib/cdp';
import { controlCopy, temoinExtensionId } from '../lib/extension';
import type { Table, Verdict } from '../lib/results';
import type { Section } from '../lib/section';
import { bootstrapRatioOfMedians, fmt, fmtSummary, shuffled, signed, summarize, type Summary } from '../lib/stats';

const GOAL = 1.02;

export interface Timing {
  dcl: number;
  load: number;
  responseEnd: number;
  hooked: boolean;
  /** performance marks (name → ms), from the diagnostic copy of the extension. */
  marks: Record<string, number>;
}

/** Navigates an attached tab (Page domain enabled) to url and reads its PerformanceNavigationTiming (ms from navigation start). */
export async function measureLoad(browser: BenchBrowser, s: CdpSession, url: string): Promise<Timing> {
  const loaded = browser.cdp.waitFor('Page.loadEventFired', () => true, 30_000, s.id);
  await s.send('Page.navigate', { url });
  await loaded;
  for (let i = 0; i < 50; i++) {
    const t = await s.evaluate<Timing | null>(`(() => {
      const n = performance.getEntriesByType('navigation')[0];
      if (!n || !(n.loadEventEnd > 0)) return null;
      const f = document.createElement('iframe');
      document.documentElement.appendChild(f);
      // Only the browser's own function reads so (Témoin's wrapper is a Proxy: \`function () { [native code] }\`).
      const native = f.contentWindow.Function.prototype.toString.call(console.error) === 'function error() { [native code] }';
      f.remove();
      const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, responseEnd: n.responseEnd, hooked: !native, marks };
    })()`);
    if (t) return t;
    await sleep(20);
  }
  throw new Error(`no loadEventEnd for ${url}`);
}

/** Loads url in a fresh tab (a new renderer process) and reads its navigation timing. */
export async function loadOnce(browser: BenchBrowser, url: string): Promise<Timing> {
  const target = await browser.newTab('about:blank');
  try {
    const s = await browser.attach(target);
    // Only the Page domain: Runtime is not enabled, so console calls are not reported to us.
    await s.send('Page.enable');
    return await measureLoad(browser, s, url);
  } finally {
    await browser.closeTab(target);
  }
}

type VariantId = 'without' | 'empty' | 'with';
const VARIANTS: { id: VariantId; label: string }[] = [
  { id: 'without', label: 'Without extension' },
  { id: 'empty', label: 'Empty extension (Témoin’s manifest and background, empty content scripts)' },
  { id: 'with', label: 'With Témoin' },
];
type ScenarioId = 'open' | 'reload';
const SCENARIOS: { id: ScenarioId; label: string }[] = [
  { id: 'open', label: 'Opening the bar (a new tab)' },
  { id: 'reload', label: 'Reloading the bar (same tab, open for a few seconds before)' },
];
/** After a tab closes: Témoin's worker wakes for tabs.onRemoved; that must not fall into the next sample. */
const SETTLE_MS = 300;
/**
 * Before a reload: long enough for the bridge and the frame agent to be in place (the agent waits
 * for an idle moment, 2 s at most) and for its first periodic hand-over (every 5 s): an agent
 * reloads a bar that has been open for a while, so the pagehide hand-over carries the last
 * seconds' events, through code that has run before.
 */
const OPEN_BEFORE_RELOAD_MS = 6500;
type Stat = { summary: Summary; ratio: number; ci: { lo: number; hi: number }; paired: Summary };
/**
 * PASS when the whole bootstrap interval of the ratio is within the goal, MISS when it is all
 * beyond, otherwise not resolved (null): on this machine a load varies by ±15 % from one sample to
 * the next, and a 2 % goal is finer than what a few dozen loads can tell apart.
 */
const judge = (st: Stat): boolean | null => (st.ci.hi <= GOAL ? true : st.ci.lo > GOAL ? false : null);
const verdictWord = (pass: boolean | null): string => (pass === null ? 'not resolved' : pass ? 'PASS' : '**MISS**');

export const pageLoadSection: Section = {
  id: 'pageload',
  title: 'Page load',
  async run(ctx) {
    const rounds: Record<ScenarioId, number> = ctx.quick ? { open: 4, reload: 2 } : { open: 60, reload: 12 };
    const warmup = ctx.quick ? 1 : 2;
    const diagnosticLoads = ctx.quick ? 2 : 8;
    const server = await startDevServer();
    const browsers: Partial<Record<VariantId, BenchBrowser>> = {};
    const samples: Record<ScenarioId, Record<VariantId, Timing[]>> = { open: { without: [], empty: [], with: [] }, reload: { without: [], empty: [], with: [] } };
    const diagnostic: Timing[] = [];
    const check = (v: VariantId, t: Timing) => {
      if (t.hooked !== (v === 'with')) throw new Error(`page load, ${v}: console.error is ${t.hooked ? '' : 'not '}hooked`);
    };
    try {
      browsers.with = await BenchBrowser.launch({ rules: server.rules });
      browsers.without = await BenchBrowser.launch({ rules: server.rules, extensions: [] });
      browsers.empty = await BenchBrowser.launch({ rules: server.rules, extensions: [controlCopy('ext-empty', { empty: true })] });
      await browsers.with.waitForExtension(temoinExtensionId());
      // Opening: a fresh tab (and renderer process) per load, closed at once; each round loads the bar once in every browser, in a new random order.
      ctx.log(`opening: ${rounds.open} loads per variant`);
      for (let i = 0; i < warmup + rounds.open; i++) {
        for (const v of shuffled(VARIANTS.map((x) => x.id))) {
          const t = await loadOnce(browsers[v]!, URLS.bar);
          check(v, t);
          if (i >= warmup) samples.open[v].push(t);
          await sleep(SETTLE_MS);
        }
      }
      // Reloading: one tab per browser, navigated to the bar again once it has been open for a while.
      ctx.log(`reloading: ${rounds.reload} loads per variant`);
      const tabs: Partial<Record<VariantId, { target: string; session: CdpSession }>> = {};
      for (const v of VARIANTS.map((x) => x.id)) {
        const target = await browsers[v]!.newTab('about:blank');
        const session = await browsers[v]!.attach(target);
        await session.send('Page.enable');
        tabs[v] = { target, session };
      }
      for (let i = 0; i < 1 + warmup + rounds.reload; i++) {
        for (const v of shuffled(VARIANTS.map((x) => x.id))) {
          const t = await measureLoad(browsers[v]!, tabs[v]!.session, URLS.bar);
          check(v, t);
          // The first load of each tab is an opening, not a reload.
          if (i >= 1 + warmup) samples.reload[v].push(t);
          // Each tab stays open a while before its next reload; the other browsers wait meanwhile
          // (their loads would compete with this tab's agent starting).
          await sleep(OPEN_BEFORE_RELOAD_MS);
        }
      }
      for (const v of VARIANTS.map((x) => x.id)) await browsers[v]!.closeTab(tabs[v]!.target);
      // Where the time goes: the same build with performance marks around each content script.
      for (const v of ['without', 'empty', 'with'] as const) {
        await browsers[v]!.close();
        browsers[v] = undefined;
      }
      browsers.with = await BenchBrowser.launch({ rules: server.rules, extensions: [controlCopy('ext-marks', { marks: true })] });
      ctx.log(`diagnostic: ${diagnosticLoads} loads with content-script marks`);
      for (let i = 0; i < diagnosticLoads + 1; i++) {
        const t = await loadOnce(browsers.with, URLS.bar);
        if (i > 0) diagnostic.push(t);
        await sleep(SETTLE_MS);
      }
    } finally {
      for (const b of Object.values(browsers)) await b?.close();
      await server.close();
    }

    const metrics = [
      { id: 'load', label: 'loadEventEnd' },
      { id: 'dcl', label: 'domContentLoadedEventEnd' },
    ] as const;
    // Per scenario, metric and variant: the summary, and the ratio to the browser without extension (of the
    // medians, with its bootstrap interval; and the median of the per-round ratios).
    const statsOf = (sc: ScenarioId) =>
      Object.fromEntries(
        metrics.map((m) => {
          const of = (v: VariantId) => samples[sc][v].map((t) => t[m.id]);
          const base = summarize(of('without'));
          const per = Object.fromEntries(
            VARIANTS.map((v) => {
              const sum = summarize(of(v.id));
              return [
                v.id,
                { summary: sum, ratio: sum.median / base.median, ci: bootstrapRatioOfMedians(of(v.id), of('without')), paired: summarize(of(v.id).map((x, i) => x / of('without')[i]!)) },
              ];
            }),
          );
          return [m.id, per];
        }),
      ) as Record<'load' | 'dcl', Record<VariantId, Stat>>;
    const stats = { open: statsOf('open'), reload: statsOf('reload') };
    const ratioCell = (st: Stat) => `${fmt(st.ratio, 3)}× (${fmt(st.ci.lo, 3)} – ${fmt(st.ci.hi, 3)})`;

    const table: Table = {
      title: `Operator bar (${URLS.bar}), ms from navigation start, median (p25 – p75); ratios of medians against the browser without extension, with their bootstrap interval (p5 – p95)`,
      columns: ['Scenario', 'Metric', ...VARIANTS.map((v) => v.label), 'Empty extension: ratio', 'Témoin: ratio', 'Témoin: median of per-round ratios (p25 – p75)', 'Goal'],
      rows: SCENARIOS.flatMap((sc) =>
        metrics.map((m) => {
          const st = stats[sc.id][m.id];
          return [
            `${sc.label} (${samples[sc.id].with.length} rounds)`,
            m.label,
            ...VARIANTS.map((v) => fmtSummary(st[v.id].summary)),
            ratioCell(st.empty),
            ratioCell(st.with),
            `${fmt(st.with.paired.median, 3)}× (${fmt(st.with.paired.p25, 3)} – ${fmt(st.with.paired.p75, 3)})`,
            `≤ ${GOAL}×: ${verdictWord(judge(st.with))}`,
          ];
        }),
      ),
    };
    // Every content script of the build was wrapped in `<file>:start` / `<file>:end` marks.
    const files = [...new Set(diagnostic.flatMap((t) => Object.keys(t.marks)).filter((m) => m.endsWith(':start')).map((m) => m.slice(0, -':start'.length)))].sort();
    const mark = (t: Timing, name: string) => t.marks[name] ?? NaN;
    const row = (label: string, f: (t: Timing) => number): string[] => [label, fmtSummary(summarize(diagnostic.map(f).filter(Number.isFinite)))];
    const firstStart = (t: Timing) => Math.min(...files.map((f) => mark(t, `${f}:start`)).filter(Number.isFinite));
    const diagTable: Table = {
      title: `Where the extension's time goes while the bar opens (${diagnostic.length} loads of a copy of the build with performance marks around each content script), ms, median (p25 – p75)`,
      columns: ['Phase', 'ms'],
      rows: [
        row('document responseEnd → first statement of the page hook (compiling it; the parser waits)', (t) => firstStart(t) - t.responseEnd),
        ...files.flatMap((f) => [
          row(`${f}: starts at (ms from navigation start)`, (t) => mark(t, `${f}:start`)),
          row(`${f}: top-level run`, (t) => mark(t, `${f}:end`) - mark(t, `${f}:start`)),
        ]),
        row('domContentLoadedEventEnd of these loads', (t) => t.dcl),
        row('loadEventEnd of these loads', (t) => t.load),
      ],
    };
    const verdicts: Verdict[] = SCENARIOS.flatMap((sc) =>
      metrics.map((m) => ({
        name: `${sc.label}, ${m.label}`,
        goal: `≤ ${GOAL}× without extension`,
        measured: `${fmt(stats[sc.id][m.id].with.ratio, 3)}× (p5 – p95 ${fmt(stats[sc.id][m.id].with.ci.lo, 3)} – ${fmt(stats[sc.id][m.id].with.ci.hi, 3)}; empty extension ${fmt(stats[sc.id][m.id].empty.ratio, 3)}×)`,
        pass: judge(stats[sc.id][m.id].with),
      })),
    );
    const notes: string[] = [
      'Finding behind the design (2026-11-28, `npx tsx bench/tools/pageload-variants.ts 50 …`, 50–60 rounds each): with the bridge declared in the manifest, at document_start or even at document_idle (which Chromium runs before the load event), creating the extension\'s isolated world during the load made the bar open 1.11–1.14× slower, with domContentLoaded unchanged in the document_idle case; the page hook alone measured 1.004×. The bridge is now injected by the background once each frame has loaded; what remains in the load is the page hook.',
    ];
    for (const sc of SCENARIOS) {
      const st = stats[sc.id].load;
      const added = (v: VariantId) => st[v].summary.median - st.without.summary.median;
      notes.push(
        `${sc.label}: on the median load (loadEventEnd), Témoin adds ${signed(added('with'))} ms and an extension with Témoin's manifest and background but empty content scripts adds ${signed(added('empty'))} ms ` +
          `(Témoin's median load is ${fmt(st.with.summary.median / st.empty.summary.median, 3)}× the empty extension's).`,
      );
    }
    const missed = verdicts.filter((v) => v.pass === false);
    if (missed.length) notes.push(`Missed (the whole interval is beyond the goal) for ${missed.map((v) => v.name).join('; ')}.`);
    const unresolved = verdicts.filter((v) => v.pass === null);
    if (unresolved.length)
      notes.push(
        `Not resolved (the interval straddles ${GOAL}×: this run cannot tell the difference from ${GOAL}× apart) for ${unresolved.map((v) => v.name).join('; ')}. ` +
          'What the extension adds inside the load is timed apart below (the marks table) and traced by `npx tsx bench/tools/trace-load.ts`; `npx tsx bench/tools/pageload-variants.ts` compares the parts (the hook alone, the former declared bridge, …) over more rounds.',
      );
    return {
      method: [
        'Three Debian Chromium headless browsers, same flags and host rules (the demo server, `startDevServer()`): one with the built extension, one without any extension, and one with a copy of the build whose content scripts are empty files (the same manifest and background: the page hook declared in MAIN world at document_start in every frame of the Axialys hosts, the bridge injected by the background once each frame has loaded), which shows what the browser itself charges a page for such an extension, whatever its scripts do.',
        `Opening: each sample opens a fresh tab, navigates it to the operator bar over CDP (Page domain only, Runtime not enabled), reads \`performance.getEntriesByType('navigation')[0]\` once \`loadEventEnd\` is set, closes the tab and waits ${SETTLE_MS} ms (a closed tab wakes Témoin's worker, which must not fall into the next sample). ${warmup} warm-up rounds are discarded, then ${rounds.open} rounds; a round loads the bar once in each browser, in a random order.`,
        `Reloading: one tab per browser, navigated to the bar again and again; after each load the harness waits ${OPEN_BEFORE_RELOAD_MS} ms before the next one (in any browser), long enough for Témoin's bridge and frame agent to be in place and for the agent's first periodic hand-over (every 5 s), so that the reload includes the agent's hand-over at pagehide (reload survival) of the last seconds' events, as when an agent reloads a bar open for a while. ${warmup} warm-up rounds, then ${rounds.reload} rounds.`,
        `The goal is judged on the ratio of medians with its bootstrap interval (p5 – p95, each sample set resampled): PASS when the whole interval is ≤ ${GOAL}×, MISS when all of it is above, not resolved otherwise. The median of the per-round ratios is shown beside it. Each sample also checks that console.error is hooked with Témoin and native in the two other browsers.`,
        `Then, for the breakdown only, ${diagnosticLoads} openings with a copy of the build whose content scripts call \`performance.mark()\` first and last (marks are shared by the page's worlds).`,
      ],
      tables: [table, diagTable],
      verdicts,
      notes,
      data: { url: URLS.bar, rounds, warmup, settleMs: SETTLE_MS, openBeforeReloadMs: OPEN_BEFORE_RELOAD_MS, variants: VARIANTS, samples, stats, diagnostic },
    };
  },
};
