/**
 * Bounded per-frame event buffer: capped in count per kind, in total bytes, in rate per kind per
 * second, and in age. What is refused is counted, never silently lost: the counts go into the
 * report so support knows the timeline is partial.
 */
export interface BufferLimits {
  /** Total serialized bytes kept for the frame. */
  maxBytes: number;
  /** Events kept per kind. */
  maxPerKind: number;
  /** Events accepted per kind per second; the rest are counted as rate-limited. */
  maxRatePerKind: number;
  /** Age after which events are dropped (ms). */
  maxAgeMs: number;
}

/** Events accepted per kind per second (the page hook applies it too, before serializing). */
export const MAX_RATE_PER_KIND = 50;

export const DEFAULT_BUFFER_LIMITS: BufferLimits = {
  maxBytes: 1_000_000,
  maxPerKind: 500,
  maxRatePerKind: MAX_RATE_PER_KIND,
  maxAgeMs: 10 * 60 * 1000,
};

interface Entry<T> {
  t: number;
  kind: string;
  size: number;
  value: T;
}

export interface BufferStats {
  kept: number;
  bytes: number;
  /** Dropped to keep within count, bytes or age. */
  evicted: number;
  /** Refused by the per-kind rate limit. */
  rateLimited: number;
}

export class EventBuffer<T> {
  /** One FIFO per kind (kinds are few), so every bound is O(kinds) per push. */
  private queues = new Map<string, Entry<T>[]>();
  private bytes = 0;
  private rate = new Map<string, { second: number; n: number }>();
  private evicted = 0;
  private rateLimited = 0;

  constructor(
    private readonly limits: BufferLimits = DEFAULT_BUFFER_LIMITS,
    private readonly sizeOf: (v: T) => number = (v) => JSON.stringify(v).length,
  ) {}

  /** Adds an event; returns false when it was refused (rate limit or larger than the whole budget). */
  push(kind: string, t: number, value: T): boolean {
    return this.admit(kind, t) && this.store(kind, t, value);
  }

  /**
   * The rate check alone: true when an event of this kind at time t may be stored (then store it),
   * false when it is refused (counted as rate-limited). Lets a caller skip preparing the value
   * (scrubbing, sizing) of an event the rate limit refuses anyway.
   */
  admit(kind: string, t: number): boolean {
    const second = Math.floor(t / 1000);
    const r = this.rate.get(kind);
    if (r && r.second === second) {
      if (r.n >= this.limits.maxRatePerKind) {
        this.rateLimited++;
        return false;
      }
      r.n++;
    } else this.rate.set(kind, { second, n: 1 });
    return true;
  }

  /** Stores an admitted event; returns false when it is larger than the whole budget. */
  store(kind: string, t: number, value: T): boolean {
    const size = this.sizeOf(value);
    if (size > this.limits.maxBytes) {
      this.evicted++;
      return false;
    }
    let q = this.queues.get(kind);
    if (!q) this.queues.set(kind, (q = []));
    q.push({ t, kind, size, value });
    this.bytes += size;
    if (q.length > this.limits.maxPerKind) this.drop(q);
    this.trim(t);
    return true;
  }

  private drop(q: Entry<T>[]): void {
    const e = q.shift();
    if (!e) return;
    this.bytes -= e.size;
    this.evicted++;
  }

  private oldestQueue(): Entry<T>[] | undefined {
    let best: Entry<T>[] | undefined;
    for (const q of this.queues.values()) if (q.length && (!best || q[0]!.t < best[0]!.t)) best = q;
    return best;
  }

  private trim(now: number): void {
    for (const q of this.queues.values()) while (q.length && now - q[0]!.t > this.limits.maxAgeMs) this.drop(q);
    while (this.bytes > this.limits.maxBytes) {
      const q = this.oldestQueue();
      if (!q) break;
      this.drop(q);
    }
  }

  /** Events still within the age limit, oldest first. */
  snapshot(now: number = Date.now()): { t: number; kind: string; value: T }[] {
    this.trim(now);
    return [...this.queues.values()]
      .flat()
      .sort((a, b) => a.t - b.t)
      .map(({ t, kind, value }) => ({ t, kind, value }));
  }

  stats(): BufferStats {
    let kept = 0;
    for (const q of this.queues.values()) kept += q.length;
    return { kept, bytes: this.bytes, evicted: this.evicted, rateLimited: this.rateLimited };
  }
}
