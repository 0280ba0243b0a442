import { describe, expect, it } from 'vitest';
import type { Shape } from '../../../lib/screenshot/annotations';
import { ANNOTATION_COLOR, redactionBox, renderAnnotated, strokeWidthFor } from '../../../lib/screenshot/render';
import { RecordingContext } from './fake-canvas';

const SIZE = { width: 1920, height: 1080 };
const IMAGE = { width: 1920, height: 1080 } as unknown as CanvasImageSource;
const redact = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'redact', x, y, w, h });
const isOpaqueBlack = (c: unknown) => typeof c === 'string' && /^(#000000|#000|black|rgb\(0, 0, 0\))$/i.test(c);

describe('renderAnnotated', () => {
  it('draws the image first, at its size times the scale', () => {
    const ctx = new RecordingContext();
    renderAnnotated(ctx, IMAGE, SIZE, [], { scale: 0.5 });
    const draws = ctx.draws();
    expect(draws).toHaveLength(1);
    expect(draws[0]).toMatchObject({ name: 'drawImage', args: [IMAGE, 0, 0, 960, 540], globalAlpha: 1 });
  });

  it('draws redactions last, opaque black, alpha 1, source-over, whatever the caller left on the context', () => {
    const ctx = new RecordingContext();
    ctx.globalAlpha = 0.2;
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = 'rgba(0, 0, 0, 0.5)';
    ctx.setTransform(2, 0, 0, 2, 30, 30);
    const shapes: Shape[] = [
      redact(10, 10, 100, 40),
      { kind: 'highlight', x: 5, y: 5, w: 300, h: 100 },
      redact(500, 500, 50, 50),
      { kind: 'arrow', x: 800, y: 800, w: -300, h: -300 },
    ];
    renderAnnotated(ctx, IMAGE, SIZE, shapes);
    const draws = ctx.draws();
    const redactions = draws.filter((o) => o.name === 'fillRect');
    expect(redactions).toHaveLength(2);
    // Nothing is drawn after the first redaction but other redactions.
    const first = draws.indexOf(redactions[0]!);
    expect(draws.slice(first).every((o) => o.name === 'fillRect')).toBe(true);
    for (const op of redactions) {
      expect(isOpaqueBlack(op.fillStyle)).toBe(true);
      expect(op.globalAlpha).toBe(1);
      expect(op.globalCompositeOperation).toBe('source-over');
      expect(op.transform).toEqual([1, 0, 0, 1, 0, 0]);
    }
    expect(redactions.map((o) => o.args)).toEqual([
      [10, 10, 100, 40],
      [500, 500, 50, 50],
    ]);
    // Every draw of the render, the image included, is at full opacity.
    expect(draws.every((o) => o.globalAlpha === 1 && o.globalCompositeOperation === 'source-over')).toBe(true);
  });

  it('covers whole output pixels when scaled (rounded outwards)', () => {
    const ctx = new RecordingContext();
    renderAnnotated(ctx, IMAGE, SIZE, [redact(11, 11, 11, 11)], { scale: 0.5 });
    // 5.5..11 → 5..11
    expect(ctx.draws().at(-1)!.args).toEqual([5, 5, 6, 6]);
    expect(redactionBox({ kind: 'redact', x: 3, y: 3, w: 3, h: 3 }, 1 / 3)).toEqual({ x: 1, y: 1, w: 1, h: 1 });
  });

  it('outlines a highlight without filling it, inside its edges', () => {
    const ctx = new RecordingContext();
    renderAnnotated(ctx, IMAGE, SIZE, [{ kind: 'highlight', x: 100, y: 100, w: 200, h: 50 }], { strokeWidth: 6 });
    const draws = ctx.draws();
    expect(draws.map((o) => o.name)).toEqual(['drawImage', 'strokeRect']);
    expect(draws[1]).toMatchObject({ args: [103, 103, 194, 44], strokeStyle: ANNOTATION_COLOR, lineWidth: 6, globalAlpha: 1 });
  });

  it('draws an arrow as a shaft and a filled head whose tip is the end point', () => {
    const ctx = new RecordingContext();
    renderAnnotated(ctx, IMAGE, SIZE, [{ kind: 'arrow', x: 400, y: 300, w: -200, h: 0 }], { strokeWidth: 5 });
    expect(ctx.draws().map((o) => o.name)).toEqual(['drawImage', 'stroke', 'fill']);
    const moves = ctx.ops.filter((o) => o.name === 'moveTo').map((o) => o.args);
    expect(moves).toEqual([
      [400, 300], // shaft from the start
      [200, 300], // head from the tip
    ]);
    const head = ctx.ops.filter((o) => o.name === 'lineTo').slice(1).map((o) => o.args as number[]);
    // Head base 4 × 5 px behind the tip, on both sides of the shaft.
    expect(head.map(([x]) => x)).toEqual([220, 220]);
    expect(head[0]![1]! + head[1]![1]!).toBeCloseTo(600);
    expect(ctx.ops.find((o) => o.name === 'fill')!.fillStyle).toBe(ANNOTATION_COLOR);
  });

  it('leaves the context as it found it', () => {
    const ctx = new RecordingContext();
    ctx.globalAlpha = 0.4;
    ctx.fillStyle = '#123456';
    renderAnnotated(ctx, IMAGE, SIZE, [redact(1, 1, 9, 9)]);
    expect(ctx.globalAlpha).toBe(0.4);
    expect(ctx.fillStyle).toBe('#123456');
    expect(ctx.ops[0]!.name).toBe('save');
    expect(ctx.ops.at(-1)!.name).toBe('restore');
  });

  it('scales the outline with the image', () => {
    expect(strokeWidthFor({ width: 1920, height: 1080 })).toBe(6);
    expect(strokeWidthFor({ width: 3840, height: 2160 })).toBe(12);
    expect(strokeWidthFor({ width: 400, height: 300 })).toBe(3);
  });
});
