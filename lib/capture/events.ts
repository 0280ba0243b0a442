import { z } from 'zod';
import type { Json } from './serialize';

/** Deepest JSON value accepted inside an event (the batch scan refuses deeper batches first). */
const MAX_JSON_DEPTH = 32;

/**
 * A JSON value within bounds: null, boolean, finite number, string (≤ 20 000 chars), array (≤ 50
 * items) or plain object (keys ≤ 200 chars) of such values. Checked by one walk: the equivalent
 * recursive union of zod schemas costs ~10× more per event (it tries each member in turn).
 */
export function isBoundedJson(v: unknown, depth = 0): boolean {
  if (v === null) return true;
  switch (typeof v) {
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'string':
      return v.length <= 20_000;
    case 'object': {
      if (depth >= MAX_JSON_DEPTH) return false;
      if (Array.isArray(v)) {
        if (v.length > 50) return false;
        for (let i = 0; i < v.length; i++) if (!isBoundedJson(v[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const k in v) if (k.length > 200 || !isBoundedJson((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** One captured page event, as the bridge accepts it from the hook (untrusted: the page can forge these). */
const json = z.custom<Json>((v) => isBoundedJson(v), { message: 'not a bounded JSON value' });

const ts = z.number().finite().nonnegative();

const str = (max: number) => z.string().max(max);
const int = z.number().int();
const num = z.number().finite().nullable().optional();

/**
 * Summarises getStats(): the selected candidate pair's RTT and candidate types, inbound and outbound
 * audio. The hook sends the report's entries as they are (a list of stats dictionaries, bounded by its
 * serializer); the summary is made here, on untrusted input: anything else passes through to the schema.
 */
export function summarizeStats(entries: unknown): unknown {
  if (!Array.isArray(entries)) return entries;
  const byId = new Map<unknown, Record<string, unknown>>();
  for (const e of entries) if (e && typeof e === 'object' && !Array.isArray(e)) byId.set((e as Record<string, unknown>)['id'], e as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  let pairId: unknown;
  for (const s of byId.values()) {
    const type = s['type'];
    if (type === 'transport' && s['selectedCandidatePairId']) pairId = s['selectedCandidatePairId'];
    if (type === 'inbound-rtp' && s['kind'] === 'audio')
      out['in'] = { jitter: s['jitter'], lost: s['packetsLost'], received: s['packetsReceived'], level: s['audioLevel'] };
    if (type === 'outbound-rtp' && s['kind'] === 'audio') out['out'] = { bytes: s['bytesSent'], packets: s['packetsSent'] };
  }
  if (!pairId)
    for (const s of byId.values())
      if (s['type'] === 'candidate-pair' && (s['selected'] || s['nominated']) && s['state'] === 'succeeded') {
        pairId = s['id'];
        break;
      }
  const pair = pairId === undefined ? undefined : byId.get(pairId);
  if (pair) {
    const loc = byId.get(pair['localCandidateId']);
    const rem = byId.get(pair['remoteCandidateId']);
    out['pair'] = {
      rtt: pair['currentRoundTripTime'],
      local: loc && { type: loc['candidateType'], protocol: loc['protocol'], relay: loc['relayProtocol'] },
      remote: rem && { type: rem['candidateType'], protocol: rem['protocol'] },
    };
  }
  return out;
}

const RtcStatsSchema = z.preprocess(
  summarizeStats,
  z
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
    .strip(),
);

export const HookEventSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('console'), l: z.enum(['error', 'warn', 'info', 'log']), t: ts, a: z.array(json).max(50) }),
  z.object({ k: z.literal('error'), t: ts, m: str(5000), src: str(2000), line: int, col: int, st: str(10_000) }),
  z.object({ k: z.literal('rejection'), t: ts, r: json }),
  z.object({ k: z.literal('resource'), t: ts, tag: str(20), url: str(2000) }),
  z.object({ k: z.literal('csp'), t: ts, url: str(2000), dir: str(100), src: str(2000), line: int }),
  z.object({ k: z.literal('net'), t: ts, method: str(20).transform((m) => m.toUpperCase()), url: str(2000), status: int, ms: z.number().nonnegative(), failed: z.boolean() }),
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

/**
 * The hook sends each event as an array, [kind, time, …fields], fields in this order (a shorter
 * array leaves the last fields out); the bridge makes it an object, then validates it.
 */
export const HOOK_FIELDS: Record<HookEvent['k'], readonly string[]> = {
  console: ['l', 'a'],
  error: ['m', 'src', 'line', 'col', 'st'],
  rejection: ['r'],
  resource: ['tag', 'url'],
  csp: ['url', 'dir', 'src', 'line'],
  net: ['method', 'url', 'status', 'ms', 'failed'],
  ws: ['e', 'url', 'code', 'reason', 'clean', 'rx', 'tx', 'ms'],
  rtc: ['id', 'e', 's'],
  rtcstats: ['id', 's'],
  click: ['tag', 'role', 'name', 'sel'],
  submit: ['sel', 'action'],
  nav: ['how', 'url'],
};

/** The object form of one event as the hook sends it (an array), or undefined if it is not one. */
export function hookEventObject(e: unknown): Record<string, unknown> | undefined {
  if (!Array.isArray(e)) return undefined;
  const k: unknown = e[0];
  const names = typeof k === 'string' && Object.hasOwn(HOOK_FIELDS, k) ? HOOK_FIELDS[k as HookEvent['k']] : undefined;
  if (!names || e.length > names.length + 2) return undefined;
  const o: Record<string, unknown> = { k, t: e[1] };
  for (let i = 2; i < e.length; i++) o[names[i - 2]!] = e[i];
  return o;
}

const count = z.number().int().nonnegative().max(MAX_COUNT_PER_BATCH).default(0);

/** One batch from the hook (short keys: the hook's size budget is tight). */
export const HookBatchSchema = z.object({
  v: z.literal(1),
  /** Events the hook could not queue or serialize. */
  d: count,
  /** Events the hook refused for its per-kind rate limit (the buffer's, applied before serializing). */
  r: count,
  /** Successful, fast requests since the previous batch (counted, not kept). */
  o: count,
  /** The events, each [kind, time, …fields] (HOOK_FIELDS). */
  e: z.array(z.unknown()).max(1000),
});

/** Largest batch string the bridge will even parse (a forged 10 MB event is dropped unread). */
export const MAX_BATCH_CHARS = 512 * 1024;

/**
 * Each kind's schema, the members of HookEventSchema: an event is validated against its own kind's
 * schema (zod's discriminated union would add its dispatch, about as costly as the object itself).
 */
const SCHEMA_OF_KIND = new Map<unknown, z.ZodType<HookEvent>>(HookEventSchema.options.map((o) => [o.shape.k.value, o as z.ZodType<HookEvent>]));

export interface ParsedBatch {
  events: HookEvent[];
  invalid: number;
  dropped: number;
  /** Refused by the hook's rate limit. */
  rl: number;
  ok: number;
}

/**
 * Parses one batch from the hook: one JSON.parse, the batch's envelope and each event validated
 * with zod. Malformed batches yield null; malformed events inside a valid batch are dropped one by
 * one and counted.
 */
export function parseBatch(detail: unknown): ParsedBatch | null {
  if (typeof detail !== 'string' || detail.length > MAX_BATCH_CHARS || jsonDepthExceeds(detail, MAX_BATCH_DEPTH)) return null;
  try {
    const batch = HookBatchSchema.safeParse(JSON.parse(detail));
    if (!batch.success) return null;
    const events: HookEvent[] = [];
    let invalid = 0;
    for (const raw of batch.data.e) {
      const e = hookEventObject(raw);
      const r = e && SCHEMA_OF_KIND.get(e['k'])?.safeParse(e);
      if (r?.success) events.push(r.data);
      else invalid++;
    }
    return { events, invalid, dropped: batch.data.d, rl: batch.data.r, ok: batch.data.o };
  } catch {
    return null; // malformed beyond what the schema expects: the whole batch is refused
  }
}
