/**
 * Screenshot annotations: a pure model of the shapes a user draws on a screenshot, in image pixel
 * coordinates (the captured image's own pixels, not the on-screen size of its preview), and an
 * editor state with undo/redo. No DOM here: the editor component and the renderer use it.
 */
import { z } from 'zod';

export const SHAPE_KINDS = ['highlight', 'arrow', 'redact'] as const;
export const ShapeKindSchema = z.enum(SHAPE_KINDS);
export type ShapeKind = z.infer<typeof ShapeKindSchema>;

/** Largest coordinate accepted (a screenshot is never wider or taller than this). */
export const MAX_COORD = 32_767;
/** Most shapes one screenshot can carry. */
export const MAX_SHAPES = 200;
/** Smallest rectangle side (image px): a click, or a slip of the mouse, adds nothing. */
export const MIN_RECT_SIDE = 4;
/** Shortest arrow (image px). */
export const MIN_ARROW_LENGTH = 8;
/** Undo depth. */
export const MAX_HISTORY = 100;

const coord = z.number().int().min(0).max(MAX_COORD);
const side = z.number().int().min(1).max(MAX_COORD);
const delta = z.number().int().min(-MAX_COORD).max(MAX_COORD);

/** Highlight (outlined) or redaction (blacked out): a normalised rectangle, x,y its top-left corner. */
export const RectShapeSchema = z.object({ kind: z.enum(['highlight', 'redact']), x: coord, y: coord, w: side, h: side });
/** An arrow from (x, y) to (x + w, y + h): w and h keep their sign, the direction matters. */
export const ArrowShapeSchema = z
  .object({ kind: z.literal('arrow'), x: coord, y: coord, w: delta, h: delta })
  .refine((s) => s.w !== 0 || s.h !== 0, { message: 'empty arrow' });
export const ShapeSchema = z.union([RectShapeSchema, ArrowShapeSchema]);
export type RectShape = z.infer<typeof RectShapeSchema>;
export type ArrowShape = z.infer<typeof ArrowShapeSchema>;
export type Shape = z.infer<typeof ShapeSchema>;
export const ShapesSchema = z.array(ShapeSchema).max(MAX_SHAPES);

export interface Point {
  x: number;
  y: number;
}
export interface Size {
  width: number;
  height: number;
}

export const ImageSizeSchema = z.object({
  width: z.number().int().min(1).max(MAX_COORD),
  height: z.number().int().min(1).max(MAX_COORD),
});

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const finite = (v: number) => (Number.isFinite(v) ? v : 0);

/** A point moved inside the image (edges included): x in [0, width], y in [0, height]. */
export function clampPoint(p: Point, size: Size): Point {
  return { x: clamp(finite(p.x), 0, size.width), y: clamp(finite(p.y), 0, size.height) };
}

/**
 * The rectangle two corners span, whichever way the drag went, rounded outwards to whole pixels
 * (a redaction then covers every pixel it touches, with no anti-aliased, half-visible edge).
 */
export function normaliseRect(a: Point, b: Point): { x: number; y: number; w: number; h: number } {
  const x = Math.floor(Math.min(a.x, b.x));
  const y = Math.floor(Math.min(a.y, b.y));
  return { x, y, w: Math.ceil(Math.max(a.x, b.x)) - x, h: Math.ceil(Math.max(a.y, b.y)) - y };
}

/**
 * The shape a drag from `start` to `end` draws, both points first clamped to the image; null when
 * it is too small to mean anything (a click): a rectangle needs both sides ≥ minSide, an arrow a
 * length ≥ minLength.
 */
