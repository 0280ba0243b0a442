/** Order statistics for benchmark samples. */

export interface Summary {
  n: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

/** Quantile of sorted values with linear interpolation (q in [0, 1]). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    p25: quantile(s, 0.25),
    p75: quantile(s, 0.75),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
  };
}

export const median = (values: readonly number[]): number => summarize(values).median;

/** Element-wise a[i] - b[i] (paired samples taken in the same round). */
export function pairedDiff(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  return Array.from({ length: n }, (_, i) => a[i]! - b[i]!);
}

/** Fixed-precision number for tables: `fmt(12.345, 1)` → "12.3". */
export function fmt(v: number, digits = 1): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/** With an explicit sign: "+1.2", "-0.4". */
export function signed(v: number, digits = 1): string {
  return (v > 0 ? '+' : '') + fmt(v, digits);
}

/** "median (p25–p75)". */
export function fmtSummary(s: Summary, digits = 1, sign = false): string {
  const f = (v: number) => (sign ? signed(v, digits) : fmt(v, digits));
  return `${f(s.median)} (${f(s.p25)} – ${f(s.p75)})`;
}

/** Shuffles a copy (Fisher–Yates); used to vary the order of variants between rounds. */
export function shuffled<T>(items: readonly T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * Bootstrap interval (p5 – p95 by default) of median(a) / median(b), resampling each sample set
 * independently: how far the ratio of medians could move with other draws of the same noise.
 */
export function bootstrapRatioOfMedians(a: readonly number[], b: readonly number[], iterations = 2000, lo = 0.05, hi = 0.95): { lo: number; hi: number } {
  const draw = (xs: readonly number[]) => median(Array.from({ length: xs.length }, () => xs[Math.floor(Math.random() * xs.length)]!));
  const ratios = Array.from({ length: iterations }, () => draw(a) / draw(b)).sort((x, y) => x - y);
  return { lo: quantile(ratios, lo), hi: quantile(ratios, hi) };
}
