import { describe, expect, it } from 'vitest';
import {
  MAX_HISTORY,
  MAX_SHAPES,
  addShape,
  canRedo,
  canUndo,
  clampPoint,
  clampShape,
  clearShapes,
  createEditorState,
  editorReducer,
  normaliseRect,
  paintOrder,
  parseShapes,
  redo,
  shapeFromDrag,
  ShapeSchema,
  undo,
  type Shape,
} from '../../../lib/screenshot/annotations';

const SIZE = { width: 1920, height: 1080 };
const hl = (x: number, y: number, w = 10, h = 10): Shape => ({ kind: 'highlight', x, y, w, h });

describe('drag normalisation', () => {
  it('gives the same rectangle whichever corner the drag starts from', () => {
    const expected = { kind: 'highlight', x: 100, y: 50, w: 200, h: 80 };
    expect(shapeFromDrag('highlight', { x: 100, y: 50 }, { x: 300, y: 130 }, SIZE)).toEqual(expected);
    expect(shapeFromDrag('highlight', { x: 300, y: 130 }, { x: 100, y: 50 }, SIZE)).toEqual(expected);
    expect(shapeFromDrag('highlight', { x: 300, y: 50 }, { x: 100, y: 130 }, SIZE)).toEqual(expected);
    expect(shapeFromDrag('highlight', { x: 100, y: 130 }, { x: 300, y: 50 }, SIZE)).toEqual(expected);
  });

  it('rounds rectangles outwards to whole pixels (a redaction covers every pixel it touches)', () => {
    expect(normaliseRect({ x: 10.7, y: 20.2 }, { x: 5.4, y: 30.1 })).toEqual({ x: 5, y: 20, w: 6, h: 11 });
    expect(shapeFromDrag('redact', { x: 10.5, y: 10.5 }, { x: 20.5, y: 20.5 }, SIZE)).toEqual({ kind: 'redact', x: 10, y: 10, w: 11, h: 11 });
  });

  it('keeps an arrow’s direction: from the start point to the end point', () => {
    expect(shapeFromDrag('arrow', { x: 300, y: 200 }, { x: 100, y: 50 }, SIZE)).toEqual({ kind: 'arrow', x: 300, y: 200, w: -200, h: -150 });
    expect(shapeFromDrag('arrow', { x: 10, y: 10 }, { x: 60, y: 10 }, SIZE)).toEqual({ kind: 'arrow', x: 10, y: 10, w: 50, h: 0 });
  });

  it('adds nothing for a click or a tiny drag', () => {
    expect(shapeFromDrag('highlight', { x: 50, y: 50 }, { x: 50, y: 50 }, SIZE)).toBeNull();
    expect(shapeFromDrag('redact', { x: 50, y: 50 }, { x: 52, y: 52 }, SIZE)).toBeNull();
    expect(shapeFromDrag('highlight', { x: 50, y: 50 }, { x: 300, y: 51 }, SIZE)).toBeNull(); // a line, not a box
    expect(shapeFromDrag('arrow', { x: 50, y: 50 }, { x: 53, y: 54 }, SIZE)).toBeNull();
    expect(shapeFromDrag('highlight', { x: 50, y: 50 }, { x: 60, y: 60 }, SIZE, { minSide: 20 })).toBeNull();
    expect(shapeFromDrag('highlight', { x: 50, y: 50 }, { x: 54, y: 54 }, SIZE)).not.toBeNull();
  });
});

describe('clamping to the image', () => {
  it('moves points inside the image, NaN included', () => {
    expect(clampPoint({ x: -20, y: 5000 }, SIZE)).toEqual({ x: 0, y: 1080 });
    expect(clampPoint({ x: Number.NaN, y: Number.POSITIVE_INFINITY }, SIZE)).toEqual({ x: 0, y: 0 });
  });

  it('cuts a drag that leaves the image at its edges', () => {
    expect(shapeFromDrag('redact', { x: 1800, y: 1000 }, { x: 2500, y: 1400 }, SIZE)).toEqual({ kind: 'redact', x: 1800, y: 1000, w: 120, h: 80 });
    expect(shapeFromDrag('highlight', { x: 40, y: 30 }, { x: -100, y: -100 }, SIZE)).toEqual({ kind: 'highlight', x: 0, y: 0, w: 40, h: 30 });
    expect(shapeFromDrag('arrow', { x: 100, y: 100 }, { x: 3000, y: -50 }, SIZE)).toEqual({ kind: 'arrow', x: 100, y: 100, w: 1820, h: -100 });
  });

  it('a drag entirely outside the image adds nothing', () => {
    expect(shapeFromDrag('highlight', { x: 2000, y: 10 }, { x: 2100, y: 100 }, SIZE)).toBeNull();
  });

  it('cuts stored shapes to a smaller image, dropping those left outside', () => {
    const small = { width: 800, height: 600 };
    expect(clampShape({ kind: 'redact', x: 700, y: 500, w: 300, h: 300 }, small)).toEqual({ kind: 'redact', x: 700, y: 500, w: 100, h: 100 });
    expect(clampShape({ kind: 'highlight', x: 900, y: 10, w: 50, h: 50 }, small)).toBeNull();
    expect(clampShape({ kind: 'arrow', x: 10, y: 10, w: 1000, h: 0 }, small)).toEqual({ kind: 'arrow', x: 10, y: 10, w: 790, h: 0 });
  });

  it('parseShapes keeps only valid shapes, clamped', () => {
    const input = [
      hl(10, 10),
      { kind: 'redact', x: 1900, y: 1070, w: 100, h: 100 },
      { kind: 'circle', x: 1, y: 1, w: 10, h: 10 },
      { kind: 'highlight', x: -5, y: 1, w: 10, h: 10 },
      { kind: 'highlight', x: 1, y: 1, w: 0, h: 10 },
      { kind: 'arrow', x: 1, y: 1, w: 0, h: 0 },
      { kind: 'highlight', x: 1.5, y: 1, w: 10, h: 10 },
      'nonsense',
    ];
    expect(parseShapes(input, SIZE)).toEqual([hl(10, 10), { kind: 'redact', x: 1900, y: 1070, w: 20, h: 10 }]);
    expect(parseShapes({ not: 'an array' }, SIZE)).toEqual([]);
  });

  it('the schema accepts arrows in any direction but rectangles only normalised', () => {
    expect(ShapeSchema.safeParse({ kind: 'arrow', x: 10, y: 10, w: -5, h: -5 }).success).toBe(true);
    expect(ShapeSchema.safeParse({ kind: 'redact', x: 10, y: 10, w: -5, h: 5 }).success).toBe(false);
  });
});

