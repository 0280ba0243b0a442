import type { FrameInfo } from '../frames/registry';
import type { Surface } from './rules';

export interface TabSurface {
  surface: Surface;
  /** Host of the page that embeds the surface (e.g. a CRM), when the surface is in an iframe. */
  embeddedIn: string | null;
}

/** The surface of a tab: its top frame's when that is an Axialys surface, else the first embedded one. */
export function tabSurface(frames: readonly FrameInfo[]): TabSurface {
  const top = frames.find((f) => f.frameId === 0 && f.surface !== 'other');
  if (top) return { surface: top.surface, embeddedIn: null };
  const inner = frames.find((f) => f.surface !== 'other');
  if (!inner) return { surface: 'other', embeddedIn: null };
  let host: string | null = null;
  try {
    host = inner.topOrigin ? new URL(inner.topOrigin).host : null;
  } catch {
    host = null;
  }
  return { surface: inner.surface, embeddedIn: host };
}
