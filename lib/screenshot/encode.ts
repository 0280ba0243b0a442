/**
 * Export of the annotated screenshot: JPEG at the best quality that keeps it within the upload
 * budget (downscaled only when even the lowest quality is too heavy), or lossless PNG on request.
 * Encoding goes through injected functions (Rasteriser, CanvasFactory) so that it is unit-tested
 * without a real canvas.
 *
 * Fallback when tabs.captureVisibleTab fails (not implemented here) — recommendation: use
 * html2canvas-pro (MIT, no dependencies, 2.5.2 on npm and still released), not html2canvas 1.4.1
 * (the original project's last release, 2022). Both re-draw the DOM from its *computed* styles and
 * parse every colour themselves. 1.4.1's SUPPORTED_COLOR_FUNCTIONS is rgb/rgba/hsl/hsla only; any
 * other function throws "Attempting to parse an unsupported color function" and the whole capture
 * fails, not one element (html2canvas issues #2700, #3148, #3269; no release fixes them). Chrome hands computed
 * oklch()/lab()/color() values back as written and color-mix() as oklab(…), so a single modern
 * colour anywhere in the page is enough. html2canvas-pro 2.5.2 parses lch, oklch, oklab, lab,
 * color() (srgb, srgb-linear, display-p3, a98-rgb, prophoto-rgb, rec2020, xyz) and color-mix()
 * (a form it cannot compute is logged and drawn transparent instead of aborting), and adds
 * object-fit, image-set() and backdrop-filter. Checked in headless Chromium 156 on a page with
 * oklch(), color-mix(in oklab, …), lab() and color(srgb …) backgrounds: 1.4.1 rejects with
 * 'unsupported color function "oklch"', html2canvas-pro renders 255,0,0 / 140,83,162 / 250,0,7 /
 * 0,128,0. It is a drop-in (`import html2canvas from 'html2canvas-pro'`, same options). Costs:
 * ~63 KB gzipped (min) vs ~46 KB; its package.json says engines node >= 24 (an npm warning on
 * node 20, not a runtime need: the bundle runs in the page). Either way the result is a re-drawing,
 * not a screenshot: cross-origin iframes (an embedded Axialys bar) stay blank, so the report must
 * say which method produced the image, and the same editor/redaction applies to it.
 */
import { type Shape, type Size } from './annotations';
import { renderAnnotated, type Canvas2D } from './render';

/** Upload budget of one screenshot. */
export const MAX_UPLOAD_BYTES = 250 * 1024;
export const JPEG_MIN_QUALITY = 0.5;
export const JPEG_MAX_QUALITY = 0.92;
/** Never downscale below this width (an image narrower than it is never downscaled at all). */
export const MIN_EXPORT_WIDTH = 1280;

export type ImageType = 'image/jpeg' | 'image/png';

export interface EncodedImage {
  blob: Blob;
  type: ImageType;
  /** JPEG quality used (0–1); null for PNG. */
  quality: number | null;
  width: number;
  height: number;
  bytes: number;
}

/** Encodes the (already drawn) image as JPEG at the given quality. */
export type QualityEncoder = (quality: number) => Promise<Blob>;

export interface QualitySearchOptions {
  maxBytes?: number;
  minQuality?: number;
  maxQuality?: number;
  /** Stop when the bracket is narrower than this. */
  precision?: number;
}

export interface QualitySearchResult {
  blob: Blob;
  quality: number;
  /** blob.size ≤ maxBytes (false: even minQuality is too heavy; blob is then the minQuality one). */
  fits: boolean;
  /** How many encodings the search took. */
  tries: number;
}

const round2 = (q: number) => Math.round(q * 100) / 100;

/**
 * The highest JPEG quality in [minQuality, maxQuality] whose encoding is ≤ maxBytes, by binary
 * search (size grows with quality). Tries maxQuality first: most screenshots fit at once.
 */
