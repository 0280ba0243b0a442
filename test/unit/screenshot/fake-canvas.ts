import type { Canvas2D } from '../../../lib/screenshot/render';

/** One call on the fake context, with the drawing state in force when it was made. */
export interface Op {
  name: string;
  args: unknown[];
  fillStyle: unknown;
  strokeStyle: unknown;
  globalAlpha: number;
  globalCompositeOperation: string;
  lineWidth: number;
  transform: number[];
}

/** A recording stand-in for CanvasRenderingContext2D (happy-dom has no canvas). */
export class RecordingContext implements Canvas2D {
  ops: Op[] = [];
  fillStyle: string | CanvasGradient | CanvasPattern = '#000000';
  strokeStyle: string | CanvasGradient | CanvasPattern = '#000000';
  lineWidth = 1;
  lineJoin: CanvasLineJoin = 'miter';
  lineCap: CanvasLineCap = 'butt';
  globalAlpha = 1;
  globalCompositeOperation: GlobalCompositeOperation = 'source-over';
  shadowBlur = 0;
  shadowColor = 'rgba(0, 0, 0, 0)';
  filter = 'none';
  imageSmoothingEnabled = true;
  imageSmoothingQuality: ImageSmoothingQuality = 'low';
  private transform = [1, 0, 0, 1, 0, 0];
  private stack: Record<string, unknown>[] = [];
  private static readonly STATE = [
    'fillStyle', 'strokeStyle', 'lineWidth', 'lineJoin', 'lineCap', 'globalAlpha', 'globalCompositeOperation',
    'shadowBlur', 'shadowColor', 'filter', 'imageSmoothingEnabled', 'imageSmoothingQuality', 'transform',
  ] as const;

  private record(name: string, args: unknown[]) {
    this.ops.push({
      name,
      args,
      fillStyle: this.fillStyle,
      strokeStyle: this.strokeStyle,
      globalAlpha: this.globalAlpha,
      globalCompositeOperation: this.globalCompositeOperation,
      lineWidth: this.lineWidth,
      transform: [...this.transform],
    });
  }

  save() {
    this.stack.push(Object.fromEntries(RecordingContext.STATE.map((k) => [k, this[k]])));
    this.record('save', []);
  }
  restore() {
    const state = this.stack.pop();
    if (state) Object.assign(this, state);
    this.record('restore', []);
  }
  setTransform(...args: unknown[]) {
    if (args.length === 6) this.transform = args as number[];
    this.record('setTransform', args);
  }
  drawImage(...args: unknown[]) {
    this.record('drawImage', args);
  }
  fillRect(...args: number[]) {
    this.record('fillRect', args);
  }
  strokeRect(...args: number[]) {
    this.record('strokeRect', args);
  }
  beginPath() {
    this.record('beginPath', []);
  }
  moveTo(...args: number[]) {
    this.record('moveTo', args);
  }
  lineTo(...args: number[]) {
    this.record('lineTo', args);
  }
  closePath() {
    this.record('closePath', []);
  }
  fill() {
    this.record('fill', []);
  }
  stroke() {
    this.record('stroke', []);
  }
  setLineDash(segments: number[]) {
    this.record('setLineDash', [segments]);
  }

  /** Names of the drawing calls (state calls left out). */
  draws(): Op[] {
    return this.ops.filter((o) => ['drawImage', 'fillRect', 'strokeRect', 'stroke', 'fill'].includes(o.name));
  }
}
