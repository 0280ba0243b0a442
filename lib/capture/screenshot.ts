import { browser } from '#imports';
import type { ScreenshotResult } from '../messaging';
import { CAPTURE_JPEG_QUALITY } from '../screenshot/encode';

/** Bytes of the payload of a base64 data URL. */
export function dataUrlBytes(dataUrl: string): number {
  const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

/**
 * Native capture of the visible tab (needs the activeTab grant that the toolbar click gives), as
 * a JPEG at the export's top quality: the browser encodes it while reading the pixels back, and
 * the popup sends it as it is when nothing is drawn on it and it is within the upload budget
 * (lib/screenshot/encode.ts exportScreenshot). A PNG capture of a full-HD tab costs about three
 * times as much to encode and to pass around (measured-baselines.md; bench/results.md §2), and
 * every export would then be a JPEG encode (or more) of it.
 */
export async function captureVisible(windowId: number): Promise<ScreenshotResult> {
  try {
    const dataUrl = await browser.tabs.captureVisibleTab(windowId, { format: 'jpeg', quality: CAPTURE_JPEG_QUALITY });
    return { ok: true, dataUrl, bytes: dataUrlBytes(dataUrl) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