export async function searchJpegQuality(encode: QualityEncoder, options: QualitySearchOptions = {}): Promise<QualitySearchResult> {
  const { maxBytes = MAX_UPLOAD_BYTES, minQuality = JPEG_MIN_QUALITY, maxQuality = JPEG_MAX_QUALITY, precision = 0.02 } = options;
  let tries = 0;
  const run = async (q: number) => {
    tries++;
    return encode(q);
  };
  const top = await run(maxQuality);
  if (top.size <= maxBytes) return { blob: top, quality: maxQuality, fits: true, tries };
  const bottom = await run(minQuality);
  if (bottom.size > maxBytes) return { blob: bottom, quality: minQuality, fits: false, tries };
  let lo = minQuality; // fits
  let hi = maxQuality; // too heavy
  let best = bottom;
  while (hi - lo > precision) {
    const mid = round2((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break;
    const blob = await run(mid);
    if (blob.size <= maxBytes) {
      lo = mid;
      best = blob;
    } else {
      hi = mid;
    }
  }
  return { blob: best, quality: lo, fits: true, tries };
}

/** The annotated image, drawable at any size up to its own. */
export interface Rasteriser {
  readonly width: number;
  readonly height: number;
  /** The annotated image drawn at width × height and encoded (quality only for JPEG). */
  encode(width: number, height: number, type: ImageType, quality?: number): Promise<Blob>;
}

export interface EncodeOptions extends Omit<QualitySearchOptions, 'precision'> {
  /** Lossless PNG, at full size, whatever its weight. */
  lossless?: boolean;
  minWidth?: number;
}

/**
 * Lossless: PNG at full size. Otherwise JPEG at the best quality that fits maxBytes; when even
 * minQuality does not fit, smaller copies (never narrower than minWidth, sized from the measured
 * bytes per pixel) until one fits — or the smallest allowed one, over budget, is returned.
 */
export async function encodeScreenshot(r: Rasteriser, options: EncodeOptions = {}): Promise<EncodedImage> {
  const { lossless = false, minWidth = MIN_EXPORT_WIDTH, ...search } = options;
  const maxBytes = search.maxBytes ?? MAX_UPLOAD_BYTES;
  if (lossless) {
    const blob = await r.encode(r.width, r.height, 'image/png');
    return { blob, type: 'image/png', quality: null, width: r.width, height: r.height, bytes: blob.size };
  }
  let width = r.width;
  let height = r.height;
  const atSize = (w: number, h: number) => searchJpegQuality((q) => r.encode(w, h, 'image/jpeg', q), search);
  let found = await atSize(width, height);
  for (let round = 0; !found.fits && width > minWidth && round < 5; round++) {
    // JPEG weight is roughly proportional to the pixel count: aim a little under the budget.
    const ratio = Math.sqrt(maxBytes / found.blob.size) * 0.95;
    width = Math.max(minWidth, Math.min(width - 1, Math.floor(width * ratio)));
    height = Math.max(1, Math.round((r.height * width) / r.width));
    found = await atSize(width, height);
  }
  return { blob: found.blob, type: 'image/jpeg', quality: found.quality, width, height, bytes: found.blob.size };
}

// ——— Canvas ———

/** The members of HTMLCanvasElement used here (a fake in unit tests). */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(contextId: '2d'): Canvas2D | null;
  toBlob(callback: (blob: Blob | null) => void, type?: string, quality?: number): void;
}
export type CanvasFactory = (width: number, height: number) => CanvasLike;

export const createDomCanvas: CanvasFactory = (width, height) => {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
};

export function canvasToBlob(canvas: CanvasLike, type: ImageType, quality?: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob && blob.size > 0 ? resolve(blob) : reject(new Error(`${type} encoding failed`))), type, quality);
  });
}

/**
 * A Rasteriser drawing `image` and `shapes` (renderAnnotated, redactions burned in) on a canvas
 * from `createCanvas`. The canvas of the last size asked for is kept, so a quality search draws once.
 */
export function canvasRasteriser(image: CanvasImageSource, size: Size, shapes: readonly Shape[], createCanvas: CanvasFactory = createDomCanvas): Rasteriser {
  let drawn: CanvasLike | null = null;
  const canvasAt = (width: number, height: number): CanvasLike => {
    if (drawn && drawn.width === width && drawn.height === height) return drawn;
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context');
    renderAnnotated(ctx, image, size, shapes, { scale: width / size.width });
    drawn = canvas;
    return canvas;
  };
  return {
    width: size.width,
    height: size.height,
    encode: async (width, height, type, quality) => canvasToBlob(canvasAt(width, height), type, type === 'image/jpeg' ? quality : undefined),
  };
}

// ——— Data URLs ———

const IMAGE_DATA_URL = /^data:(image\/(?:png|jpeg|webp));base64,([A-Za-z0-9+/]*={0,2})$/;

/** The bytes of a base64 image data URL (PNG, JPEG or WebP only). Throws on anything else. */
export function dataUrlToBlob(dataUrl: string): Blob {
  const m = IMAGE_DATA_URL.exec(dataUrl);
  if (!m) throw new Error('not a base64 image data URL');
  const bin = atob(m[2]!);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: m[1] });
}

/** Base64 of a blob's bytes (no data: prefix), e.g. for a Zammad attachment. */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export async function blobToDataUrl(blob: Blob): Promise<string> {
  return `data:${blob.type || 'application/octet-stream'};base64,${await blobToBase64(blob)}`;
}

/** A decoded image, ready to draw. close() frees an ImageBitmap's memory. */
export interface LoadedImage {
  source: CanvasImageSource;
  width: number;
  height: number;
  close(): void;
}

/** Decodes a screenshot data URL: an ImageBitmap where the browser has one, else an <img>. */
export async function loadImage(dataUrl: string): Promise<LoadedImage> {
  const blob = dataUrlToBlob(dataUrl);
  if (typeof createImageBitmap === 'function') {
    const bitmap = await createImageBitmap(blob);
    return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
  }
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => undefined };
}

/** Kilobytes as shown to users ("≤ 250 Ko" is never shown for a file over the budget). */
export const kilobytes = (bytes: number) => Math.ceil(bytes / 1024);
