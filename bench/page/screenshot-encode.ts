/**
 * Screenshot benchmark, the shipped path, run in one of Témoin's extension pages (a tab of
 * viewer.html): the popup's capture as it is wired — the `captureScreenshot` message to the
 * background, which calls tabs.captureVisibleTab (PNG) in the service worker
 * (lib/background/handlers.ts, lib/capture/screenshot.ts) — then the export the popup makes of it:
 * decode (loadImage) and encodeScreenshot(canvasRasteriser(…)) from lib/screenshot/encode.ts, the
 * product's own code bundled here: JPEG at the best quality within 250 KB.
 */
import { canvasRasteriser, encodeScreenshot, loadImage } from '../../lib/screenshot/encode';

export interface ShippedResult {
  ok: boolean;
  error?: string;
  /** Message sent → PNG data URL back in the page. */
  captureMs: number;
  /** Decode + JPEG quality search. */
  encodeMs: number;
  ms: number;
  pngBytes: number;
  bytes: number;
  quality: number | null;
  type: string;
  width: number;
  height: number;
  srcWidth: number;
  srcHeight: number;
}

let messageId = 1;

async function shipped(windowId: number): Promise<ShippedResult> {
  const t0 = performance.now();
  // @webext-core/messaging's wire format (lib/messaging.ts): { id, type, data, timestamp } → { res } | { err }.
  const reply = (await chrome.runtime.sendMessage({ id: messageId++, type: 'captureScreenshot', data: { windowId }, timestamp: Date.now() })) as {
    res?: { ok: true; dataUrl: string; bytes: number } | { ok: false; error: string };
    err?: unknown;
  };
  const t1 = performance.now();
  const fail = (error: string): ShippedResult => ({ ok: false, error, captureMs: t1 - t0, encodeMs: 0, ms: t1 - t0, pngBytes: 0, bytes: 0, quality: null, type: '', width: 0, height: 0, srcWidth: 0, srcHeight: 0 });
  if (!reply || reply.err) return fail(`background error: ${JSON.stringify(reply?.err ?? 'no answer')}`);
  if (!reply.res?.ok) return fail(reply.res?.error ?? 'no result');
  const img = await loadImage(reply.res.dataUrl);
  try {
    const enc = await encodeScreenshot(canvasRasteriser(img.source, { width: img.width, height: img.height }, []), {});
    const t2 = performance.now();
    return {
      ok: true,
      captureMs: t1 - t0,
      encodeMs: t2 - t1,
      ms: t2 - t0,
      pngBytes: reply.res.bytes,
      bytes: enc.bytes,
      quality: enc.quality,
      type: enc.type,
      width: enc.width,
      height: enc.height,
      srcWidth: img.width,
      srcHeight: img.height,
    };
  } finally {
    img.close();
  }
}

/** Control, not shipped: the native capture alone, JPEG q80 straight from captureVisibleTab (as in measured-baselines.md). */
async function nativeJpeg(windowId: number): Promise<{ ok: boolean; error?: string; ms: number; bytes: number }> {
  const t0 = performance.now();
  try {
    const url = await chrome.tabs.captureVisibleTab(windowId, { format: 'jpeg', quality: 80 });
    const b64 = url.slice(url.indexOf(',') + 1);
    return { ok: true, ms: performance.now() - t0, bytes: Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), ms: performance.now() - t0, bytes: 0 };
  }
}

/** The tab's window id (the popup passes tab.windowId); the tab's URL is visible once activeTab is granted. */
async function windowOf(url: string): Promise<number | null> {
  const tabs = await chrome.tabs.query({});
  return tabs.find((t) => t.url === url)?.windowId ?? null;
}

(window as unknown as { __temoinShipped?: unknown }).__temoinShipped = { shipped, nativeJpeg, windowOf };
