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
import { fmt, fmtSummary, summarize } from '../lib/stats';

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

export const pageLoadSection: Section = {
  id: 'pageload',
  title: 'Page load',
  async run(ctx) {
    const n = ctx.quick ? 4 : 24;
    const warmup = ctx.quick ? 1 : 2;
    const diagnosticLoads = ctx.quick ? 2 : 8;
    const server = await startDevServer();
    const browsers: Record<'with' | 'without', BenchBrowser | undefined> = { with: undefined, without: undefined };
    const samples: Record<'with' | 'without', Timing[]> = { with: [], without: [] };
    const diagnostic: Timing[] = [];
    try {
      browsers.with = await BenchBrowser.launch({ rules: server.rules });
      browsers.without = await BenchBrowser.launch({ rules: server.rules, extensions: [] });
      await browsers.with.waitForExtension(temoinExtensionId());
      for (let i = 0; i < warmup + n; i++) {
        if (i === warmup) ctx.log(`measuring ${n} loads per variant`);
        // Alternate which variant goes first, so neither always follows the other.
        const order = i % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const);
        for (const v of order) {
          const t = await loadOnce(browsers[v]!, URLS.bar);
          if (t.hooked !== (v === 'with')) throw new Error(`page load ${v} extension: console.error is ${t.hooked ? '' : 'not '}hooked`);
          if (i >= warmup) samples[v].push(t);
        }
      }
      // Where the time goes: the same build with performance marks around each content script.
      await browsers.without.close();
      browsers.without = undefined;
      await browsers.with.close();
      browsers.with = await BenchBrowser.launch({ rules: server.rules, extensions: [controlCopy('ext-marks', { marks: true })] });
      ctx.log(`diagnostic: ${diagnosticLoads} loads with content-script marks`);
      for (let i = 0; i < diagnosticLoads + 1; i++) {
        const t = await loadOnce(browsers.with, URLS.bar);
        if (i > 0) diagnostic.push(t);
      }
    } finally {
      await browsers.with?.close();
      await browsers.without?.close();
      await server.close();
    }

    const metrics = [
      { id: 'load', label: 'loadEventEnd' },
      { id: 'dcl', label: 'domContentLoadedEventEnd' },
    ] as const;
    const stats = Object.fromEntries(
      metrics.map((m) => {
        const w = summarize(samples.with.map((t) => t[m.id]));
        const wo = summarize(samples.without.map((t) => t[m.id]));
        return [m.id, { with: w, without: wo, ratio: w.median / wo.median }];
      }),
    ) as Record<'load' | 'dcl', { with: ReturnType<typeof summarize>; without: ReturnType<typeof summarize>; ratio: number }>;

    const table: Table = {
      title: `Operator bar (${URLS.bar}), ms from navigation start, median (p25 – p75)`,
      columns: ['Metric', 'Without extension', 'With Témoin', 'Ratio of medians', 'Goal'],
      rows: metrics.map((m) => {
        const s = stats[m.id];
        return [m.label, fmtSummary(s.without), fmtSummary(s.with), `${fmt(s.ratio, 3)}×`, `≤ ${GOAL}×: ${s.ratio <= GOAL ? 'PASS' : '**MISS**'}`];
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
    const verdicts: Verdict[] = metrics.map((m) => ({ name: m.label, goal: `≤ ${GOAL}× without extension`, measured: `${fmt(stats[m.id].ratio, 3)}×`, pass: stats[m.id].ratio <= GOAL }));
    const notes: string[] = [];
    const missed = verdicts.filter((v) => !v.pass);
    if (missed.length) {
      const d = stats.load.with.median - stats.load.without.median;
      notes.push(
        `Missed for ${missed.map((v) => v.name).join(', ')}: ${d >= 0 ? '+' : ''}${fmt(d)} ms on the median load. Compare with the spreads: when the interquartile ranges overlap widely, the gap is within this machine's noise; re-run the section (\`npx tsx bench/run.ts pageload\`) before acting on it.`,
      );
    }
    return {
      method: [
        'Two Debian Chromium headless browsers, same flags and host rules (the demo server, `startDevServer()`), one with the built extension (`--load-extension=.output/chrome-mv3`), one without any extension.',
        `Each sample opens a fresh tab, navigates it to the operator bar over CDP (Page domain only, Runtime not enabled), reads \`performance.getEntriesByType('navigation')[0]\` once \`loadEventEnd\` is set, and closes the tab. ${warmup} warm-up loads per browser are discarded, then ${n} loads each, alternating browsers and which goes first.`,
        'Each sample also checks that console.error is hooked with the extension and native without it.',
        `Then, for the breakdown only, ${diagnosticLoads} loads with a copy of the build whose content scripts call \`performance.mark()\` first and last (marks are shared by the page's worlds).`,
      ],
      tables: [table, diagTable],
      verdicts,
      notes,
      data: { url: URLS.bar, n, warmup, samples, stats, diagnostic },
    };
  },
};
