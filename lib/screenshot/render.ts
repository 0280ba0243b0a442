/**
 * Draws a screenshot and its annotations onto a 2D canvas context. The context is a structural
 * type (the few members used), so tests pass a recording fake and the editor a real canvas.
 *
 * Redactions are drawn last, opaque black, with alpha 1 and plain source-over compositing, on
 * whole output pixels: once the canvas is exported, the hidden pixels are gone from the image, not
 * covered by a layer that could be peeled off or seen through.
 */
import { paintOrder, type ArrowShape, type RectShape, type Shape, type Size } from './annotations';

/** The members of CanvasRenderingContext2D (or OffscreenCanvasRenderingContext2D) used here. */
export type Canvas2D = Pick<
  CanvasRenderingContext2D,
  | 'save'
  | 'restore'
  | 'setTransform'
  | 'drawImage'
  | 'fillRect'
  | 'strokeRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'closePath'
  | 'fill'
  | 'stroke'
  | 'setLineDash'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'lineJoin'
  | 'lineCap'
  | 'globalAlpha'
  | 'globalCompositeOperation'
  | 'shadowBlur'
  | 'shadowColor'
  | 'filter'
  | 'imageSmoothingEnabled'
  | 'imageSmoothingQuality'
>;

/** Colour of highlights and arrows: a strong red that stands out on the Axialys blues and greys. */
export const ANNOTATION_COLOR = '#e0191f';
/** Redactions: opaque black. */
export const REDACT_COLOR = '#000000';

/** Outline width (image px) for an image of that size: readable once the preview is scaled down. */
export function strokeWidthFor(size: Size): number {
  return Math.max(3, Math.round(Math.max(size.width, size.height) / 320));
}

export interface RenderOptions {
  /** Output pixels per image pixel (< 1 when exporting a downscaled copy, or for a small preview). */
  scale?: number;
  /** Overrides strokeWidthFor(image size), in image px. */
  strokeWidth?: number;
}

/** A plain, opaque state: whatever a previous drawing left on the context does not leak in. */
function reset(ctx: Canvas2D): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.shadowBlur = 0;
  ctx.shadowColor = 'transparent';
  ctx.filter = 'none';
  ctx.setLineDash([]);
}

function drawHighlight(ctx: Canvas2D, s: RectShape, scale: number, width: number): void {
  // Outline only, drawn inside the rectangle's edge so the marked text stays uncovered and legible.
  const half = width / 2;
  ctx.strokeStyle = ANNOTATION_COLOR;
  ctx.lineWidth = width;
  ctx.lineJoin = 'miter';
  ctx.strokeRect(s.x * scale + half, s.y * scale + half, Math.max(0, s.w * scale - width), Math.max(0, s.h * scale - width));
}

function drawArrow(ctx: Canvas2D, s: ArrowShape, scale: number, width: number): void {
  const x0 = s.x * scale;
  const y0 = s.y * scale;
  const x1 = (s.x + s.w) * scale;
  const y1 = (s.y + s.h) * scale;
  const length = Math.hypot(x1 - x0, y1 - y0);
  if (length === 0) return;
  const ux = (x1 - x0) / length;
  const uy = (y1 - y0) / length;
  const head = Math.min(width * 4, length * 0.6);
  const spread = head * 0.55;
  const bx = x1 - ux * head; // base of the head, where the shaft stops (no blunt line tip past the point)
  const by = y1 - uy * head;
  ctx.strokeStyle = ANNOTATION_COLOR;
  ctx.fillStyle = ANNOTATION_COLOR;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(bx + ux * 1, by + uy * 1);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(bx - uy * spread, by + ux * spread);
  ctx.lineTo(bx + uy * spread, by - ux * spread);
  ctx.closePath();
  ctx.fill();
}

/** The redaction in output pixels, rounded outwards to whole pixels (no half-covered edge). */
export function redactionBox(s: RectShape, scale: number): { x: number; y: number; w: number; h: number } {
  const x = Math.floor(s.x * scale);
  const y = Math.floor(s.y * scale);
  return { x, y, w: Math.ceil((s.x + s.w) * scale) - x, h: Math.ceil((s.y + s.h) * scale) - y };
}

/**
 * Draws the image at `size` × scale, then highlights and arrows, then every redaction. The context
 * is expected to be (at least) size × scale pixels; nothing is cleared beyond what the image covers.
 */
export function renderAnnotated(ctx: Canvas2D, image: CanvasImageSource, size: Size, shapes: readonly Shape[], options: RenderOptions = {}): void {
  const scale = options.scale ?? 1;
  const width = (options.strokeWidth ?? strokeWidthFor(size)) * scale;
  ctx.save();
  reset(ctx);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, size.width * scale, size.height * scale);
  const ordered = paintOrder(shapes);
  for (const s of ordered) {
    if (s.kind === 'highlight') drawHighlight(ctx, s, scale, width);
    else if (s.kind === 'arrow') drawArrow(ctx, s, scale, width);
  }
  for (const s of ordered) {
    if (s.kind !== 'redact') continue;
    reset(ctx);
    ctx.fillStyle = REDACT_COLOR;
    const box = redactionBox(s, scale);
    ctx.fillRect(box.x, box.y, box.w, box.h);
  }
  ctx.restore();
}
