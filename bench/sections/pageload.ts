/**
 * Section "pageload": the demo operator bar loaded with and without the extension, from the
 * navigation timing entry.
 */
import { startDevServer } from '../../dev/server';
import { URLS } from '../../dev/hosts';
import { BenchBrowser } from '../lib/browser';
import { controlCopy, temoinExtensionId } from '../lib/extension';
import type { Table, Verdict } from '../lib/results';
import type { Section } from '../lib/section';
import { fmt, fmtSummary, shuffled, signed, summarize, type Summary } from '../lib/stats';

const GOAL = 1.02;

interface Timing {
  dcl: number;
  load: number;
  responseEnd: number;
  hooked: boolean;
  /** performance marks (name → ms), from the diagnostic copy of the extension. */
  marks: Record<string, number>;
}

/** Loads url in a fresh tab and reads its PerformanceNavigationTiming (ms from navigation start). */
async function loadOnce(browser: BenchBrowser, url: string): Promise<Timing> {
  const target = await browser.newTab('about:blank');
  try {
    const s = await browser.attach(target);
    // Only the Page domain: Runtime is not enabled, so console calls are not reported to us.
    await s.send('Page.enable');
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
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no loadEventEnd for ${url}`);
  } finally {
    await browser.closeTab(target);
  }
}

type VariantId = 'without' | 'empty' | 'with';
const VARIANTS: { id: VariantId; label: string }[] = [
  { id: 'without', label: 'Without extension' },
  { id: 'empty', label: 'Empty extension (same content-script declarations, empty files)' },
  { id: 'with', label: 'With Témoin' },
];
type Stat = { summary: Summary; ratio: number; paired: Summary };

export const pageLoadSection: Section = {
  id: 'pageload',
  title: 'Page load',
  async run(ctx) {
    const n = ctx.quick ? 4 : 24;
    const warmup = ctx.quick ? 1 : 2;
    const diagnosticLoads = ctx.quick ? 2 : 8;
    const server = await startDevServer();
    const browsers: Partial<Record<VariantId, BenchBrowser>> = {};
    const samples: Record<VariantId, Timing[]> = { without: [], empty: [], with: [] };
    const diagnostic: Timing[] = [];
    try {
      browsers.with = await BenchBrowser.launch({ rules: server.rules });
      browsers.without = await BenchBrowser.launch({ rules: server.rules, extensions: [] });
      browsers.empty = await BenchBrowser.launch({ rules: server.rules, extensions: [controlCopy('ext-empty', { empty: true })] });
      await browsers.with.waitForExtension(temoinExtensionId());
      for (let i = 0; i < warmup + n; i++) {
        if (i === warmup) ctx.log(`measuring ${n} loads per variant`);
        // Each round loads the bar once in every browser, in a new random order.
        for (const v of shuffled(VARIANTS.map((x) => x.id))) {
          const t = await loadOnce(browsers[v]!, URLS.bar);
          if (t.hooked !== (v === 'with')) throw new Error(`page load, ${v}: console.error is ${t.hooked ? '' : 'not '}hooked`);
          if (i >= warmup) samples[v].push(t);
        }
      }
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
      }
    } finally {
      for (const b of Object.values(browsers)) await b?.close();
      await server.close();
    }

    const metrics = [
      { id: 'load', label: 'loadEventEnd' },
      { id: 'dcl', label: 'domContentLoadedEventEnd' },
    ] as const;
    // Per metric and variant: the summary, and the ratio to the browser without extension (of the
    // medians; and the median of the per-round ratios).
    const stats = Object.fromEntries(
      metrics.map((m) => {
        const of = (v: VariantId) => samples[v].map((t) => t[m.id]);
        const base = summarize(of('without'));
        const per = Object.fromEntries(
          VARIANTS.map((v) => {
            const sum = summarize(of(v.id));
            return [v.id, { summary: sum, ratio: sum.median / base.median, paired: summarize(of(v.id).map((x, i) => x / of('without')[i]!)) }];
          }),
        );
        return [m.id, per];
      }),
    ) as Record<'load' | 'dcl', Record<VariantId, Stat>>;

    const table: Table = {
      title: `Operator bar (${URLS.bar}), ms from navigation start, median (p25 – p75); ratios against the browser without extension`,
      columns: ['Metric', ...VARIANTS.map((v) => v.label), 'Empty extension: ratio of medians', 'Témoin: ratio of medians', 'Témoin: median of per-round ratios (p25 – p75)', 'Goal'],
      rows: metrics.map((m) => {
        const st = stats[m.id];
        return [
          m.label,
          ...VARIANTS.map((v) => fmtSummary(st[v.id].summary)),
          `${fmt(st.empty.ratio, 3)}×`,
          `${fmt(st.with.ratio, 3)}×`,
          `${fmt(st.with.paired.median, 3)}× (${fmt(st.with.paired.p25, 3)} – ${fmt(st.with.paired.p75, 3)})`,
          `≤ ${GOAL}×: ${st.with.ratio <= GOAL ? 'PASS' : '**MISS**'}`,
        ];
      }),
    };
    // Every content script of the build was wrapped in `<file>:start` / `<file>:end` marks.
    const files = [...new Set(diagnostic.flatMap((t) => Object.keys(t.marks)).filter((m) => m.endsWith(':start')).map((m) => m.slice(0, -':start'.length)))].sort();
    const mark = (t: Timing, name: string) => t.marks[name] ?? NaN;
    const row = (label: string, f: (t: Timing) => number): string[] => [label, fmtSummary(summarize(diagnostic.map(f).filter(Number.isFinite)))];
    const firstStart = (t: Timing) => Math.min(...files.map((f) => mark(t, `${f}:start`)).filter(Number.isFinite));
    const diagTable: Table = {
      title: `Where the extension's time goes during that load (${diagnostic.length} loads of a copy of the build with performance marks around each content script), ms, median (p25 – p75)`,
      columns: ['Phase', 'ms'],
      rows: [
        row('document responseEnd → first statement of the first content script (compiling the scripts, creating the isolated world)', (t) => firstStart(t) - t.responseEnd),
        ...files.flatMap((f) => [
          row(`${f}: starts at (ms from navigation start)`, (t) => mark(t, `${f}:start`)),
          row(`${f}: top-level run`, (t) => mark(t, `${f}:end`) - mark(t, `${f}:start`)),
        ]),
        row('domContentLoadedEventEnd of these loads', (t) => t.dcl),
        row('loadEventEnd of these loads', (t) => t.load),
      ],
    };
    const verdicts: Verdict[] = metrics.map((m) => ({ name: m.label, goal: `≤ ${GOAL}× without extension`, measured: `${fmt(stats[m.id].with.ratio, 3)}×`, pass: stats[m.id].with.ratio <= GOAL }));
    const notes: string[] = [];
    const added = (v: VariantId) => stats.load[v].summary.median - stats.load.without.summary.median;
    notes.push(
      `On the median load (loadEventEnd), Témoin adds ${signed(added('with'))} ms and an extension that injects empty scripts at the same places adds ${signed(added('empty'))} ms: ` +
        `Témoin's own code accounts for the difference, ${signed(added('with') - added('empty'))} ms (Témoin's load is ${fmt(stats.load.with.summary.median / stats.load.empty.summary.median, 3)}× the empty extension's).`,
    );
    const missed = verdicts.filter((v) => !v.pass);
    if (missed.length)
      notes.push(
        `Missed for ${missed.map((v) => v.name).join(', ')}. Compare with the spreads: when the interquartile ranges overlap widely, the gap is within this machine's noise; re-run the section (\`npx tsx bench/run.ts pageload\`) before acting on it.`,
      );
    return {
      method: [
        'Three Debian Chromium headless browsers, same flags and host rules (the demo server, `startDevServer()`): one with the built extension, one without any extension, and one with a copy of the build whose content scripts are empty files (the same manifest: MAIN-world and isolated-world scripts at document_start in every frame of the Axialys hosts), which shows what the browser itself costs a page for any extension that injects there.',
        `Each sample opens a fresh tab, navigates it to the operator bar over CDP (Page domain only, Runtime not enabled), reads \`performance.getEntriesByType('navigation')[0]\` once \`loadEventEnd\` is set, and closes the tab. ${warmup} warm-up rounds are discarded, then ${n} rounds; a round loads the bar once in each browser, in a random order. The goal is judged on the ratio of medians; the median of the per-round ratios is shown beside it.`,
        'Each sample also checks that console.error is hooked with Témoin and native in the two other browsers.',
        `Then, for the breakdown only, ${diagnosticLoads} loads with a copy of the build whose content scripts call \`performance.mark()\` first and last (marks are shared by the page's worlds).`,
      ],
      tables: [table, diagTable],
      verdicts,
      notes,
      data: { url: URLS.bar, n, warmup, variants: VARIANTS, samples, stats, diagnostic },
    };
  },
};
