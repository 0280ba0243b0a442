import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * Clock offset of the workstation against a server, from an HTTP `Date` header (so that support can
 * put the report's local timestamps on the server's clock).
 *
 *   offset = serverTime − (sent + rtt / 2)        (positive: the local clock is behind)
 *
 * The `Date` header has a resolution of one second and is truncated: the server's clock read
 * somewhere in [Date, Date + 1 s). The estimate takes the middle of that second (Date + 500 ms), so
 * the true offset lies within ±(500 ms + rtt / 2) of it; `minOffsetMs`/`maxOffsetMs` give the exact
 * bounds and `uncertaintyMs` their half-width.
 */

/** Offsets beyond this are flagged (the report's timestamps should then be read with care). */
export const SKEW_FLAG_MS = 2000;
/** The Date header's resolution. */
export const DATE_RESOLUTION_MS = 1000;

export const SkewResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** Best estimate, ms; positive when the local clock is behind the server's. */
    offsetMs: z.number(),
    /** Half-width of [minOffsetMs, maxOffsetMs]: 500 ms (Date's 1 s resolution) + rtt/2. */
    uncertaintyMs: z.number().nonnegative(),
    minOffsetMs: z.number(),
    maxOffsetMs: z.number(),
    rttMs: z.number().nonnegative(),
    /** The server's Date header, as ISO 8601 UTC. */
    serverDate: z.string().max(40),
    /** Local clock when the request was sent, ISO 8601 UTC. */
    sentAt: z.string().max(40),
    resolutionMs: z.literal(DATE_RESOLUTION_MS),
    /** |offsetMs| > 2 s. */
    flagged: z.boolean(),
    /** The whole interval lies beyond ±2 s (flagged whatever the Date rounding). */
    certain: z.boolean(),
    thresholdMs: z.number(),
  }),
  z.object({
    ok: z.literal(false),
    reason: z.enum(['no-date-header', 'invalid-date', 'invalid-timing', 'network-error']),
    detail: z.string().max(300).optional(),
  }),
]);
export type SkewResult = z.infer<typeof SkewResultSchema>;

export interface SkewInput {
  /** Value of the response's Date header (RFC 7231 IMF-fixdate; luxon also takes RFC 850 / asctime). */
  dateHeader: string | null | undefined;
  /** Local epoch ms just before the request was sent. */
  sentAt: number;
  /** Local epoch ms when the response headers arrived. */
  receivedAt: number;
}

/** Pure estimate from one request. */
export function estimateSkew(inp: SkewInput): SkewResult {
  if (!inp.dateHeader) return { ok: false, reason: 'no-date-header' };
  const server = DateTime.fromHTTP(inp.dateHeader.trim(), { zone: 'utc' });
  if (!server.isValid) return { ok: false, reason: 'invalid-date', detail: inp.dateHeader.slice(0, 300) };
  const { sentAt, receivedAt } = inp;
  if (!Number.isFinite(sentAt) || !Number.isFinite(receivedAt) || receivedAt < sentAt) {
    return { ok: false, reason: 'invalid-timing', detail: `sent ${sentAt}, received ${receivedAt}` };
  }
  const rtt = receivedAt - sentAt;
  const dateMs = server.toMillis();
  const serverMid = dateMs + DATE_RESOLUTION_MS / 2;
  const offsetMs = Math.round(serverMid - (sentAt + rtt / 2));
  // Server clock in [dateMs, dateMs + 1000) was read at a local time in [sentAt, receivedAt].
  const minOffsetMs = Math.round(dateMs - receivedAt);
  const maxOffsetMs = Math.round(dateMs + DATE_RESOLUTION_MS - sentAt);
  const uncertaintyMs = Math.round(DATE_RESOLUTION_MS / 2 + rtt / 2);
  return {
    ok: true,
    offsetMs,
    uncertaintyMs,
    minOffsetMs,
    maxOffsetMs,
    rttMs: rtt,
    serverDate: server.toUTC().toISO({ suppressMilliseconds: true }) ?? '',
    sentAt: DateTime.fromMillis(sentAt, { zone: 'utc' }).toISO() ?? '',
    resolutionMs: DATE_RESOLUTION_MS,
    flagged: Math.abs(offsetMs) > SKEW_FLAG_MS,
    certain: minOffsetMs > SKEW_FLAG_MS || maxOffsetMs < -SKEW_FLAG_MS,
    thresholdMs: SKEW_FLAG_MS,
  };
}

export type SkewFetch = (url: string, init: RequestInit) => Promise<{ headers: { get(name: string): string | null } }>;

/**
 * One HEAD request to `url`, timed with `now` (epoch ms, e.g. Date.now). The Date header must be
 * readable: same origin, host permission, or a server exposing it; a no-cors answer has none.
 * Never throws.
 */
export async function measureSkew(url: string, fetchImpl: SkewFetch, now: () => number = Date.now): Promise<SkewResult> {
  const sentAt = now();
  let dateHeader: string | null;
  try {
    const res = await fetchImpl(url, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
    dateHeader = res.headers.get('date');
  } catch (e) {
    return { ok: false, reason: 'network-error', detail: (e instanceof Error ? e.message : String(e)).slice(0, 300) };
  }
  return estimateSkew({ dateHeader, sentAt, receivedAt: now() });
}
