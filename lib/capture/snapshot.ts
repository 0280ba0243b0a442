import { z } from 'zod';
import type { Environment } from './env';
import type { CapturedEvent } from './events';
import type { SurfaceFields } from '../surfaces/fields';
import type { Surface } from '../surfaces/rules';

export const FrameStatsSchema = z.object({
  kept: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Dropped to keep within count, bytes or age. */
  evicted: z.number().int().nonnegative(),
  /** Refused by the per-kind rate limit. */
  rateLimited: z.number().int().nonnegative(),
  /** Forged or malformed events the bridge refused. */
  invalid: z.number().int().nonnegative(),
  /** Events the page hook itself could not queue (page flooding faster than it batches). */
  droppedInPage: z.number().int().nonnegative(),
  /** Successful, fast requests (counted, not kept). */
  okRequests: z.number().int().nonnegative(),
});
export type FrameStats = z.infer<typeof FrameStatsSchema>;

/** One document's life in a frame: from its load to its unload (a reload starts a new life). */
export interface LifeInfo {
  /** Random id the bridge draws when the document starts. */
  life: string;
  /** When the document started loading (performance.timeOrigin), epoch ms. */
  startedAt: number;
}

/** What one frame's bridge answers to a snapshot request. */
export interface FrameSnapshot extends LifeInfo {
  url: string;
  topOrigin: string | null;
  surface: Surface;
  /** What the surface's DOM shows support needs (agent, status, call…), read at snapshot time. */
  fields: SurfaceFields;
  events: CapturedEvent[];
  stats: FrameStats;
  /** The workstation's environment, from the frame asked for it (the top frame). */
  env?: Environment;
}

/** A past (or unanswering) document's events, as the background kept them. */
export interface ArchivedLife extends LifeInfo {
  frameId: number;
  url: string;
  topOrigin: string | null;
  surface: Surface;
  /** When the document went away (pagehide); null while it is (or was last seen) alive. */
  endedAt: number | null;
  events: CapturedEvent[];
  stats: FrameStats;
}

export type TimelineEvent = CapturedEvent & { frameId: number; surface: Surface; life: string };

export interface TabSnapshot {
  takenAt: number;
  /** Every document whose events are in the timeline: the live ones first, then earlier ones. */
  frames: (Omit<FrameSnapshot, 'events' | 'env'> & { frameId: number; endedAt: number | null; live: boolean })[];
  /** Every frame's events in one timeline, sorted by time, each tagged with its frame, surface and document. */
  timeline: TimelineEvent[];
  /** Frames that were registered but did not answer (closed, navigated away, hung). */
  unreachable: number[];
  env: Environment | null;
}

/**
 * Merges the frames' answers, and the documents they replaced (reloads, navigations) or that did
 * not answer, into one timeline (stable for equal times: frame order). A live answer supersedes
 * the background's copy of the same document.
 */
export function mergeSnapshots(
  answers: readonly { frameId: number; snap: FrameSnapshot | null }[],
  takenAt: number,
  archived: readonly ArchivedLife[] = [],
): TabSnapshot {
  const frames: TabSnapshot['frames'] = [];
  const timeline: TimelineEvent[] = [];
  const unreachable: number[] = [];
  const live = new Set<string>();
  let env: Environment | null = null;
  for (const { frameId, snap } of answers) {
    if (!snap) {
      unreachable.push(frameId);
      continue;
    }
    const { events, env: frameEnv, ...rest } = snap;
    if (frameEnv && !env) env = frameEnv;
    live.add(snap.life);
    frames.push({ ...rest, frameId, endedAt: null, live: true });
    for (const e of events) timeline.push({ ...e, frameId, surface: snap.surface, life: snap.life });
  }
  for (const a of archived) {
    if (live.has(a.life)) continue;
    const { events, ...rest } = a;
    frames.push({ ...rest, fields: { surface: 'other' }, live: false });
    for (const e of events) timeline.push({ ...e, frameId: a.frameId, surface: a.surface, life: a.life });
  }
  timeline.sort((a, b) => a.t - b.t);
  return { takenAt, frames, timeline, unreachable, env };
}
