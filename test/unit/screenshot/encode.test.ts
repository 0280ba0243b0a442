import { describe, expect, it, vi } from 'vitest';
import type { Shape } from '../../../lib/screenshot/annotations';
import {
  JPEG_MAX_QUALITY,
  JPEG_MIN_QUALITY,
  MAX_UPLOAD_BYTES,
  MIN_EXPORT_WIDTH,
  blobToBase64,
  blobToDataUrl,
  canvasRasteriser,
  dataUrlToBlob,
  encodeScreenshot,
  kilobytes,
  searchJpegQuality,
  type CanvasLike,
  type ImageType,
  type Rasteriser,
} from '../../../lib/screenshot/encode';
import { RecordingContext } from './fake-canvas';

const KB = 1024;
const blobOf = (bytes: number, type = 'image/jpeg') => new Blob([new Uint8Array(Math.max(1, Math.round(bytes)))], { type });

/** JPEG-like weight: grows with quality, faster near the top; bytesPerPixel at quality 0.5. */
const jpegBytes = (pixels: number, q: number, bytesPerPixel: number) => pixels * bytesPerPixel * (1 + 6 * (q - 0.5) ** 2 + 2 * (q - 0.5));

/** A fake rasteriser whose output size depends on the drawn size and the quality. */
function fakeRasteriser(width: number, height: number, bytesPerPixel: number, pngBytesPerPixel = 1.5) {
  const calls: { width: number; height: number; type: ImageType; quality?: number }[] = [];
  const r: Rasteriser = {
    width,
    height,
    encode: async (w, h, type, quality) => {
      calls.push({ width: w, height: h, type, quality });
      return type === 'image/png' ? blobOf(w * h * pngBytesPerPixel, type) : blobOf(jpegBytes(w * h, quality!, bytesPerPixel));
    },
  };
  return { r, calls };
}

describe('searchJpegQuality', () => {
  it('finds the highest quality within 250 KB (to the search precision)', async () => {
    const pixels = 1920 * 1080;
    const encode = vi.fn(async (q: number) => blobOf(jpegBytes(pixels, q, 0.1)));
    const found = await searchJpegQuality(encode);
    expect(found.fits).toBe(true);
    expect(found.blob.size).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expect(found.quality).toBeGreaterThan(JPEG_MIN_QUALITY);
    expect(found.quality).toBeLessThan(JPEG_MAX_QUALITY);
    // A notch higher would not fit: the search did not stop early.
    expect(jpegBytes(pixels, found.quality + 0.02, 0.1)).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(found.blob.size).toBe(Math.round(jpegBytes(pixels, found.quality, 0.1)));
    expect(found.tries).toBe(encode.mock.calls.length);
    expect(found.tries).toBeLessThanOrEqual(8);
    for (const [q] of encode.mock.calls) {
      expect(q).toBeGreaterThanOrEqual(JPEG_MIN_QUALITY);
      expect(q).toBeLessThanOrEqual(JPEG_MAX_QUALITY);
    }
  });

  it('takes the top quality at once when it fits', async () => {
    const encode = vi.fn(async () => blobOf(90 * KB));
    expect(await searchJpegQuality(encode)).toMatchObject({ quality: JPEG_MAX_QUALITY, fits: true, tries: 1 });
  });

  it('says so when even the lowest quality is too heavy', async () => {
    const encode = vi.fn(async (q: number) => blobOf(400 * KB * (1 + q)));
    const found = await searchJpegQuality(encode);
    expect(found).toMatchObject({ quality: JPEG_MIN_QUALITY, fits: false, tries: 2 });
    expect(found.blob.size).toBe(600 * KB);
  });

  it('honours a custom budget and range', async () => {
    const found = await searchJpegQuality(async (q) => blobOf(q * 100 * KB), { maxBytes: 70 * KB, minQuality: 0.3, maxQuality: 0.9, precision: 0.01 });
    expect(found.fits).toBe(true);
    expect(found.quality).toBeGreaterThanOrEqual(0.68);
    expect(found.quality).toBeLessThanOrEqual(0.7);
  });
});

describe('encodeScreenshot', () => {
  it('JPEG within 250 KB at full size when quality alone is enough', async () => {
    const { r, calls } = fakeRasteriser(1920, 1080, 0.1);
    const out = await encodeScreenshot(r);
    expect(out).toMatchObject({ type: 'image/jpeg', width: 1920, height: 1080 });
    expect(out.bytes).toBe(out.blob.size);
    expect(out.bytes).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expect(calls.every((c) => c.width === 1920 && c.height === 1080 && c.type === 'image/jpeg')).toBe(true);
  });

  it('PNG on request: full size, no quality, its size reported even over the budget', async () => {
    const { r, calls } = fakeRasteriser(1920, 1080, 0.1, 1.5);
    const out = await encodeScreenshot(r, { lossless: true });
    expect(out).toMatchObject({ type: 'image/png', quality: null, width: 1920, height: 1080 });
    expect(out.bytes).toBe(Math.round(1920 * 1080 * 1.5));
    expect(out.bytes).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(calls).toEqual([{ width: 1920, height: 1080, type: 'image/png', quality: undefined }]);
  });

  it('downscales when even the lowest quality is too heavy, keeping the aspect ratio', async () => {
    const { r, calls } = fakeRasteriser(3840, 2160, 0.12); // 4K: ~970 KB at quality 0.5
    const out = await encodeScreenshot(r);
    expect(out.type).toBe('image/jpeg');
    expect(out.bytes).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expect(out.width).toBeLessThan(3840);
    expect(out.width).toBeGreaterThanOrEqual(MIN_EXPORT_WIDTH);
    expect(out.height).toBe(Math.round((2160 * out.width) / 3840));
    expect(out.quality!).toBeGreaterThanOrEqual(JPEG_MIN_QUALITY);
    expect(calls[0]).toMatchObject({ width: 3840, height: 2160 });
    expect(calls.length).toBeLessThan(25);
  });

  it('never goes below 1280 px wide: returns the smallest allowed image, over budget', async () => {
    const { r } = fakeRasteriser(2560, 1440, 0.5);
    const out = await encodeScreenshot(r);
    expect(out).toMatchObject({ width: MIN_EXPORT_WIDTH, height: 720, quality: JPEG_MIN_QUALITY });
    expect(out.bytes).toBeGreaterThan(MAX_UPLOAD_BYTES);
  });

  it('never downscales an image already narrower than 1280 px', async () => {
    const { r, calls } = fakeRasteriser(1000, 2000, 0.5);
    const out = await encodeScreenshot(r);
    expect(out).toMatchObject({ width: 1000, height: 2000, quality: JPEG_MIN_QUALITY });
    expect(calls.every((c) => c.width === 1000)).toBe(true);
  });
});

