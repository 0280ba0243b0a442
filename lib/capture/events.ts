import { z } from 'zod';

/** One captured page event, as the bridge accepts it from the hook (untrusted: the page can forge these). */
const json: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string().max(20_000), z.array(json).max(50), z.record(z.string().max(200), json)]),
);

const ts = z.number().finite().nonnegative();

const str = (max: number) => z.string().max(max);
const int = z.number().int();
const num = z.number().finite().nullable().optional();

const RtcStatsSchema = z
  .object({
    pair: z
      .object({
        rtt: num,
        local: z.object({ type: str(20).optional(), protocol: str(10).optional(), relay: str(10).optional() }).optional(),
        remote: z.object({ type: str(20).optional(), protocol: str(10).optional() }).optional(),
      })
      .optional(),
    in: z.object({ jitter: num, lost: num, received: num, level: num }).optional(),
    out: z.object({ bytes: num, packets: num }).optional(),
  })
  .strip();

export const HookEventSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('console'), l: z.enum(['error', 'warn', 'info', 'log']), t: ts, a: z.array(json).max(50) }),
  z.object({ k: z.literal('error'), t: ts, m: str(5000), src: str(2000), line: int, col: int, st: str(10_000) }),
  z.object({ k: z.literal('rejection'), t: ts, r: json }),
  z.object({ k: z.literal('resource'), t: ts, tag: str(20), url: str(2000) }),
  z.object({ k: z.literal('csp'), t: ts, url: str(2000), dir: str(100), src: str(2000), line: int }),
  z.object({ k: z.literal('net'), t: ts, method: str(20), url: str(2000), status: int, ms: z.number().nonnegative(), failed: z.boolean() }),
  z.object({
    k: z.literal('ws'),
    t: ts,
    e: z.enum(['open', 'error', 'close']),
    url: str(2000),
    code: int.optional(),
    reason: str(300).optional(),
    clean: z.boolean().optional(),
    rx: int.optional(),
    tx: int.optional(),
    ms: z.number().optional(),
  }),
  z.object({ k: z.literal('rtc'), t: ts, id: int, e: z.enum(['new', 'connection', 'ice']), s: str(30) }),
  z.object({ k: z.literal('rtcstats'), t: ts, id: int, s: RtcStatsSchema }),
  z.object({ k: z.literal('click'), t: ts, tag: str(30), role: str(50), name: str(100), sel: str(200) }),
  z.object({ k: z.literal('submit'), t: ts, sel: str(200), action: str(600) }),
  z.object({ k: z.literal('nav'), t: ts, how: str(30), url: str(2000) }),
]);
export type HookEvent = z.infer<typeof HookEventSchema>;

/**
 * Events the bridge itself records (never accepted from the page): the start and end of the
 * frame's document, so a timeline that spans a reload shows where the reload happened.
 */
export const PageEventSchema = z.object({
  k: z.literal('page'),
  t: ts,
  e: z.enum(['start', 'end']),
  /** start: the navigation type (navigate, reload, back_forward, prerender); end: why (pagehide, bfcache). */
  how: str(30),
  url: str(2000),
});
export type PageEvent = z.infer<typeof PageEventSchema>;

/** Everything a frame's timeline can hold. */
export const CapturedEventSchema = z.union([HookEventSchema, PageEventSchema]);
export type CapturedEvent = HookEvent | PageEvent;

/** A batch cannot honestly report more than this many dropped or successful events (a forged one may). */
const MAX_COUNT_PER_BATCH = 1_000_000;
/** Deeper JSON is refused before zod sees it (its recursive schema would overflow the stack). */
export const MAX_BATCH_DEPTH = 24;

/** Cheap scan of a JSON text's nesting (brackets outside strings). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123 /* [ { */) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

export const HookBatchSchema = z.object({
  v: z.literal(1),
  dropped: z.number().int().nonnegative().max(MAX_COUNT_PER_BATCH).default(0),
  /** Successful, fast requests since the previous batch (counted, not kept). */
  ok: z.number().int().nonnegative().max(MAX_COUNT_PER_BATCH).default(0),
  events: z.array(z.unknown()).max(1000),
});

/** Largest batch string the bridge will even parse (a forged 10 MB event is dropped unread). */
export const MAX_BATCH_CHARS = 512 * 1024;

/**
 * Parses one batch from the hook. Malformed batches yield null; malformed events inside a
 * valid batch are dropped one by one and counted.
 */
export function parseBatch(detail: unknown): { events: HookEvent[]; invalid: number; dropped: number; ok: number } | null {
  if (typeof detail !== 'string' || detail.length > MAX_BATCH_CHARS || jsonDepthExceeds(detail, MAX_BATCH_DEPTH)) return null;
  try {
    const batch = HookBatchSchema.safeParse(JSON.parse(detail));
    if (!batch.success) return null;
    const events: HookEvent[] = [];
    let invalid = 0;
    for (const e of batch.data.events) {
      const r = HookEventSchema.safeParse(e);
      if (r.success) events.push(r.data);
      else invalid++;
    }
    return { events, invalid, dropped: batch.data.dropped, ok: batch.data.ok };
  } catch {
    return null; // malformed beyond what the schema expects: the whole batch is refused
  }
}
