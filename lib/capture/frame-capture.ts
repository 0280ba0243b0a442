import { EventBuffer, DEFAULT_BUFFER_LIMITS, type BufferLimits } from './buffer';
import type { HookEvent } from './events';
import { scrubDeep } from './scrub';

export interface FrameCaptureStats {
  kept: number;
  bytes: number;
  evicted: number;
  rateLimited: number;
  /** Forged or malformed events the bridge refused. */
  invalid: number;
  /** Events the page hook itself could not queue (page flooding faster than it batches). */
  droppedInPage: number;
  /** Successful, fast requests (counted, not kept). */
  okRequests: number;
}

/** Lower caps for the chatty levels (console.info / console.log, when enabled). */
const VERBOSE_KIND = 'console-verbose';

function kindOf(e: HookEvent): string {
  return e.k === 'console' && (e.l === 'info' || e.l === 'log') ? VERBOSE_KIND : e.k;
}

/** What one frame's bridge keeps: scrubbed, validated events in a bounded buffer, plus counters. */
export class FrameCapture {
  private buffer: EventBuffer<HookEvent>;
  private verbose: EventBuffer<HookEvent>;
  private invalid = 0;
  private droppedInPage = 0;
  private okRequests = 0;

  constructor(limits: BufferLimits = DEFAULT_BUFFER_LIMITS) {
    this.buffer = new EventBuffer<HookEvent>({ ...limits, maxBytes: Math.floor(limits.maxBytes * 0.8) });
    this.verbose = new EventBuffer<HookEvent>({ ...limits, maxBytes: Math.floor(limits.maxBytes * 0.2), maxPerKind: Math.floor(limits.maxPerKind / 5), maxRatePerKind: Math.floor(limits.maxRatePerKind / 5) });
  }

  add(events: readonly HookEvent[], meta: { invalid: number; dropped: number; ok: number }): void {
    this.invalid += meta.invalid;
    this.droppedInPage += meta.dropped;
    this.okRequests += meta.ok;
    for (const e of events) {
      const kind = kindOf(e);
      (kind === VERBOSE_KIND ? this.verbose : this.buffer).push(kind, e.t, scrubDeep(e));
    }
  }

  events(now: number = Date.now()): HookEvent[] {
    return [...this.buffer.snapshot(now), ...this.verbose.snapshot(now)].sort((a, b) => a.t - b.t).map((e) => e.value);
  }

  stats(): FrameCaptureStats {
    const a = this.buffer.stats();
    const b = this.verbose.stats();
    return {
      kept: a.kept + b.kept,
      bytes: a.bytes + b.bytes,
      evicted: a.evicted + b.evicted,
      rateLimited: a.rateLimited + b.rateLimited,
      invalid: this.invalid,
      droppedInPage: this.droppedInPage,
      okRequests: this.okRequests,
    };
  }
}