export function shapeFromDrag(
  kind: ShapeKind,
  start: Point,
  end: Point,
  size: Size,
  { minSide = MIN_RECT_SIDE, minLength = MIN_ARROW_LENGTH }: { minSide?: number; minLength?: number } = {},
): Shape | null {
  const a = clampPoint(start, size);
  const b = clampPoint(end, size);
  if (kind === 'arrow') {
    const x = Math.round(a.x);
    const y = Math.round(a.y);
    const w = Math.round(b.x) - x;
    const h = Math.round(b.y) - y;
    if (Math.hypot(w, h) < Math.max(1, minLength)) return null;
    return { kind, x, y, w, h };
  }
  const r = normaliseRect(a, b);
  if (r.w < Math.max(1, minSide) || r.h < Math.max(1, minSide)) return null;
  return { kind, ...r };
}

/**
 * A shape cut to the image (e.g. shapes restored for a screenshot of another size): rectangles are
 * intersected with it, arrow ends moved inside it. Null when nothing of it is left.
 */
export function clampShape(shape: Shape, size: Size): Shape | null {
  if (shape.kind === 'arrow') {
    return shapeFromDrag('arrow', shape, { x: shape.x + shape.w, y: shape.y + shape.h }, size, { minLength: 1 });
  }
  return shapeFromDrag(shape.kind, shape, { x: shape.x + shape.w, y: shape.y + shape.h }, size, { minSide: 1 });
}

/** Untrusted shapes (storage, messages): the valid ones, clamped to the image; the rest dropped. */
export function parseShapes(input: unknown, size: Size): Shape[] {
  if (!Array.isArray(input)) return [];
  const out: Shape[] = [];
  for (const item of input.slice(0, MAX_SHAPES)) {
    const parsed = ShapeSchema.safeParse(item);
    const shape = parsed.success ? clampShape(parsed.data, size) : null;
    if (shape) out.push(shape);
  }
  return out;
}

/** Redactions last: whatever else is drawn, nothing ends up on top of a blacked-out area. */
export function paintOrder(shapes: readonly Shape[]): Shape[] {
  return [...shapes.filter((s) => s.kind !== 'redact'), ...shapes.filter((s) => s.kind === 'redact')];
}

// ——— Editor state: an undo/redo history of shape lists ———

export interface EditorState {
  /** What is drawn now. */
  readonly shapes: readonly Shape[];
  /** Earlier shape lists, most recent last. */
  readonly past: readonly (readonly Shape[])[];
  /** Undone shape lists, the next to redo last. */
  readonly future: readonly (readonly Shape[])[];
}

export function createEditorState(shapes: readonly Shape[] = []): EditorState {
  return { shapes: [...shapes], past: [], future: [] };
}

function commit(state: EditorState, shapes: readonly Shape[]): EditorState {
  return { shapes, past: [...state.past, state.shapes].slice(-MAX_HISTORY), future: [] };
}

/** Adds a shape (undoable); drops any redo. Beyond MAX_SHAPES nothing is added. */
export function addShape(state: EditorState, shape: Shape): EditorState {
  if (state.shapes.length >= MAX_SHAPES) return state;
  return commit(state, [...state.shapes, shape]);
}

/** Removes every shape, itself undoable. A no-op when there is nothing to clear. */
export function clearShapes(state: EditorState): EditorState {
  return state.shapes.length === 0 ? state : commit(state, []);
}

export function undo(state: EditorState): EditorState {
  const previous = state.past.at(-1);
  if (!previous) return state;
  return { shapes: previous, past: state.past.slice(0, -1), future: [...state.future, state.shapes] };
}

export function redo(state: EditorState): EditorState {
  const next = state.future.at(-1);
  if (!next) return state;
  return { shapes: next, past: [...state.past, state.shapes], future: state.future.slice(0, -1) };
}

export const canUndo = (state: EditorState) => state.past.length > 0;
export const canRedo = (state: EditorState) => state.future.length > 0;

export type EditorAction = { type: 'add'; shape: Shape } | { type: 'undo' } | { type: 'redo' } | { type: 'clear' };

/** The history as a reducer (for React's useReducer). */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'add':
      return addShape(state, action.shape);
    case 'undo':
      return undo(state);
    case 'redo':
      return redo(state);
    case 'clear':
      return clearShapes(state);
  }
}
