/**
 * Screenshot benchmark: Témoin's fallback as it ships (since the page-snapshot rework), page side
 * only — what runs on the measured page's main thread: the frame agent's `createPageSnapshots`
 * (lib/screenshot/page-snapshot.ts: the document written out in 8 ms slices, side images read),
 * then every part pulled as the popup pulls them. The drawing (html2canvas-pro in a sandboxed
 * frame of the popup, lib/screenshot/render-snapshot.ts) happens in the extension's process and
 * is not measured here: this variant's time is not a screenshot's time, only the page's share.
 * In the product it runs in the content script's isolated world, on the same main thread.
 */
import { createPageSnapshots } from '../../lib/screenshot/page-snapshot';
import { register } from './screenshot-probe';

register('temoin-fallback', async () => {
  const snapshots = createPageSnapshots({ doc: document, win: window, fetch: (input, init) => fetch(input, init), now: () => performance.now() });
  const start = await snapshots.take();
  if (!start.ok) throw new Error(`${start.code}: ${start.error}`);
  let chars = 0;
  for (let index = 0; index < start.chunks; index++) {
    const part = snapshots.part({ id: start.id, kind: 'html', index });
    if (!part.ok) throw new Error(part.error);
    chars += part.text.length;
    // The popup pulls one part per message: each is a task of its own on the page.
    await new Promise((r) => setTimeout(r, 0));
  }
  for (let index = 0; index < start.images.length; index++) {
    const part = snapshots.part({ id: start.id, kind: 'image', index });
    if (part.ok) chars += part.text.length;
    await new Promise((r) => setTimeout(r, 0));
  }
  snapshots.drop();
  // "bytes": characters handed over (HTML and side images), what the popup receives.
  return { bytes: chars, width: Math.round(start.viewport.width * start.dpr), height: Math.round(start.viewport.height * start.dpr) };
});
