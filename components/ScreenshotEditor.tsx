import { useCallback, useEffect, useImperativeHandle, useReducer, useRef, useState, type KeyboardEvent, type PointerEvent, type Ref } from 'react';
import { t, type MessageKey } from '../lib/i18n';
import {
  MIN_ARROW_LENGTH,
  MIN_RECT_SIDE,
  canRedo,
  canUndo,
  createEditorState,
  editorReducer,
  shapeFromDrag,
  type Point,
  type Shape,
  type ShapeKind,
} from '../lib/screenshot/annotations';
import {
  MAX_UPLOAD_BYTES,
  createDomCanvas,
  exportScreenshot,
  kilobytes,
  loadImage as defaultLoadImage,
  type CanvasFactory,
  type EncodedImage,
  type LoadedImage,
} from '../lib/screenshot/encode';
import { renderAnnotated } from '../lib/screenshot/render';
import { Status } from './Status';

/** Widest the preview is drawn (CSS px); the canvas backing store follows devicePixelRatio. */
const MAX_PREVIEW_WIDTH = 760;
/** Delay after the last edit before the final size is computed again. */
const SIZE_DEBOUNCE_MS = 350;

const TOOLS: { kind: ShapeKind; label: MessageKey; hint?: MessageKey }[] = [
  { kind: 'highlight', label: 'editorToolHighlight' },
  { kind: 'arrow', label: 'editorToolArrow' },
  { kind: 'redact', label: 'editorToolRedact', hint: 'editorToolRedactHint' },
];

export interface ScreenshotEditorValue {
  shapes: Shape[];
  lossless: boolean;
}

export interface ScreenshotEditorHandle {
  /**
   * The final image: annotations drawn, redactions burned into the pixels, encoded for upload
   * (the capture itself, unchanged, when nothing is drawn and it fits: exportScreenshot).
   */
  exportImage(): Promise<EncodedImage>;
}

export interface ScreenshotEditorProps {
  /** The screenshot, as captureScreenshot returns it (a base64 PNG/JPEG data URL). */
  dataUrl: string;
  initialShapes?: Shape[];
  initialLossless?: boolean;
  /** Every edit (shape added, undo, redo, clear) and every change of the lossless box. */
  onChange?: (value: ScreenshotEditorValue) => void;
  /** Each time the final image has been encoded again after an edit (its size is then shown). */
  onEncoded?: (image: EncodedImage) => void;
  ref?: Ref<ScreenshotEditorHandle>;
  /** Injected for tests (happy-dom has no canvas); default: ImageBitmap / <canvas>. */
  loadImage?: (dataUrl: string) => Promise<LoadedImage>;
  createCanvas?: CanvasFactory;
}

type Drag = { pointerId: number; start: Point; minSide: number; minLength: number };

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Annotates a screenshot before it is sent: highlight, arrow, redact (blacked out in the exported
 * pixels), undo/redo (Ctrl+Z, Ctrl+Y or Ctrl+Shift+Z), clear; JPEG within the upload budget or
 * lossless PNG, with the final size shown.
 */
