import { EventBuffer, DEFAULT_BUFFER_LIMITS, type BufferLimits } from './buffer';
import type { CapturedEvent, HookEvent, PageEvent } from './events';
import { scrubDeep, type ScrubOptions } from './scrub';
import type { FrameStats } from './snapshot';

export interface FrameCaptureOptions extends ScrubOptions {
  /** Keep console.info / console.log (off by default; the hook may send them anyway). */
  verbose?: boolean;
}

/** Lower caps for the chatty levels (console.info / console.log, when enabled). */
const VERBOSE_KIND = 'console-verbose';

/** Events held while waiting for the settings; as many as the hook can send while the page loads. */
const MAX_PENDING = 5000;
/** How far ahead of the bridge's clock an event's time may be (same machine: none, really). */
const MAX_CLOCK_AHEAD_MS = 60_000;

const isVerbose = (e: CapturedEvent) => e.k === 'console' && (e.l === 'info' || e.l === 'log');

interface Stored {
  /** Sequence number, for handing the background only what it has not seen yet. */
  s: number;
  e: CapturedEvent;
}

/** What one frame's bridge keeps: scrubbed, validated events in a bounded buffer, plus counters. */
export class FrameCapture {
  private buffer: EventBuffer<Stored>;
  private verbose: EventBuffer<Stored>;
  private invalid = 0;
  private droppedInPage = 0;
  private okRequests = 0;
  /** Refused by the hook's own rate limit (the buffer's, applied in the page before serializing). */
  private rateLimitedInPage = 0;
  private seq = 0;
  private drained = 0;
  private opts: FrameCaptureOptions = {};
  /**
   * Events that arrived before the settings did: they wait, unscrubbed, so that the masking and
   * console.log settings apply to them too. Bounded; null once configured.
   */
  private pending: CapturedEvent[] | null = [];

  constructor(limits: BufferLimits = DEFAULT_BUFFER_LIMITS, opts?: FrameCaptureOptions) {
    const size = (v: Stored) => JSON.stringify(v.e).length;
    this.buffer = new EventBuffer<Stored>({ ...limits, maxBytes: Math.floor(limits.maxBytes * 0.8) }, size);
    this.verbose = new EventBuffer<Stored>(
      { ...limits, maxBytes: Math.floor(limits.maxBytes * 0.2), maxPerKind: Math.floor(limits.maxPerKind / 5), maxRatePerKind: Math.floor(limits.maxRatePerKind / 5) },
      size,
    );
    if (opts) this.configure(opts);
  }

  /** Applies the user's / policy's capture settings (and releases what waited for them). */
  configure(opts: FrameCaptureOptions): void {
    this.opts = opts;
    const waiting = this.pending ?? [];
    this.pending = null;
    for (const e of waiting) this.keep(e);
  }

  get configured(): boolean {
    return this.pending === null;
  }

  add(events: readonly HookEvent[], meta: { invalid: number; dropped: number; ok: number; rl?: number }, now: number = Date.now()): void {
    this.invalid += meta.invalid;
    this.droppedInPage += meta.dropped;
    this.okRequests += meta.ok;
    this.rateLimitedInPage += meta.rl ?? 0;
    for (const e of events) {
      // A time the hook cannot have written (forged): it would evict real events or never age out.
      if (e.t > now + MAX_CLOCK_AHEAD_MS || e.t < now - DEFAULT_BUFFER_LIMITS.maxAgeMs) this.invalid++;
      else this.keep(e);
    }
  }

  /** Records one of the bridge's own events (document start/end). */
  note(e: PageEvent): void {
    this.keep(e);
  }

  private keep(e: CapturedEvent): void {
    if (this.pending) {
      // Full: the oldest go first (the latest events are the ones closest to a report).
      if (this.pending.length >= MAX_PENDING) {
        this.pending.shift();
        this.droppedInPage++;
      }
      this.pending.push(e);
    } else if (isVerbose(e)) {
      // Scrubbed only once the rate limit has let the event in.
      if (this.opts.verbose && this.verbose.admit(VERBOSE_KIND, e.t)) this.verbose.store(VERBOSE_KIND, e.t, { s: ++this.seq, e: scrubDeep(e, this.opts) });
    } else if (this.buffer.admit(e.k, e.t)) this.buffer.store(e.k, e.t, { s: ++this.seq, e: scrubDeep(e, this.opts) });
  }

  private stored(now: number): Stored[] {
    return [...this.buffer.snapshot(now), ...this.verbose.snapshot(now)].sort((a, b) => a.t - b.t).map((x) => x.value);
  }

  events(now: number = Date.now()): CapturedEvent[] {
    return this.stored(now).map((x) => x.e);
  }

  /**
   * The events kept since the previous drain (for the background's copy of the tab's history),
   * and how to give them back when the hand-over failed.
   */
  drain(now: number = Date.now()): { events: CapturedEvent[]; rewind(): void } {
    const since = this.drained;
    this.drained = this.seq;
    const events = this.stored(now)
      .filter((x) => x.s > since)
      .map((x) => x.e);
    return {
      events,
      rewind: () => {
        this.drained = Math.min(this.drained, since);
      },
    };
  }

  stats(): FrameStats {
    const a = this.buffer.stats();
    const b = this.verbose.stats();
    return {
      kept: a.kept + b.kept,
      bytes: a.bytes + b.bytes,
      evicted: a.evicted + b.evicted,
      rateLimited: a.rateLimited + b.rateLimited + this.rateLimitedInPage,
      invalid: this.invalid,
      droppedInPage: this.droppedInPage,
      okRequests: this.okRequests,
    };
  }
}
