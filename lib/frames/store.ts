import { storage } from '#imports';
import { TabFramesSchema, withFrame, withoutTab, type FrameInfo, type TabFrames } from './registry';

const framesItem = storage.defineItem<unknown>('session:frames', { fallback: {} });

// Serialise read-modify-write: parallel hellos from several frames would otherwise lose entries.
let queue: Promise<unknown> = Promise.resolve();
function update(fn: (all: TabFrames) => TabFrames): Promise<void> {
  const next = queue.then(async () => {
    const parsed = TabFramesSchema.safeParse(await framesItem.getValue());
    await framesItem.setValue(fn(parsed.success ? parsed.data : {}));
  });
  queue = next.catch(() => undefined);
  return next;
}

export const recordFrame = (tabId: number, frame: FrameInfo) => update((all) => withFrame(all, tabId, frame));
export const forgetTab = (tabId: number) => update((all) => withoutTab(all, tabId));

export async function framesOf(tabId: number): Promise<FrameInfo[]> {
  await queue;
  const parsed = TabFramesSchema.safeParse(await framesItem.getValue());
  return parsed.success ? (parsed.data[String(tabId)] ?? []) : [];
}
