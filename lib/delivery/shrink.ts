/**
 * Re-encodes a screenshot smaller after Zammad (nginx) answered 413, in the background worker:
 * createImageBitmap + OffscreenCanvas, no DOM. JPEG gets a lower quality and a smaller size; PNG
 * stays lossless and only gets smaller (the file name and type are kept: context.json and
 * report.html refer to the screenshots by name).
 */

export interface ShrinkStep {
  /** Longest edge, in pixels. */
  maxEdge: number;
  /** JPEG quality. */
  quality: number;
}

/** Level 1, 2, 3…: each one smaller. */
export const SHRINK_STEPS: readonly ShrinkStep[] = [
  { maxEdge: 1600, quality: 0.7 },
  { maxEdge: 1280, quality: 0.55 },
  { maxEdge: 960, quality: 0.45 },
  { maxEdge: 720, quality: 0.4 },
];

export function stepFor(level: number): ShrinkStep {
  return SHRINK_STEPS[Math.min(Math.max(level, 1), SHRINK_STEPS.length) - 1]!;
}

/** The size to draw at: fits `maxEdge`, never enlarged. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export const SHRINKABLE = /^image\/(jpeg|png|webp)$/;

/**
 * A smaller encoding of `blob` at `level`, or null when it cannot be made smaller here (no
 * OffscreenCanvas, not an image, or the result is not lighter).
 */
export async function shrinkImage(blob: Blob, mimeType: string, level: number): Promise<Blob | null> {
  if (!SHRINKABLE.test(mimeType) || typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap === 'undefined') return null;
  const step = stepFor(level);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    return null;
  }
  try {
    const size = fitWithin(bitmap.width, bitmap.height, step.maxEdge);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    const out = await canvas.convertToBlob(mimeType === 'image/png' ? { type: mimeType } : { type: mimeType, quality: step.quality });
    // A browser that cannot write this type falls back to PNG: keep the name and the type honest.
    return out.type === mimeType && out.size < blob.size ? out : null;
  } finally {
    bitmap.close();
  }
}
