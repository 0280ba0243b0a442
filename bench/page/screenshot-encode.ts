/**
 * Screenshot benchmark, the shipped path, run in one of Témoin's extension pages (a tab of
 * viewer.html): the popup's capture as it is wired — the `captureScreenshot` message to the
 * background, which calls tabs.captureVisibleTab (JPEG at CAPTURE_JPEG_QUALITY) in the service
 * worker (lib/background/handlers.ts, lib/capture/screenshot.ts) — then the export the popup makes
 * of it: decode (loadImage) and exportScreenshot from lib/screenshot/encode.ts, the product's own
 * code bundled here (the capture as it is when nothing is drawn and it fits 250 KB; otherwise one
 * encode, and a quality search only when that does not fit).
 *
 * After the timed part (when asked: every other sample), the same capture is exported again with a
 * redaction over its top-left quarter (the path of a report with something hidden), timed apart,
 * and the redacted region's brightness is read back from the encoded JPEG: the redaction must be in
 * the sent pixels.
 */
import type { Shape } from '../../lib/screenshot/annotations';
import { CAPTURE_JPEG_QUALITY, exportScreenshot, loadImage, type EncodedImage, type LoadedImage } from '../../lib/screenshot/encode';

export interface RedactedResult {
  /** exportScreenshot with one redaction (decode not included: the image is already loaded). */
  ms: number;
  bytes: number;
  quality: number | null;
  encodes: number;
  /** Mean brightness (0–255) of the redacted region, decoded back from the exported JPEG. */
  brightness: number;
}

export interface ShippedResult {
  ok: boolean;
  error?: string;
  /** Message sent → JPEG data URL back in the page. */
  captureMs: number;
  /** Decode + exportScreenshot. */
  encodeMs: number;
  ms: number;
  /** The captured JPEG's bytes (as captureVisibleTab gave them). */
  captureBytes: number;
  bytes: number;
  quality: number | null;
  /** Encodings the export took: 0 when the capture is sent as captured. */
  encodes: number;
  type: string;
  width: number;
  height: number;
  srcWidth: number;
  srcHeight: number;
  redacted?: RedactedResult;
}

let messageId = 1;

/** Mean brightness of a region of an encoded image (fractions of its size). */
async function brightness(blob: Blob, box: { x0: number; y0: number; x1: number; y1: number }): Promise<number> {
  const bmp = await createImageBitmap(blob);
  try {
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const x = Math.floor(box.x0 * bmp.width);
    const y = Math.floor(box.y0 * bmp.height);
    const d = ctx.getImageData(x, y, Math.max(1, Math.floor(box.x1 * bmp.width) - x), Math.max(1, Math.floor(box.y1 * bmp.height) - y)).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += (d[i]! + d[i + 1]! + d[i + 2]!) / 3;
    return sum / (d.length / 4);
  } finally {
    bmp.close();
  }
}

/** Not timed with the capture: the same image exported with a redaction over its top-left quarter. */
async function redacted(img: LoadedImage): Promise<RedactedResult> {
  const redact: Shape = { kind: 'redact', x: 0, y: 0, w: Math.floor(img.width / 2), h: Math.floor(img.height / 2) };
  const t0 = performance.now();
  const red = await exportScreenshot(img, [redact]);
  const ms = performance.now() - t0;
  return { ms, bytes: red.bytes, quality: red.quality, encodes: red.encodes, brightness: await brightness(red.blob, { x0: 0.05, y0: 0.05, x1: 0.45, y1: 0.45 }) };
}

async function shipped(windowId: number, withRedaction = true): Promise<ShippedResult> {
  const t0 = performance.now();
  // @webext-core/messaging's wire format (lib/messaging.ts): { id, type, data, timestamp } → { res } | { err }.
  const reply = (await chrome.runtime.sendMessage({ id: messageId++, type: 'captureScreenshot', data: { windowId }, timestamp: Date.now() })) as {
    res?: { ok: true; dataUrl: string; bytes: number } | { ok: false; error: string };
    err?: unknown;
  };
  const t1 = performance.now();
  const fail = (error: string): ShippedResult => ({
    ok: false,
    error,
    captureMs: t1 - t0,
    encodeMs: 0,
    ms: t1 - t0,
    captureBytes: 0,
    bytes: 0,
    quality: null,
    encodes: 0,
    type: '',
    width: 0,
    height: 0,
    srcWidth: 0,
    srcHeight: 0,
  });
  if (!reply || reply.err) return fail(`background error: ${JSON.stringify(reply?.err ?? 'no answer')}`);
  if (!reply.res?.ok) return fail(reply.res?.error ?? 'no result');
  const img = await loadImage(reply.res.dataUrl);
  try {
    const enc: EncodedImage = await exportScreenshot(img, []);
    const t2 = performance.now();
    return {
      ok: true,
      captureMs: t1 - t0,
      encodeMs: t2 - t1,
      ms: t2 - t0,
      captureBytes: reply.res.bytes,
      bytes: enc.bytes,
      quality: enc.quality,
      encodes: enc.encodes,
      type: enc.type,
      width: enc.width,
      height: enc.height,
      srcWidth: img.width,
      srcHeight: img.height,
      ...(withRedaction ? { redacted: await redacted(img) } : {}),
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

(window as unknown as { __temoinShipped?: unknown }).__temoinShipped = { shipped, nativeJpeg, windowOf, captureQuality: CAPTURE_JPEG_QUALITY };
