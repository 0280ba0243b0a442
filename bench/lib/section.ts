/** What a benchmark section module exports (bench/sections/*.ts). */
import type { SectionResult } from './results';

export interface SectionContext {
  /** Progress line on stderr. */
  log(msg: string): void;
  /** --quick: few samples, to check the harness itself; figures are not meaningful. */
  quick: boolean;
}

/** The body of a result; bench/run.ts adds the id, title, date, duration and machine. */
export type SectionOutput = Pick<SectionResult, 'method' | 'tables' | 'verdicts' | 'notes' | 'data'>;

export interface Section {
  id: string;
  title: string;
  run(ctx: SectionContext): Promise<SectionOutput>;
}
