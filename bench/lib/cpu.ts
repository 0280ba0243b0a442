/**
 * CPU time of a renderer's main thread, from Linux's /proc/<pid>/task/<pid>/schedstat (first
 * field: nanoseconds on CPU). Unlike wall-clock time it does not grow when other jobs on the
 * machine preempt the renderer, so it stays meaningful on a loaded, shared machine.
 */
import fs from 'node:fs';
import type { BenchBrowser } from './browser';

/** Nanoseconds the process's main thread (tid = pid; in a renderer, the page's main thread) has run. */
export function mainThreadCpuNs(pid: number): number {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8');
  return Number(text.split(' ')[0]);
}

/**
 * The main thread's CPU time once it has gone quiet: read every 20 ms, at least minMs after the
 * call, until it grows by less than 0.2 ms between two reads (or maxMs has passed). Work a page
 * defers (a batch in a later task, a short timer, an idle callback) is then included; idle time
 * costs no CPU, so the wait adds nothing to the figure.
 */
export async function settledCpuNs(pid: number, minMs = 30, maxMs = 100): Promise<number> {
  const start = Date.now();
  let last = mainThreadCpuNs(pid);
  for (;;) {
    await new Promise((r) => setTimeout(r, 20));
    const now = mainThreadCpuNs(pid);
    const quiet = now - last < 0.2e6;
    last = now;
    const elapsed = Date.now() - start;
    if ((quiet && elapsed >= minMs) || elapsed >= maxMs) return now;
  }
}

export const cpuTimeAvailable = (): boolean => fs.existsSync(`/proc/${process.pid}/task/${process.pid}/schedstat`);

/**
 * Finds the renderer process of a tab: `spin` makes the tab's page run a fixed amount of work
 * (CPU time, whatever the machine's load); the renderer whose main thread ran clearly the most
 * meanwhile is the tab's. (Chromium's process list does not say which tab a renderer serves, and
 * a tab may take a spare renderer started earlier.) Tries again when the answer is not clear.
 */
export async function rendererOf(browser: BenchBrowser, spin: () => Promise<unknown>): Promise<number> {
  const pids = async () =>
    ((await browser.cdp.send<{ processInfo: { type: string; id: number }[] }>('SystemInfo.getProcessInfo')).processInfo)
      .filter((p) => p.type === 'renderer')
      .map((p) => p.id);
  const read = (ps: number[]) => new Map(ps.map((p) => [p, safeCpu(p)]));
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = read(await pids());
    await spin();
    const after = read(await pids());
    const deltas = [...after]
      .map(([pid, ns]) => ({ pid, d: ns - (before.get(pid) ?? ns) }))
      .filter((x) => Number.isFinite(x.d))
      .sort((a, b) => b.d - a.d);
    const [first, second] = deltas;
    if (first && first.d >= 100e6 && first.d >= 2 * (second?.d ?? 0)) return first.pid;
  }
  throw new Error('could not tell which renderer runs the tab');
}

function safeCpu(pid: number): number {
  try {
    return mainThreadCpuNs(pid);
  } catch {
    return NaN;
  }
}
