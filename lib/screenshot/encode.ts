/**
 * Export of the annotated screenshot (exportScreenshot):
 * - the capture is a JPEG at CAPTURE_JPEG_QUALITY (lib/capture/screenshot.ts); with nothing drawn
 *   on it and within the upload budget, it is sent as captured, byte for byte (no re-encoding);
 * - otherwise (a shape drawn — a redaction is burned into the pixels —, over the budget, not a
 *   plain JPEG) it is drawn and encoded once at the top quality (or, over the budget, at the
 *   quality the size model predicts to fit), and searched further only when that try does not fit;
 *   downscaled only when even the lowest quality is too heavy;
 * - or lossless PNG on request (no loss beyond the capture's own JPEG).
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
/**
 * tabs.captureVisibleTab's JPEG quality (0–100): the export's top quality, so that a capture that
 * fits is sent as it is, at the quality the export of a PNG capture chose before (Chromium's
 * capture and a canvas encode the same pixels at the same quality to the same bytes). At 1920×1080
 * (bench/results.md §2): bar 97 KB, supervision 234 KB, extranet 141 KB, all sent as captured; the
 * 10k-element bench dashboard, 315 KB, is over the budget and re-encoded once, at 0.82 (228 KB).
 * At 85–90 the dashboard would still not fit (258–301 KB), and the demo surfaces would lose quality.
 */
export const CAPTURE_JPEG_QUALITY = Math.round(JPEG_MAX_QUALITY * 100);
/**
 * The export accepts a fit within this fraction under the budget without searching higher: 10 %
 * is about 0.05 of JPEG quality around 0.85 (SIZE_CURVE), invisible on a screenshot, and saves an
 * encode (~100 ms for 1920×1080 on the loaded 2-core machine) when the predicted quality fits.
 */
export const EXPORT_SLACK = 0.1;
/** Never downscale below this width (an image narrower than it is never downscaled at all). */
export const MIN_EXPORT_WIDTH = 1280;

export type ImageType = 'image/jpeg' | 'image/png';

export interface EncodedImage {
  blob: Blob;
  type: ImageType;
  /** JPEG quality used (0–1; a capture sent as is: the quality it was captured at); null for PNG. */
  quality: number | null;
  width: number;
  height: number;
  bytes: number;
  /** Encodings it took: 0 when the capture is sent as captured. */
  encodes: number;
}

/** Encodes the (already drawn) image as JPEG at the given quality. */
export type QualityEncoder = (quality: number) => Promise<Blob>;