describe('editor history', () => {
  it('undoes and redoes additions in order', () => {
    let s = createEditorState();
    s = addShape(s, hl(1, 1));
    s = addShape(s, hl(2, 2));
    s = addShape(s, hl(3, 3));
    expect(s.shapes).toEqual([hl(1, 1), hl(2, 2), hl(3, 3)]);
    s = undo(undo(s));
    expect(s.shapes).toEqual([hl(1, 1)]);
    expect(canRedo(s)).toBe(true);
    s = redo(s);
    expect(s.shapes).toEqual([hl(1, 1), hl(2, 2)]);
    s = undo(undo(undo(undo(s)))); // past the beginning: stays empty
    expect(s.shapes).toEqual([]);
    expect(canUndo(s)).toBe(false);
    s = redo(redo(redo(redo(s))));
    expect(s.shapes).toEqual([hl(1, 1), hl(2, 2), hl(3, 3)]);
    expect(canRedo(s)).toBe(false);
  });

  it('a new shape after an undo drops the redo branch', () => {
    let s = addShape(addShape(createEditorState(), hl(1, 1)), hl(2, 2));
    s = undo(s);
    s = addShape(s, hl(9, 9));
    expect(s.shapes).toEqual([hl(1, 1), hl(9, 9)]);
    expect(canRedo(s)).toBe(false);
    expect(redo(s)).toBe(s);
  });

  it('clearing is undoable, and a no-op when empty', () => {
    const empty = createEditorState();
    expect(clearShapes(empty)).toBe(empty);
    let s = addShape(addShape(empty, hl(1, 1)), hl(2, 2));
    s = clearShapes(s);
    expect(s.shapes).toEqual([]);
    s = undo(s);
    expect(s.shapes).toEqual([hl(1, 1), hl(2, 2)]);
    s = redo(s);
    expect(s.shapes).toEqual([]);
  });

  it('never mutates a previous state', () => {
    const a = addShape(createEditorState(), hl(1, 1));
    const frozen = JSON.stringify(a);
    const b = addShape(a, hl(2, 2));
    undo(b);
    clearShapes(b);
    expect(JSON.stringify(a)).toBe(frozen);
  });

  it('starts from initial shapes without history, and bounds history and shape count', () => {
    const s0 = createEditorState([hl(5, 5)]);
    expect(s0.shapes).toEqual([hl(5, 5)]);
    expect(canUndo(s0)).toBe(false);
    let s = createEditorState();
    for (let i = 0; i < MAX_SHAPES + 10; i++) s = addShape(s, hl(i, 0));
    expect(s.shapes).toHaveLength(MAX_SHAPES);
    expect(s.past).toHaveLength(MAX_HISTORY);
  });

  it('works as a reducer', () => {
    let s = createEditorState();
    s = editorReducer(s, { type: 'add', shape: hl(1, 1) });
    s = editorReducer(s, { type: 'add', shape: hl(2, 2) });
    s = editorReducer(s, { type: 'undo' });
    expect(s.shapes).toEqual([hl(1, 1)]);
    s = editorReducer(s, { type: 'redo' });
    s = editorReducer(s, { type: 'clear' });
    expect(s.shapes).toEqual([]);
  });

  it('paints redactions after everything else', () => {
    const r: Shape = { kind: 'redact', x: 0, y: 0, w: 5, h: 5 };
    const a: Shape = { kind: 'arrow', x: 0, y: 0, w: 50, h: 5 };
    expect(paintOrder([r, hl(1, 1), a]).map((s) => s.kind)).toEqual(['highlight', 'arrow', 'redact']);
  });
});
