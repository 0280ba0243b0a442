import { z } from 'zod';
import { CapturedEventSchema, type CapturedEvent } from '../capture/events';
import { FrameStatsSchema, type ArchivedLife } from '../capture/snapshot';
import { SurfaceSchema } from '../surfaces/rules';

/**
 * The background's copy of each tab's recent documents, so that context survives a reload: the
 * bridge hands over its new events every few seconds and when its document goes away (pagehide),
 * and a snapshot after the reload still has the events from before it. Pure functions; the
 * storage.session plumbing is in history-store.ts.
 */

/** bridge → background: one document's events since its previous hand-over. */
export const FrameArchiveSchema = z.object({
  life: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  startedAt: z.number().finite().nonnegative(),
  url: z.string().max(4000),
  topOrigin: z.string().max(300).nullable(),
  surface: SurfaceSchema,
  /** The document is going away (pagehide). */
  ended: z.boolean(),
  events: z.array(CapturedEventSchema).max(10_000),
  stats: FrameStatsSchema,
});
export type FrameArchive = z.infer<typeof FrameArchiveSchema>;

export interface HistoryLimits {
  /** Serialized bytes of events kept per tab, all documents together. */
  maxBytes: number;
  maxAgeMs: number;
  /** Documents remembered per tab. */
  maxLives: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxBytes: 1_000_000, maxAgeMs: 10 * 60 * 1000, maxLives: 20 };

/** Adds a hand-over to a tab's history and applies the bounds (age, bytes, documents), oldest first. */
export function addToHistory(
  lives: readonly ArchivedLife[],
  frameId: number,
  a: FrameArchive,
  now: number,
  limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
): ArchivedLife[] {
  const next = lives.map((l) => ({ ...l }));
  let life = next.find((l) => l.life === a.life);
  if (!life) {
    life = { life: a.life, startedAt: a.startedAt, frameId, url: a.url, topOrigin: a.topOrigin, surface: a.surface, endedAt: null, events: [], stats: a.stats };
    next.push(life);
  }
  life.events = [...life.events, ...a.events];
  life.stats = a.stats;
  life.url = a.url;
  life.surface = a.surface;
  life.endedAt = a.ended ? now : null;
  return bound(next, now, limits);
}

function bound(lives: ArchivedLife[], now: number, limits: HistoryLimits): ArchivedLife[] {
  const all: { t: number; size: number; life: ArchivedLife; e: CapturedEvent }[] = [];
  for (const l of lives) for (const e of l.events) if (now - e.t <= limits.maxAgeMs) all.push({ t: e.t, size: JSON.stringify(e).length, life: l, e });
  all.sort((x, y) => x.t - y.t);
  let bytes = all.reduce((n, x) => n + x.size, 0);
  let first = 0;
  while (bytes > limits.maxBytes && first < all.length) bytes -= all[first++]!.size;
  const keep = new Set(all.slice(first).map((x) => x.e));
  return lives
    .map((l) => ({ ...l, events: l.events.filter((e) => keep.has(e)) }))
    .filter((l) => l.events.length > 0)
    .slice(-limits.maxLives);
}