describe('canvasRasteriser', () => {
  function fakeCanvasFactory() {
    const canvases: (CanvasLike & { ctx: RecordingContext; toBlobCalls: unknown[][] })[] = [];
    const create = (width: number, height: number) => {
      const ctx = new RecordingContext();
      const canvas = {
        width,
        height,
        ctx,
        toBlobCalls: [] as unknown[][],
        getContext: () => ctx,
        toBlob(cb: (b: Blob | null) => void, type?: string, quality?: number) {
          this.toBlobCalls.push([type, quality]);
          cb(blobOf(this.width * this.height * (type === 'image/png' ? 1 : (quality ?? 0.9) / 10), type));
        },
      };
      canvases.push(canvas);
      return canvas;
    };
    return { create, canvases };
  }

  const shapes: Shape[] = [
    { kind: 'redact', x: 100, y: 100, w: 300, h: 40 },
    { kind: 'highlight', x: 10, y: 10, w: 50, h: 50 },
  ];
  const image = {} as CanvasImageSource;

  it('draws once per size, redactions burned in, and encodes with the asked type and quality', async () => {
    const { create, canvases } = fakeCanvasFactory();
    const r = canvasRasteriser(image, { width: 1920, height: 1080 }, shapes, create);
    await r.encode(1920, 1080, 'image/jpeg', 0.8);
    await r.encode(1920, 1080, 'image/jpeg', 0.6);
    expect(canvases).toHaveLength(1);
    expect(canvases[0]!.toBlobCalls).toEqual([
      ['image/jpeg', 0.8],
      ['image/jpeg', 0.6],
    ]);
    const last = canvases[0]!.ctx.draws().at(-1)!;
    expect(last).toMatchObject({ name: 'fillRect', args: [100, 100, 300, 40], fillStyle: '#000000', globalAlpha: 1 });

    const png = await r.encode(960, 540, 'image/png', 0.5);
    expect(png.type).toBe('image/png');
    expect(canvases).toHaveLength(2);
    expect(canvases[1]!.toBlobCalls).toEqual([['image/png', undefined]]);
    expect(canvases[1]!.ctx.draws().at(-1)!.args).toEqual([50, 50, 150, 20]); // scaled by 0.5
  });

  it('fails clearly when the canvas cannot encode', async () => {
    const r = canvasRasteriser(image, { width: 10, height: 10 }, [], () => ({
      width: 10,
      height: 10,
      getContext: () => new RecordingContext(),
      toBlob: (cb) => cb(null),
    }));
    await expect(r.encode(10, 10, 'image/jpeg', 0.9)).rejects.toThrow('image/jpeg encoding failed');
  });

  it('works end to end with encodeScreenshot', async () => {
    const { create } = fakeCanvasFactory();
    const out = await encodeScreenshot(canvasRasteriser(image, { width: 1920, height: 1080 }, shapes, create));
    expect(out.bytes).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expect(out.type).toBe('image/jpeg');
  });
});

describe('data URLs', () => {
  const PNG_1PX = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

  it('round-trips through a blob and base64', async () => {
    const blob = dataUrlToBlob(PNG_1PX);
    expect(blob.type).toBe('image/png');
    expect(blob.size).toBe(70);
    expect(await blobToDataUrl(blob)).toBe(PNG_1PX);
    expect(await blobToBase64(blob)).toBe(PNG_1PX.slice(PNG_1PX.indexOf(',') + 1));
  });

  it('base64-encodes large blobs (chunked)', async () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    const b64 = await blobToBase64(new Blob([bytes]));
    expect(Buffer.from(b64, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });

  it('accepts only base64 PNG, JPEG or WebP data URLs', () => {
    expect(() => dataUrlToBlob('data:text/html;base64,PGgxPg==')).toThrow();
    expect(() => dataUrlToBlob('data:image/svg+xml;base64,PHN2Zz4=')).toThrow();
    expect(() => dataUrlToBlob('data:image/png,raw')).toThrow();
    expect(() => dataUrlToBlob('https://example.test/a.png')).toThrow();
  });

  it('shows kilobytes rounded up', () => {
    expect(kilobytes(MAX_UPLOAD_BYTES)).toBe(250);
    expect(kilobytes(MAX_UPLOAD_BYTES - 1)).toBe(250);
    expect(kilobytes(1)).toBe(1);
  });
});
