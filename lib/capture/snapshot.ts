import type { HookEvent } from './events';
import type { FrameCaptureStats } from './frame-capture';
import type { SurfaceFields } from '../surfaces/fields';
import type { Surface } from '../surfaces/rules';

/** What one frame's bridge answers to a snapshot request. */
export interface FrameSnapshot {
  url: string;
  topOrigin: string | null;
  surface: Surface;
  /** What the surface's DOM shows support needs (agent, status, call…), read at snapshot time. */
  fields: SurfaceFields;
  events: HookEvent[];
  stats: FrameCaptureStats;
}

export type TimelineEvent = HookEvent & { frameId: number; surface: Surface };

export interface TabSnapshot {
  takenAt: number;
  frames: (Omit<FrameSnapshot, 'events'> & { frameId: number })[];
  /** Every frame's events in one timeline, sorted by time, each tagged with its frame and surface. */
  timeline: TimelineEvent[];
  /** Frames that were registered but did not answer (closed, navigated away, hung). */
  unreachable: number[];
}

/** Merges the frames' answers into one timeline (stable for equal times: frame order). */
export function mergeSnapshots(answers: readonly { frameId: number; snap: FrameSnapshot | null }[], takenAt: number): TabSnapshot {
  const frames: TabSnapshot['frames'] = [];
  const timeline: TimelineEvent[] = [];
  const unreachable: number[] = [];
  for (const { frameId, snap } of answers) {
    if (!snap) {
      unreachable.push(frameId);
      continue;
    }
    const { events, ...rest } = snap;
    frames.push({ ...rest, frameId });
    for (const e of events) timeline.push({ ...e, frameId, surface: snap.surface });
  }
  timeline.sort((a, b) => a.t - b.t);
  return { takenAt, frames, timeline, unreachable };
}