export function ScreenshotEditor({
  dataUrl,
  initialShapes = [],
  initialLossless = false,
  onChange,
  onEncoded,
  ref,
  loadImage = defaultLoadImage,
  createCanvas = createDomCanvas,
}: ScreenshotEditorProps) {
  const [image, setImage] = useState<LoadedImage | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editor, dispatch] = useReducer(editorReducer, initialShapes, createEditorState);
  const [tool, setTool] = useState<ShapeKind>('highlight');
  const [lossless, setLossless] = useState(initialLossless);
  const [draft, setDraft] = useState<Shape | null>(null);
  const [encoded, setEncoded] = useState<EncodedImage | null>(null);
  const [encodeError, setEncodeError] = useState<string | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const dragRef = useRef<Drag | null>(null);
  const shapes = editor.shapes;

  // Decode the screenshot (again when it changes); free the bitmap when done with it.
  useEffect(() => {
    let live = true;
    let loaded: LoadedImage | null = null;
    setImage(null);
    setLoadError(null);
    loadImage(dataUrl).then(
      (img) => {
        loaded = img;
        if (!live) return img.close();
        if (!(img.width > 0 && img.height > 0)) return setLoadError('0 × 0');
        setImage(img);
      },
      (e: unknown) => live && setLoadError(errorText(e)),
    );
    return () => {
      live = false;
      loaded?.close();
    };
  }, [dataUrl, loadImage]);

  // Preview: the same renderer as the export, at the canvas's own resolution.
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !image) return;
    renderAnnotated(ctx, image.source, image, draft ? [...shapes, draft] : shapes, { scale: canvas.width / image.width });
  }, [image, shapes, draft]);

  // Report edits (not the initial state).
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const reported = useRef({ shapes, lossless });
  useEffect(() => {
    if (reported.current.shapes === shapes && reported.current.lossless === lossless) return;
    reported.current = { shapes, lossless };
    onChangeRef.current?.({ shapes: [...shapes], lossless });
  }, [shapes, lossless]);

  // One encoding per (image, shapes, lossless): the size shown and exportImage() share it.
  const cache = useRef<{ image: LoadedImage; shapes: readonly Shape[]; lossless: boolean; result: Promise<EncodedImage> } | null>(null);
  const exportImage = useCallback((): Promise<EncodedImage> => {
    if (!image) return Promise.reject(new Error('screenshot not loaded'));
    const c = cache.current;
    if (c && c.image === image && c.shapes === shapes && c.lossless === lossless) return c.result;
    const result = exportScreenshot(image, shapes, { lossless, createCanvas });
    cache.current = { image, shapes, lossless, result };
    result.catch(() => {
      if (cache.current?.result === result) cache.current = null; // a failure is not remembered
    });
    return result;
  }, [image, shapes, lossless, createCanvas]);
  useImperativeHandle(ref, () => ({ exportImage }), [exportImage]);

  const onEncodedRef = useRef(onEncoded);
  onEncodedRef.current = onEncoded;
  useEffect(() => {
    if (!image) return;
    let live = true;
    setEncoded(null);
    setEncodeError(null);
    const timer = setTimeout(() => {
      exportImage().then(
        (img) => {
          if (!live) return;
          setEncoded(img);
          onEncodedRef.current?.(img);
        },
        (e: unknown) => live && setEncodeError(errorText(e)),
      );
    }, SIZE_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [image, exportImage]);

  /** Image pixel under the pointer, and how many image px one CSS px is. */
  function toImage(e: PointerEvent<HTMLCanvasElement>): { point: Point; perCssPx: number } | null {
    const rect = e.currentTarget.getBoundingClientRect();
    if (!image || !(rect.width > 0 && rect.height > 0)) return null;
    const perCssPx = image.width / rect.width;
    return { point: { x: (e.clientX - rect.left) * perCssPx, y: (e.clientY - rect.top) * (image.height / rect.height) }, perCssPx };
  }

  function dragShape(drag: Drag, end: Point, final: boolean): Shape | null {
    if (!image) return null;
    return final
      ? shapeFromDrag(tool, drag.start, end, image, { minSide: drag.minSide, minLength: drag.minLength })
      : shapeFromDrag(tool, drag.start, end, image, { minSide: 1, minLength: 1 });
  }

  function onPointerDown(e: PointerEvent<HTMLCanvasElement>) {
    if (e.button !== 0 || dragRef.current) return;
    const at = toImage(e);
    if (!at) return;
    e.preventDefault();
    e.currentTarget.focus();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    // Below 4 (rectangle) or 10 (arrow) CSS px the drag is taken for a click, whatever the zoom.
    dragRef.current = {
      pointerId: e.pointerId,
      start: at.point,
      minSide: Math.max(MIN_RECT_SIDE, 4 * at.perCssPx),
      minLength: Math.max(MIN_ARROW_LENGTH, 10 * at.perCssPx),
    };
  }

  function onPointerMove(e: PointerEvent<HTMLCanvasElement>) {
    const drag = dragRef.current;
    const at = drag && drag.pointerId === e.pointerId ? toImage(e) : null;
    if (drag && at) setDraft(dragShape(drag, at.point, false));
  }

  function onPointerUp(e: PointerEvent<HTMLCanvasElement>) {
    const drag = dragRef.current;
    if (!drag || drag.pointerId !== e.pointerId) return;
    const at = toImage(e);
    const shape = at ? dragShape(drag, at.point, true) : null;
    dragRef.current = null;
    setDraft(null);
    if (shape) dispatch({ type: 'add', shape });
  }

  function cancelDrag() {
    dragRef.current = null;
    setDraft(null);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape' && dragRef.current) {
      e.preventDefault();
      return cancelDrag();
    }
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key === 'z' && !e.shiftKey) {
      e.preventDefault();
      dispatch({ type: 'undo' });
    } else if (key === 'y' || (key === 'z' && e.shiftKey)) {
      e.preventDefault();
      dispatch({ type: 'redo' });
    }
  }

  if (loadError) return <Status tone="bad" text={t('editorLoadFailed', loadError)} testId="editor-status" />;
  if (!image) return <Status tone="info" text={t('editorLoading')} testId="editor-status" />;

  const dpr = typeof devicePixelRatio === 'number' && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const previewScale = Math.min(1, (MAX_PREVIEW_WIDTH * dpr) / image.width);
  const toolName = t(TOOLS.find((x) => x.kind === tool)!.label);
  const overBudget = encoded !== null && encoded.bytes > MAX_UPLOAD_BYTES;

  return (
    <div className="shot-editor" onKeyDown={onKeyDown} data-testid="screenshot-editor">
      <div className="shot-toolbar" role="group" aria-label={t('editorTools')}>
        {TOOLS.map(({ kind, label, hint }) => (
          <button
            key={kind}
            type="button"
            aria-pressed={tool === kind}
            title={hint ? t(hint) : undefined}
            data-tool={kind}
            data-testid={kind === 'redact' ? 'redact-tool' : undefined}
            onClick={() => setTool(kind)}
          >
            {t(label)}
          </button>
        ))}
        <span className="shot-sep" aria-hidden="true" />
        <button type="button" className="secondary" title={`${t('editorUndo')} (Ctrl+Z)`} aria-keyshortcuts="Control+Z" disabled={!canUndo(editor)} onClick={() => dispatch({ type: 'undo' })}>
          {t('editorUndo')}
        </button>
        <button type="button" className="secondary" title={`${t('editorRedo')} (Ctrl+Y)`} aria-keyshortcuts="Control+Y Control+Shift+Z" disabled={!canRedo(editor)} onClick={() => dispatch({ type: 'redo' })}>
          {t('editorRedo')}
        </button>
        <button type="button" className="secondary" disabled={shapes.length === 0} onClick={() => dispatch({ type: 'clear' })}>
          {t('editorClear')}
        </button>
        <label className="shot-lossless">
          <input type="checkbox" checked={lossless} onChange={(e) => setLossless(e.target.checked)} />
          {t('editorLossless')}
        </label>
      </div>
      <canvas
        ref={canvasRef}
        className="shot-canvas"
        width={Math.max(1, Math.round(image.width * previewScale))}
        height={Math.max(1, Math.round(image.height * previewScale))}
        role="img"
        tabIndex={0}
        aria-label={t('editorCanvasLabel', String(shapes.length), toolName)}
        aria-keyshortcuts="Control+Z Control+Y"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={cancelDrag}
        onLostPointerCapture={(e) => dragRef.current?.pointerId === e.pointerId && cancelDrag()}
      />
      <p className="muted shot-size" role="status" data-testid="editor-size">
        {encodeError
          ? t('editorEncodeFailed', encodeError)
          : !encoded
            ? t('editorEncoding')
            : encoded.type === 'image/png'
              ? t('editorSizePng', String(kilobytes(encoded.bytes)), String(encoded.width), String(encoded.height))
              : t('editorSizeJpeg', String(kilobytes(encoded.bytes)), String(Math.round((encoded.quality ?? 0) * 100)), String(encoded.width), String(encoded.height))}
        {overBudget ? ` ${t('editorOverLimit', String(kilobytes(MAX_UPLOAD_BYTES)))}` : ''}
      </p>
    </div>
  );
}
