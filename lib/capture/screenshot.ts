import { browser } from '#imports';
import type { ScreenshotResult } from '../messaging';

/** Bytes of the payload of a base64 data URL. */
export function dataUrlBytes(dataUrl: string): number {
  const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

/** Native capture of the visible tab (needs the activeTab grant that the toolbar click gives). */
export async function captureVisible(windowId: number): Promise<ScreenshotResult> {
  try {
    // PNG: the editor burns the annotations in and encodes once (JPEG ≤ 250 KB, or PNG when asked).
    const dataUrl = await browser.tabs.captureVisibleTab(windowId, { format: 'png' });
    return { ok: true, dataUrl, bytes: dataUrlBytes(dataUrl) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
