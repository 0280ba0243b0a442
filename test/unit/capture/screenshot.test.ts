import { fakeBrowser } from 'wxt/testing/fake-browser';
import { describe, expect, it, vi, type MockInstance } from 'vitest';
import { captureVisible, dataUrlBytes } from '../../../lib/capture/screenshot';
import { CAPTURE_JPEG_QUALITY, JPEG_MAX_QUALITY } from '../../../lib/screenshot/encode';

/** tabs.captureVisibleTab's promise form (the spy would otherwise take the last, callback overload). */
const spyCapture = () => vi.spyOn(fakeBrowser.tabs, 'captureVisibleTab') as unknown as MockInstance<(windowId: number, options: object) => Promise<string>>;

describe('captureVisible', () => {
  it('captures the visible tab as a JPEG at the top export quality (no PNG)', async () => {
    const url = 'data:image/jpeg;base64,/9j/4AAQSkZJRg==';
    const capture = spyCapture().mockResolvedValue(url);
    expect(await captureVisible(7)).toEqual({ ok: true, dataUrl: url, bytes: 10 });
    expect(capture).toHaveBeenCalledTimes(1);
    expect(capture).toHaveBeenCalledWith(7, { format: 'jpeg', quality: CAPTURE_JPEG_QUALITY });
    expect(CAPTURE_JPEG_QUALITY).toBe(Math.round(JPEG_MAX_QUALITY * 100));
  });

  it('answers the refusal as an error (the popup then offers the fallback)', async () => {
    spyCapture().mockRejectedValue(new Error('Cannot access contents of the page'));
    expect(await captureVisible(7)).toEqual({ ok: false, error: 'Cannot access contents of the page' });
  });

  it('counts the bytes of a base64 payload', () => {
    expect(dataUrlBytes('data:image/jpeg;base64,AAAA')).toBe(3);
    expect(dataUrlBytes('data:image/jpeg;base64,AAA=')).toBe(2);
    expect(dataUrlBytes('data:image/jpeg;base64,AA==')).toBe(1);
  });
});
