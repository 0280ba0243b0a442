import { describe, expect, it, vi } from 'vitest';
import type { Shape } from '../../../lib/screenshot/annotations';
import {
  CAPTURE_JPEG_QUALITY,
  EXPORT_SLACK,
  JPEG_MAX_QUALITY,
  JPEG_MIN_QUALITY,
  MAX_UPLOAD_BYTES,
  MIN_EXPORT_WIDTH,
  blobToBase64,
  blobToDataUrl,
  canvasRasteriser,
  dataUrlToBlob,
  encodeScreenshot,
  exportScreenshot,
  kilobytes,
  predictQuality,
  readJpegInfo,
  searchJpegQuality,
  type CanvasLike,
  type ImageType,
  type LoadedImage,
  type Rasteriser,
} from '../../../lib/screenshot/encode';
import { RecordingContext } from './fake-canvas';
import { CHROMIUM_JPEG_Q50, CHROMIUM_JPEG_Q92, jpegBytes as fixture } from './jpeg-fixtures';

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

  /** Sizes measured in Chromium for the 10k-element bench dashboard (1920×1080, re-encoded from its q92 capture). */
  const DASHBOARD: [number, number][] = [
    [0.5, 149662], [0.6, 166776], [0.7, 191414], [0.75, 206158], [0.8, 227000], [0.85, 254871], [0.88, 275048], [0.9, 300911], [0.92, 326296],
  ];
  const dashboardBytes = (q: number) => {
    for (let i = 1; i < DASHBOARD.length; i++) {
      const [q0, b0] = DASHBOARD[i - 1]!;
      const [q1, b1] = DASHBOARD[i]!;
      if (q <= q1 + 1e-9) return b0 + ((b1 - b0) * (q - q0)) / (q1 - q0);
    }
    return DASHBOARD.at(-1)![1];
  };

  it('with a hint over the budget, starts at the predicted quality, not at the top', async () => {
    const encode = vi.fn(async (q: number) => blobOf(dashboardBytes(q)));
    // The capture: 322,478 bytes at quality 0.92 (measured).
    const found = await searchJpegQuality(encode, { hint: { quality: 0.92, bytes: 322_478 }, slack: EXPORT_SLACK });
    expect(encode.mock.calls[0]![0]).toBeLessThan(JPEG_MAX_QUALITY);
    expect(found.fits).toBe(true);
    expect(found.blob.size).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
    expect(found.blob.size).toBeGreaterThanOrEqual(MAX_UPLOAD_BYTES * (1 - EXPORT_SLACK));
    expect(found.tries).toBeLessThanOrEqual(2);
  });

  it('a hint within the budget changes nothing: the top quality first', async () => {
    const encode = vi.fn(async () => blobOf(200 * KB));
    expect(await searchJpegQuality(encode, { hint: { quality: 0.92, bytes: 190 * KB } })).toMatchObject({ quality: JPEG_MAX_QUALITY, tries: 1 });
  });

  it('without slack, the dashboard search ends on the best quality within 3 encodes after the top', async () => {
    const encode = vi.fn(async (q: number) => blobOf(dashboardBytes(q)));
    const found = await searchJpegQuality(encode);
    expect(found.fits).toBe(true);
    expect(dashboardBytes(found.quality + 0.02)).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(found.tries).toBeLessThanOrEqual(4);
  });

  it('finds the best quality (to the precision) for many size curves, in few tries', async () => {
    // Monotone curves from nearly linear to steep near the top, scaled from well under to well over the budget.
    for (const power of [1, 1.5, 2, 3, 5]) {
      for (const top of [150, 260, 300, 400, 600, 900]) {
        const bytes = (q: number) => top * KB * (0.3 + 0.7 * ((q - 0.3) / 0.62) ** power);
        const encode = vi.fn(async (q: number) => blobOf(bytes(q)));
        const found = await searchJpegQuality(encode);
        const label = `power ${power}, ${top} KB at the top`;
        if (bytes(JPEG_MIN_QUALITY) > MAX_UPLOAD_BYTES) {
          expect(found.fits, label).toBe(false);
          expect(found.quality, label).toBe(JPEG_MIN_QUALITY);
          continue;
        }
        expect(found.fits, label).toBe(true);
        expect(found.blob.size, label).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
        if (found.quality < JPEG_MAX_QUALITY) expect(bytes(found.quality + 0.02), label).toBeGreaterThan(MAX_UPLOAD_BYTES);
        expect(found.tries, label).toBeLessThanOrEqual(7);
        expect(new Set(encode.mock.calls.map(([q]) => q)).size, `${label}: no quality tried twice`).toBe(encode.mock.calls.length);
      }
    }
  });

  it('predicts lower qualities for heavier images', () => {
    expect(predictQuality({ quality: 0.92, bytes: 250 * KB }, 250 * KB)).toBeCloseTo(0.92, 5);
    const a = predictQuality({ quality: 0.92, bytes: 300 * KB }, 250 * KB);
    const b = predictQuality({ quality: 0.92, bytes: 400 * KB }, 250 * KB);
    expect(a).toBeLessThan(0.92);
    expect(b).toBeLessThan(a);
    expect(b).toBeGreaterThan(0.3);
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

  it('counts its encodings: one when the top quality fits', async () => {
    const { r, calls } = fakeRasteriser(1920, 1080, 0.03);
    const out = await encodeScreenshot(r);
    expect(out).toMatchObject({ quality: JPEG_MAX_QUALITY, encodes: 1 });
    expect(calls).toHaveLength(1);
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

/** A JPEG with extra segments inserted after SOI (each: marker, then its payload). */
function withSegments(bytes: Uint8Array, segments: [marker: number, payload: number[]][]): Uint8Array<ArrayBuffer> {
  const extra = segments.flatMap(([m, p]) => [0xff, m, (p.length + 2) >> 8, (p.length + 2) & 255, ...p]);
  return Uint8Array.from([...bytes.subarray(0, 2), ...extra, ...bytes.subarray(2)]);
}
const text = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('readJpegInfo', () => {
  it("reads Chromium's JPEGs: size, IJG quality, plain", () => {
    expect(readJpegInfo(fixture(CHROMIUM_JPEG_Q92))).toEqual({ width: 16, height: 8, quality: 0.92, plain: true });
    expect(readJpegInfo(fixture(CHROMIUM_JPEG_Q50))).toEqual({ width: 16, height: 8, quality: 0.5, plain: true });
  });

  it('is not plain with EXIF/XMP, a comment, another APPn or data after the end', () => {
    const q92 = fixture(CHROMIUM_JPEG_Q92);
    expect(readJpegInfo(withSegments(q92, [[0xe1, [...text('Exif'), 0, 0, 1, 2, 3]]]))).toMatchObject({ plain: false, quality: 0.92 });
    expect(readJpegInfo(withSegments(q92, [[0xe1, text('http://ns.adobe.com/xap/1.0/\0<x/>')]]))).toMatchObject({ plain: false });
    expect(readJpegInfo(withSegments(q92, [[0xfe, text('GPS 48.85 2.35')]]))).toMatchObject({ plain: false });
    expect(readJpegInfo(withSegments(q92, [[0xed, text('Photoshop 3.0\0')]]))).toMatchObject({ plain: false });
    expect(readJpegInfo(withSegments(q92, [[0xe0, text('JFXX\0')]]))).toMatchObject({ plain: false });
    expect(readJpegInfo(Uint8Array.from([...q92, ...text('hidden')]))).toMatchObject({ plain: false });
    expect(readJpegInfo(withSegments(q92, [[0xe2, text('ICC_PROFILE\0')]]))).toMatchObject({ plain: true });
  });

  it('is not plain for a progressive JPEG; null for what is not a JPEG', () => {
    const q92 = fixture(CHROMIUM_JPEG_Q92);
    const sof = q92.findIndex((b, i) => b === 0xff && q92[i + 1] === 0xc0);
    const progressive = Uint8Array.from(q92);
    progressive[sof + 1] = 0xc2;
    expect(readJpegInfo(progressive)).toBeNull(); // no baseline frame: not one this code describes
    expect(readJpegInfo(dataUrlToBlobBytes('data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))).toBeNull();
    expect(readJpegInfo(q92.subarray(0, 200))).toBeNull(); // cut before its frame header
  });

  it('gives no quality for tables that are not the IJG ones', () => {
    const q92 = fixture(CHROMIUM_JPEG_Q92);
    const dqt = q92.findIndex((b, i) => b === 0xff && q92[i + 1] === 0xdb);
    const odd = Uint8Array.from(q92);
    odd[dqt + 5 + 10] = odd[dqt + 5 + 10]! + 1; // one luminance step changed
    expect(readJpegInfo(odd)).toMatchObject({ quality: null, plain: true });
  });
});

function dataUrlToBlobBytes(url: string): Uint8Array {
  return Uint8Array.from(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
}

describe('exportScreenshot', () => {
  /** A decoded capture: its own JPEG bytes, and a fake canvas that records what is drawn and encoded. */
  function setup(bytes: Uint8Array<ArrayBuffer>, size = { width: 16, height: 8 }, encodedBytes = (q: number) => 500 + q * 100) {
    const canvases: { ctx: RecordingContext; toBlobCalls: [string | undefined, number | undefined][] }[] = [];
    const create = vi.fn((width: number, height: number): CanvasLike => {
      const c = { ctx: new RecordingContext(), toBlobCalls: [] as [string | undefined, number | undefined][] };
      canvases.push(c);
      return {
        width,
        height,
        getContext: () => c.ctx,
        toBlob(cb, type, quality) {
          c.toBlobCalls.push([type, quality]);
          cb(blobOf(type === 'image/png' ? 5000 : encodedBytes(quality!), type));
        },
      };
    });
    const img: LoadedImage = { source: {} as CanvasImageSource, ...size, blob: new Blob([bytes], { type: 'image/jpeg' }), close: () => undefined };
    return { img, create, canvases };
  }
  const redact: Shape = { kind: 'redact', x: 2, y: 1, w: 6, h: 4 };

  it('the capture quality is the top export quality', () => {
    expect(CAPTURE_JPEG_QUALITY).toBe(Math.round(JPEG_MAX_QUALITY * 100));
  });

  it('nothing drawn and within the budget: the captured bytes, unchanged, without any drawing or encoding', async () => {
    const { img, create } = setup(fixture(CHROMIUM_JPEG_Q92));
    const out = await exportScreenshot(img, [], { createCanvas: create });
    expect(out.blob).toBe(img.blob);
    expect(out).toMatchObject({ type: 'image/jpeg', quality: 0.92, width: 16, height: 8, bytes: img.blob!.size, encodes: 0 });
    expect(create).not.toHaveBeenCalled();
  });

  it('a redaction: drawn and burned in, encoded once at the top quality, never the captured bytes', async () => {
    const { img, create, canvases } = setup(fixture(CHROMIUM_JPEG_Q92));
    const out = await exportScreenshot(img, [redact], { createCanvas: create });
    expect(out.blob).not.toBe(img.blob);
    expect(out).toMatchObject({ type: 'image/jpeg', quality: JPEG_MAX_QUALITY, encodes: 1 });
    expect(canvases).toHaveLength(1);
    expect(canvases[0]!.toBlobCalls).toEqual([['image/jpeg', JPEG_MAX_QUALITY]]);
    expect(canvases[0]!.ctx.draws().at(-1)).toMatchObject({ name: 'fillRect', args: [2, 1, 6, 4], fillStyle: '#000000', globalAlpha: 1 });
  });

  it('a highlight or an arrow is drawn too (any shape means a new encoding)', async () => {
    for (const shape of [{ kind: 'highlight', x: 1, y: 1, w: 5, h: 5 }, { kind: 'arrow', x: 1, y: 1, w: 8, h: 4 }] as Shape[]) {
      const { img, create } = setup(fixture(CHROMIUM_JPEG_Q92));
      const out = await exportScreenshot(img, [shape], { createCanvas: create });
      expect(out.encodes).toBe(1);
      expect(out.blob).not.toBe(img.blob);
    }
  });

  it('lossless: a PNG of the image, even with nothing drawn', async () => {
    const { img, create, canvases } = setup(fixture(CHROMIUM_JPEG_Q92));
    const out = await exportScreenshot(img, [], { lossless: true, createCanvas: create });
    expect(out).toMatchObject({ type: 'image/png', quality: null, encodes: 1 });
    expect(canvases[0]!.toBlobCalls).toEqual([['image/png', undefined]]);
  });

  it('over the budget: re-encoded, first at the quality predicted from the capture, not at the top', async () => {
    const bytes = fixture(CHROMIUM_JPEG_Q92);
    // The budget is a little under the capture; a re-encode weighs what the size curve says.
    const maxBytes = Math.round(bytes.length * 0.85);
    const { img, create, canvases } = setup(bytes, undefined, (q) => bytes.length * (q >= 0.92 ? 1 : q >= 0.85 ? 0.83 : 0.78));
    const out = await exportScreenshot(img, [], { maxBytes, createCanvas: create });
    expect(out.blob).not.toBe(img.blob);
    expect(out.bytes).toBeLessThanOrEqual(maxBytes);
    const first = canvases[0]!.toBlobCalls[0]![1]!;
    expect(first).toBeLessThan(JPEG_MAX_QUALITY);
    expect(out.encodes).toBeLessThanOrEqual(2);
  });

  it('re-encodes what may not be sent as is: metadata, another size, another type, unknown tables', async () => {
    const q92 = fixture(CHROMIUM_JPEG_Q92);
    const exif = withSegments(q92, [[0xe1, [...text('Exif'), 0, 0, 1]]]);
    const cases: { name: string; img: LoadedImage }[] = [
      { name: 'EXIF', img: setup(exif).img },
      { name: 'decoded to another size (e.g. rotated)', img: setup(q92, { width: 8, height: 16 }).img },
      { name: 'PNG', img: { ...setup(q92).img, blob: new Blob([q92], { type: 'image/png' }) } },
      { name: 'no bytes known', img: { ...setup(q92).img, blob: undefined } },
    ];
    const dqt = q92.findIndex((b, i) => b === 0xff && q92[i + 1] === 0xdb);
    const odd = Uint8Array.from(q92);
    odd[dqt + 15] = odd[dqt + 15]! + 1;
    cases.push({ name: 'non-IJG tables', img: setup(odd).img });
    for (const c of cases) {
      const create = vi.fn(setup(q92).create);
      const out = await exportScreenshot(c.img, [], { createCanvas: create });
      expect(out.encodes, c.name).toBeGreaterThan(0);
      expect(out.blob, c.name).not.toBe(c.img.blob);
      expect(create, c.name).toHaveBeenCalled();
    }
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
