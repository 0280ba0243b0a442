import { z } from 'zod';

/** One captured page event, as the bridge accepts it from the hook (untrusted: the page can forge these). */
const json: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string().max(20_000), z.array(json).max(50), z.record(z.string().max(200), json)]),
);

const ts = z.number().finite().nonnegative();

export const HookEventSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('console'), l: z.enum(['error', 'warn', 'info', 'log']), t: ts, a: z.array(json).max(50) }),
  z.object({
    k: z.literal('error'),
    t: ts,
    m: z.string().max(5000),
    src: z.string().max(2000),
    line: z.number().int(),
    col: z.number().int(),
    st: z.string().max(10_000),
  }),
  z.object({ k: z.literal('rejection'), t: ts, r: json }),
]);
export type HookEvent = z.infer<typeof HookEventSchema>;

export const HookBatchSchema = z.object({
  v: z.literal(1),
  dropped: z.number().int().nonnegative().default(0),
  events: z.array(z.unknown()).max(1000),
});

/** Largest batch string the bridge will even parse (a forged 10 MB event is dropped unread). */
export const MAX_BATCH_CHARS = 512 * 1024;

/**
 * Parses one batch from the hook. Malformed batches yield null; malformed events inside a
 * valid batch are dropped one by one and counted.
 */
export function parseBatch(detail: unknown): { events: HookEvent[]; invalid: number; dropped: number } | null {
  if (typeof detail !== 'string' || detail.length > MAX_BATCH_CHARS) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(detail);
  } catch {
    return null;
  }
  const batch = HookBatchSchema.safeParse(raw);
  if (!batch.success) return null;
  const events: HookEvent[] = [];
  let invalid = 0;
  for (const e of batch.data.events) {
    const r = HookEventSchema.safeParse(e);
    if (r.success) events.push(r.data);
    else invalid++;
  }
  return { events, invalid, dropped: batch.data.dropped };
}
