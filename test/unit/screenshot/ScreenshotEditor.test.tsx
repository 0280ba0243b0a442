import fs from 'node:fs';
import path from 'node:path';
import { act, createRef } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScreenshotEditor, type ScreenshotEditorHandle, type ScreenshotEditorValue } from '../../../components/ScreenshotEditor';
import type { CanvasLike, LoadedImage } from '../../../lib/screenshot/encode';
import { RecordingContext } from './fake-canvas';
import { CHROMIUM_JPEG_Q92, jpegBytes } from './jpeg-fixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const IMAGE: LoadedImage = { source: {} as CanvasImageSource, width: 1920, height: 1080, close: vi.fn() };
const loadImage = async () => IMAGE;
const createCanvas = (width: number, height: number): CanvasLike => ({
  width,
  height,
  getContext: () => new RecordingContext(),
  toBlob: (cb, type, quality) => cb(new Blob([new Uint8Array(Math.round((width * height * (type === 'image/png' ? 1 : (quality ?? 0.9))) / 10))], { type })),
});

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

async function mount(onChange = vi.fn<(v: ScreenshotEditorValue) => void>(), load: (dataUrl: string) => Promise<LoadedImage> = loadImage, create = createCanvas) {
  const ref = createRef<ScreenshotEditorHandle>();
  await act(async () => {
    root.render(<ScreenshotEditor dataUrl="data:image/png;base64,AAAA" onChange={onChange} ref={ref} loadImage={load} createCanvas={create} />);
  });
  const canvas = container.querySelector('canvas')!;
  // The preview is drawn at half size on screen: one CSS px = 2 image px.
  canvas.getBoundingClientRect = () => ({ left: 10, top: 20, width: 960, height: 540, right: 970, bottom: 560, x: 10, y: 20, toJSON: () => ({}) });
  return { ref, onChange, canvas };
}

const pointer = (el: Element, type: string, clientX: number, clientY: number) =>
  act(() => {
    el.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, clientX, clientY, pointerId: 7, button: 0 }));
  });
const key = (el: Element, k: string, extra: KeyboardEventInit = {}) =>
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: k, ctrlKey: true, ...extra }));
  });
const button = (label: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === label)!;

describe('ScreenshotEditor', () => {
  it('shows tools with aria-pressed and a labelled canvas', async () => {
    const { canvas } = await mount();
    expect(canvas.getAttribute('aria-label')).toBeTruthy();
    expect(canvas.width).toBeLessThanOrEqual(1920);
    const tools = [...container.querySelectorAll('button[data-tool]')];
    expect(tools.map((b) => b.getAttribute('aria-pressed'))).toEqual(['true', 'false', 'false']);
    await act(() => (tools[2] as HTMLButtonElement).click());
    expect(tools.map((b) => b.getAttribute('aria-pressed'))).toEqual(['false', 'false', 'true']);
    expect(button('editorUndo').disabled).toBe(true);
    expect(button('editorRedo').disabled).toBe(true);
    expect(button('editorClear').disabled).toBe(true);
  });

  it('draws with a pointer drag in image coordinates; Ctrl+Z undoes, Ctrl+Y redoes', async () => {
    const { canvas, onChange } = await mount();
    await act(() => (container.querySelector('button[data-tool="redact"]') as HTMLButtonElement).click());
    await pointer(canvas, 'pointerdown', 110, 70);
    await pointer(canvas, 'pointermove', 200, 100);
    await pointer(canvas, 'pointerup', 60, 40); // dragged up-left past the start
    const redact = { kind: 'redact', x: 100, y: 40, w: 100, h: 60 };
    expect(onChange).toHaveBeenLastCalledWith({ shapes: [redact], lossless: false });

    await key(canvas, 'z');
    expect(onChange).toHaveBeenLastCalledWith({ shapes: [], lossless: false });
    await key(canvas, 'y');
    expect(onChange).toHaveBeenLastCalledWith({ shapes: [redact], lossless: false });
    await key(canvas, 'Z', { shiftKey: true, ctrlKey: false, metaKey: true }); // redo with nothing to redo
    expect(onChange).toHaveBeenCalledTimes(3);
    await act(() => button('editorClear').click());
    expect(onChange).toHaveBeenLastCalledWith({ shapes: [], lossless: false });
    await act(() => button('editorUndo').click());
    expect(onChange).toHaveBeenLastCalledWith({ shapes: [redact], lossless: false });
  });

  it('a click adds nothing', async () => {
    const { canvas, onChange } = await mount();
    await pointer(canvas, 'pointerdown', 300, 300);
    await pointer(canvas, 'pointerup', 301, 301);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('exports JPEG by default and PNG once "lossless" is ticked, and shows the size', async () => {
    const { ref, onChange } = await mount();
    const jpeg = await ref.current!.exportImage();
    expect(jpeg.type).toBe('image/jpeg');
    expect(jpeg.bytes).toBeLessThanOrEqual(250 * 1024);
    expect(await ref.current!.exportImage()).toBe(jpeg); // unchanged: same encoding

    const box = container.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    await act(() => box.click());
    expect(onChange).toHaveBeenLastCalledWith({ shapes: [], lossless: true });
    const png = await ref.current!.exportImage();
    expect(png).toMatchObject({ type: 'image/png', quality: null, width: 1920, height: 1080 });

    await act(() => new Promise((r) => setTimeout(r, 450)));
    expect(container.querySelector('[data-testid="editor-size"]')!.textContent).toContain('editorSizePng');
  });

  it('exports the capture unchanged while nothing is drawn; a redaction makes a new, redacted encoding', async () => {
    // A captured JPEG (16×8, quality 92, as tabs.captureVisibleTab gives it) and its decoded image.
    const blob = new Blob([jpegBytes(CHROMIUM_JPEG_Q92)], { type: 'image/jpeg' });
    const captured: LoadedImage = { source: {} as CanvasImageSource, width: 16, height: 8, blob, close: vi.fn() };
    const contexts: RecordingContext[] = [];
    const create = vi.fn((width: number, height: number): CanvasLike => {
      const ctx = new RecordingContext();
      contexts.push(ctx);
      return { ...createCanvas(width, height), getContext: () => ctx };
    });
    const { ref, canvas } = await mount(undefined, async () => captured, create);
    canvas.getBoundingClientRect = () => ({ left: 0, top: 0, width: 16, height: 8, right: 16, bottom: 8, x: 0, y: 0, toJSON: () => ({}) });
    const plain = await ref.current!.exportImage();
    expect(plain.blob).toBe(blob);
    expect(plain).toMatchObject({ type: 'image/jpeg', quality: 0.92, encodes: 0, bytes: blob.size });
    expect(create).not.toHaveBeenCalled();

    await act(() => (container.querySelector('button[data-tool="redact"]') as HTMLButtonElement).click());
    await pointer(canvas, 'pointerdown', 2, 1);
    await pointer(canvas, 'pointerup', 10, 6);
    const redacted = await ref.current!.exportImage();
    expect(redacted.blob).not.toBe(blob);
    expect(redacted).toMatchObject({ type: 'image/jpeg', encodes: 1 });
    expect(create).toHaveBeenCalledTimes(1);
    expect(contexts[0]!.draws().at(-1)).toMatchObject({ name: 'fillRect', args: [2, 1, 8, 5], fillStyle: '#000000', globalAlpha: 1 });
  });

  it('never sets HTML from strings', () => {
    const src = fs.readFileSync(path.resolve(__dirname, '../../../components/ScreenshotEditor.tsx'), 'utf8');
    expect(src).not.toMatch(/innerHTML|dangerouslySetInnerHTML/);
  });
});