export interface QualitySearchOptions {
  maxBytes?: number;
  minQuality?: number;
  maxQuality?: number;
  /** Stop when the bracket is narrower than this. */
  precision?: number;
  /**
   * Stop at the first fit that is at least (1 − slack) × maxBytes (0: search to the precision).
   * A quality point is worth ~1.5–2.5 % of the size around 0.8–0.9.
   */
  slack?: number;
  /**
   * A known encoding of (about) the same image, e.g. the captured JPEG: when it is over the
   * budget, the first try is the quality the size model predicts to fit, not maxQuality.
   */
  hint?: { quality: number; bytes: number };
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
 * Relative size of a JPEG by quality (1 at 0.92), the mean of Chromium's encodes of the four bench
 * screenshots (1920×1080: the three demo surfaces and the 10k-element dashboard; each within ±6 %
 * of the mean). Only a first guess: the search measures from there.
 */
const SIZE_CURVE: readonly (readonly [quality: number, size: number])[] = [
  [0, 0.2],
  [0.3, 0.4],
  [0.5, 0.485],
  [0.6, 0.539],
  [0.7, 0.613],
  [0.75, 0.66],
  [0.8, 0.72],
  [0.85, 0.803],
  [0.88, 0.858],
  [0.9, 0.929],
  [0.92, 1],
  [0.95, 1.18],
  [1, 2],
];

function curveAt(q: number): number {
  const c = SIZE_CURVE;
  const qq = Math.min(1, Math.max(0, q));
  for (let i = 1; i < c.length; i++) {
    const [q0, s0] = c[i - 1]!;
    const [q1, s1] = c[i]!;
    if (qq <= q1) return s0 + ((s1 - s0) * (qq - q0)) / (q1 - q0);
  }
  return c[c.length - 1]![1];
}

function curveQuality(size: number): number {
  const c = SIZE_CURVE;
  if (size <= c[0]![1]) return c[0]![0];
  for (let i = 1; i < c.length; i++) {
    const [q0, s0] = c[i - 1]!;
    const [q1, s1] = c[i]!;
    if (size <= s1) return q0 + ((q1 - q0) * (size - s0)) / (s1 - s0);
  }
  return 1;
}

/** The quality at which an image that weighs `bytes` at `quality` should weigh `target` (size model). */
export function predictQuality(known: { quality: number; bytes: number }, target: number): number {
  return curveQuality((curveAt(known.quality) * target) / known.bytes);
}

/**
 * The highest JPEG quality in [minQuality, maxQuality] whose encoding is ≤ maxBytes (size grows
 * with quality). Tries maxQuality first (most screenshots fit at once) or, given a hint over the
 * budget, the quality predicted to fit; then narrows the bracket [fits, too heavy] by
 * interpolating the measured sizes (Illinois rule), down to `precision`.
 */
export async function searchJpegQuality(encode: QualityEncoder, options: QualitySearchOptions = {}): Promise<QualitySearchResult> {
  const { maxBytes = MAX_UPLOAD_BYTES, minQuality = JPEG_MIN_QUALITY, maxQuality = JPEG_MAX_QUALITY, precision = 0.02, slack = 0, hint } = options;
  // Aim a little under the budget: sizes are not exactly predictable.
  const target = maxBytes * (1 - Math.max(slack, 0.02) / 2);
  const tried: { q: number; size: number; fits: boolean; blob: Blob }[] = [];
  let lo: (typeof tried)[number] | null = null; // highest quality known to fit
  let hi: (typeof tried)[number] | null = null; // lowest quality known to be too heavy
  const weight = { lo: 1, hi: 1 };
  const clamp = (q: number, a: number, b: number) => round2(Math.min(b, Math.max(a, q)));
  let q = hint && hint.bytes > maxBytes ? clamp(predictQuality(hint, target), minQuality, maxQuality) : maxQuality;
  for (;;) {
    const blob = await encode(q);
    const t = { q, size: blob.size, fits: blob.size <= maxBytes, blob };
    tried.push(t);
    if (t.fits) {
      lo = t;
      if (q >= maxQuality || (slack > 0 && t.size >= maxBytes * (1 - slack))) break;
    } else {
      hi = t;
      if (q <= minQuality) return { blob, quality: q, fits: false, tries: tried.length };
    }
    if (lo && hi && hi.q - lo.q <= precision + 1e-9) break;
    let next: number;
    if (lo && hi) {
      // Interpolate between the two sides (regula falsi); the side that has not moved for two tries
      // counts half as far from the target each time (the Illinois rule), so that both sides move.
      const [a, b] = tried.slice(-2).map((x) => x.fits);
      if (tried.length >= 3 && a === b) weight[a ? 'hi' : 'lo'] /= 2;
      else weight[t.fits ? 'hi' : 'lo'] = 1;
      const below = target - (target - lo.size) * weight.lo;
      const above = target + (hi.size - target) * weight.hi;
      next = lo.q + ((hi.q - lo.q) * (target - below)) / (above - below);
      // At least a precision step from either side (a step from lo that no longer fits ends the search).
      next = hi.q - lo.q < 2 * precision ? lo.q + precision : Math.min(hi.q - precision, Math.max(lo.q + precision, next));
      next = clamp(next, lo.q + 0.01, hi.q - 0.01);
    } else if (hi) {
      // Everything tried is too heavy: the size model from the lowest try, then the secant of the last two.
      const over = tried.filter((x) => !x.fits).sort((x, y) => x.q - y.q);
      const [p0, p1] = over;
      next = p1 && p1.size > p0!.size ? p0!.q - ((p0!.q - p1.q) * (p0!.size - target * 0.98)) / (p0!.size - p1.size) : predictQuality({ quality: hi.q, bytes: hi.size }, target);
      next = Math.max(minQuality, Math.min(round2(Math.min(next, hi.q - precision)), round2(hi.q - 0.01)));
    } else {
      // Everything tried fits (a hint started lower): upwards, by the size model.
      next = clamp(Math.max(predictQuality({ quality: lo!.q, bytes: lo!.size }, target), lo!.q + precision), lo!.q + 0.01, maxQuality);
    }
    if (tried.some((x) => x.q === next) || (lo && next <= lo.q) || (hi && next >= hi.q)) break;
    q = next;
  }
  if (lo) return { blob: lo.blob, quality: lo.q, fits: true, tries: tried.length };
  // Not reached: a search with nothing that fits ends on minQuality, returned above.
  throw new Error('JPEG quality search ended without a result');
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
 * Lossless: PNG at full size. Otherwise JPEG at the best quality that fits maxBytes (see
 * searchJpegQuality: one encoding when the first try fits); when even minQuality does not fit,
 * smaller copies (never narrower than minWidth, sized from the measured bytes per pixel) until one
 * fits — or the smallest allowed one, over budget, is returned.
 */
export async function encodeScreenshot(r: Rasteriser, options: EncodeOptions = {}): Promise<EncodedImage> {
  const { lossless = false, minWidth = MIN_EXPORT_WIDTH, hint, ...search } = options;
  const maxBytes = search.maxBytes ?? MAX_UPLOAD_BYTES;
  if (lossless) {
    const blob = await r.encode(r.width, r.height, 'image/png');
    return { blob, type: 'image/png', quality: null, width: r.width, height: r.height, bytes: blob.size, encodes: 1 };
  }
  let width = r.width;
  let height = r.height;
  let encodes = 0;
  const atSize = async (w: number, h: number, sizeHint: QualitySearchOptions['hint']) => {
    const found = await searchJpegQuality((q) => r.encode(w, h, 'image/jpeg', q), { ...search, ...(sizeHint ? { hint: sizeHint } : {}) });
    encodes += found.tries;
    return found;
  };
  let found = await atSize(width, height, hint);
  for (let round = 0; !found.fits && width > minWidth && round < 5; round++) {
    // JPEG weight is roughly proportional to the pixel count: aim a little under the budget.
    const ratio = Math.sqrt(maxBytes / found.blob.size) * 0.95;
    const before = width * height;
    width = Math.max(minWidth, Math.min(width - 1, Math.floor(width * ratio)));
    height = Math.max(1, Math.round((r.height * width) / r.width));
    found = await atSize(width, height, { quality: found.quality, bytes: (found.blob.size * width * height) / before });
  }
  return { blob: found.blob, type: 'image/jpeg', quality: found.quality, width, height, bytes: found.blob.size, encodes };
}

// ——— A capture sent as it is ———

/** What exportScreenshot needs to know of an encoded JPEG, read from its headers. */
export interface JpegInfo {
  width: number;
  height: number;
  /**
   * The IJG/libjpeg quality (0–1) whose standard tables it uses (as Chromium's capture and canvas
   * encoder, and most encoders, write them); null when its tables are not those.
   */
  quality: number | null;
  /**
   * Nothing but pixels: one baseline frame, one scan, and no segment other than JFIF (APP0), an
   * ICC colour profile (APP2), tables and restart markers — so no EXIF, XMP, comment or trailing
   * data. Only such a file may be sent unchanged (an imported photo's metadata never is).
   */
  plain: boolean;
}

/** IJG standard luminance quantisation table (natural order), libjpeg jcparam.c. */
const STD_LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55,
  64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
/** Zigzag index → natural index (DQT segments list their values in zigzag order). */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44,
  51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** The libjpeg quality (1–100) whose scaled standard luminance table is `zigzagTable`, or null. */
function ijgQuality(zigzagTable: readonly number[]): number | null {
  for (let q = 1; q <= 100; q++) {
    const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
    let same = true;
    for (let i = 0; i < 64 && same; i++) {
      const v = Math.min(255, Math.max(1, Math.floor((STD_LUMINANCE[ZIGZAG[i]!]! * scale + 50) / 100)));
      same = v === zigzagTable[i];
    }
    if (same) return q;
  }
  return null;
}

/** The segment body [at, end) starts with `text`. */
const startsWith = (b: Uint8Array, at: number, end: number, text: string) => at + text.length <= end && [...text].every((c, i) => b[at + i] === c.charCodeAt(0));

/** Reads a JPEG's headers; null when it is not a well-formed JPEG. */
export function readJpegInfo(b: Uint8Array): JpegInfo | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let plain = true;
  let frame: { width: number; height: number } | null = null;
  let quality: number | null = null;
  let i = 2;
  for (;;) {
    if (i + 4 > b.length || b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    const body = i + 4;
    const end = i + 2 + len;
    if (len < 2 || end > b.length) return null;
    if (marker === 0xda) {
      i = end;
      break;
    }
    if (marker === 0xc0 || marker === 0xc1) {
      if (frame || len < 8) return null;
      frame = { height: (b[body + 1]! << 8) | b[body + 2]!, width: (b[body + 3]! << 8) | b[body + 4]! };
    } else if (marker === 0xdb) {
      for (let t = body; t < end; ) {
        const precision = b[t]! >> 4;
        const id = b[t]! & 15;
        const size = precision ? 128 : 64;
        if (t + 1 + size > end) return null;
        if (id === 0) {
          const table = Array.from({ length: 64 }, (_, k) => (precision ? (b[t + 1 + 2 * k]! << 8) | b[t + 2 + 2 * k]! : b[t + 1 + k]!));
          quality = ijgQuality(table);
        }
        t += 1 + size;
      }
    } else if (marker === 0xe0) {
      plain &&= startsWith(b, body, end, 'JFIF\0');
    } else if (marker === 0xe2) {
      plain &&= startsWith(b, body, end, 'ICC_PROFILE\0');
    } else if (marker !== 0xc4 && marker !== 0xdd) {
      // Any other segment: EXIF/XMP (APP1), other APPn, comments, progressive or other frames.
      plain = false;
    }
    i = end;
  }
  if (!frame) return null;
  // The scan: only stuffed bytes (FF 00) and restart markers until the EOI that ends the file.
  for (; i < b.length - 1; i++) {
    if (b[i] !== 0xff) continue;
    const m = b[i + 1]!;
    if (m === 0x00 || (m >= 0xd0 && m <= 0xd7) || m === 0xff) continue;
    if (!(m === 0xd9 && i + 2 === b.length)) plain = false;
    break;
  }
  if (b[b.length - 2] !== 0xff || b[b.length - 1] !== 0xd9) plain = false;
  return { ...frame, quality: quality === null ? null : quality / 100, plain };
}

export interface ExportOptions {
  /** Lossless PNG, at full size, whatever its weight. */
  lossless?: boolean;
  maxBytes?: number;
  createCanvas?: CanvasFactory;
}

/**
 * The screenshot as it is sent (the popup's export, and the size its editor shows):
 * - nothing drawn, not lossless, and the image a plain JPEG (see JpegInfo) of the decoded size
 *   within maxBytes: its own bytes, unchanged (no encoding at all);
 * - otherwise the image with its shapes drawn (redactions burned into the pixels) and encoded by
 *   encodeScreenshot: once at the top quality, or, when the capture is over the budget, at the
 *   quality predicted from its size; a search only when that first try does not fit.
 */
export async function exportScreenshot(img: LoadedImage, shapes: readonly Shape[], options: ExportOptions = {}): Promise<EncodedImage> {
  const { lossless = false, maxBytes = MAX_UPLOAD_BYTES, createCanvas = createDomCanvas } = options;
  const original = img.blob;
  const info = original && original.type === 'image/jpeg' ? readJpegInfo(new Uint8Array(await original.arrayBuffer())) : null;
  const sameSize = !!info && info.width === img.width && info.height === img.height;
  if (original && info && sameSize && info.plain && info.quality !== null && !lossless && shapes.length === 0 && original.size <= maxBytes)
    return { blob: original, type: 'image/jpeg', quality: info.quality, width: img.width, height: img.height, bytes: original.size, encodes: 0 };
  const hint = original && info && sameSize && info.quality !== null ? { quality: info.quality, bytes: original.size } : undefined;
  return encodeScreenshot(canvasRasteriser(img.source, img, shapes, createCanvas), { lossless, maxBytes, slack: EXPORT_SLACK, ...(hint ? { hint } : {}) });
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
  /** The encoded bytes it was decoded from (exportScreenshot may send them as they are). */
  blob?: Blob;
  close(): void;
}

/** Decodes a screenshot data URL: an ImageBitmap where the browser has one, else an <img>. */
export async function loadImage(dataUrl: string): Promise<LoadedImage> {
  const blob = dataUrlToBlob(dataUrl);
  if (typeof createImageBitmap === 'function') {
    const bitmap = await createImageBitmap(blob);
    return { source: bitmap, width: bitmap.width, height: bitmap.height, blob, close: () => bitmap.close() };
  }
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, blob, close: () => undefined };
}

/** Kilobytes as shown to users ("≤ 250 Ko" is never shown for a file over the budget). */
export const kilobytes = (bytes: number) => Math.ceil(bytes / 1024);
