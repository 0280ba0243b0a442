import { z } from 'zod';
import { SurfaceSchema } from '../surfaces/rules';

/**
 * Which frames of which tabs have Témoin's page scripts running. Each bridge says hello when its
 * page hook has answered the handshake; the background keeps the list in storage.session, so
 * it survives the service worker being stopped. Lets the background address every frame of a
 * tab without the webNavigation permission.
 */
export const FrameInfoSchema = z.object({
  frameId: z.number().int().nonnegative(),
  url: z.string().max(4000),
  /** Origin of the top document, when the bridge could tell (ancestorOrigins in Chromium). */
  topOrigin: z.string().max(300).nullable(),
  surface: SurfaceSchema,
  hook: z.boolean(),
  seenAt: z.number(),
});
export type FrameInfo = z.infer<typeof FrameInfoSchema>;

export const TabFramesSchema = z.record(z.string(), z.array(FrameInfoSchema));
export type TabFrames = z.infer<typeof TabFramesSchema>;

/** Pure update: record a frame's hello; a new top-frame document drops the tab's other frames. */
export function withFrame(all: TabFrames, tabId: number, frame: FrameInfo): TabFrames {
  const key = String(tabId);
  let frames = all[key] ?? [];
  if (frame.frameId === 0) frames = frames.filter((f) => f.frameId !== 0 && f.seenAt >= frame.seenAt - 1_000);
  else frames = frames.filter((f) => f.frameId !== frame.frameId);
  return { ...all, [key]: [...frames, frame].sort((a, b) => a.frameId - b.frameId) };
}

export function withoutTab(all: TabFrames, tabId: number): TabFrames {
  const { [String(tabId)]: _gone, ...rest } = all;
  return rest;
}
