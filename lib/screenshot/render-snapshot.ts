/**
 * The fallback screenshot, extension side: when tabs.captureVisibleTab is refused (the activeTab
 * grant is gone after a navigation, a minimised window, the capture quota), the surface frame's
 * agent writes its document out in time slices (page-snapshot.ts) and this module re-draws it with
 * html2canvas-pro (why that library: encode.ts), in the extension page, so that the seconds the
 * library holds a main thread on a large page are the popup's, never the page's (an operator bar
 * may be in a live call).
 *
 * The page's HTML is untrusted. It is never parsed into the popup's own document: it becomes the
 * `srcdoc` of an off-screen iframe that
 * - is sandboxed without `allow-scripts` (no script, no event handler, no javascript: URL, no
 *   form, popup or navigation of the popup); `allow-same-origin` is the one flag, because
 *   html2canvas must read the frame's document and computed styles from the popup;
 * - inherits the extension pages' CSP (no inline script anyway) and gets its own, stricter one in
 *   a <meta> placed before any page markup: no script, frame, object, connection or media; images,
 *   stylesheets and fonts from the page's own origin and data: only (the agent inlines the page's
 *   images as data: URLs): a hostile page cannot make the extension request other hosts, with the
 *   cookies the extension has for them;
 * - is inert, hidden from assistive technology and removed once drawn.
 * The page's markup has been stripped of scripts and handlers already (serialize-dom.ts): two
 * locks, either of which is enough.
 *
 * Cross-origin images: measured in Chromium 156, an <img> of an Axialys host drawn by html2canvas
 * in the popup is loaded with CORS (html2canvas-pro tries it when allowTaint is false) and passes
 * through the extension's host permission: the canvas stays readable. Loaded without CORS (as a
 * same-origin image would be), it taints the canvas. An image of another host without CORS
 * headers comes out blank, as it did in the page. Same-origin images come from the agent (fetched
 * with the page's cookies) as data: URLs.
 */
import { sendMessage, SnapshotPartSchema, SnapshotStartSchema, type ScreenshotResult } from '../messaging';
import type { PartKind, SnapshotStart } from './page-snapshot';
import { escapeAttr, IMG_ATTR, MAX_HTML_CHARS, SCROLL_ATTR } from './serialize-dom';

/**
 * The render frame's own policy (it also inherits the extension pages' one): loads only from the
 * page's origin (an https origin, else nothing at all) and data:.
 */
export function renderCsp(baseUrl: string): string {
  let origin = '';
  try {
    const u = new URL(baseUrl);
    if (u.protocol === 'https:') origin = ` ${u.origin}`;
  } catch {
    /* no origin: data: only */
  }
  return `default-src 'none'; img-src${origin} data: blob:; style-src${origin} 'unsafe-inline'; font-src${origin} data:`;
}
/** The iframe's sandbox: no allow-scripts, ever (see above). */
export const RENDER_SANDBOX = 'allow-same-origin';
const LOAD_WAIT_MS = 15_000;
const DECODE_WAIT_MS = 5000;
const FONTS_WAIT_MS = 3000;
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|avif|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon);base64,[A-Za-z0-9+/]*={0,2}$/;

/** The snapshot as received and checked, ready to draw. */
export interface ReceivedSnapshot {
  html: string;
  images: { url: string | null; dataUrl: string | null }[];
  viewport: { width: number; height: number };
  scroll: { x: number; y: number };
  dpr: number;
  baseUrl: string;
  standards: boolean;
  stats: Extract<SnapshotStart, { ok: true }>['stats'];
}

/** How the popup reaches the surface frame's agent (messaging in the extension; a fake in tests; the bench's own). */
export interface SnapshotTransport {
  start(): Promise<unknown>;
  part(req: { id: string; kind: PartKind; index: number }): Promise<unknown>;
}

/** The agent refused or failed; `code` 'too-large' carries the cap (characters). */
export class SnapshotError extends Error {
  constructor(
    readonly code: 'too-large' | 'not-html' | 'failed' | 'invalid',
    message: string,
    readonly limit?: number,
  ) {
    super(message);
  }
}

/** Asks the agent for a snapshot, then for its parts one by one; every answer is checked. */
export async function receiveSnapshot(transport: SnapshotTransport): Promise<ReceivedSnapshot> {
  const started = SnapshotStartSchema.safeParse(await transport.start());
  if (!started.success) throw new SnapshotError('invalid', 'the page answered an invalid snapshot');
  const meta = started.data;
  if (!meta.ok) throw new SnapshotError(meta.code, meta.error, meta.limit);
  const part = async (kind: PartKind, index: number): Promise<string> => {
    const p = SnapshotPartSchema.safeParse(await transport.part({ id: meta.id, kind, index }));
    if (!p.success) throw new SnapshotError('invalid', `the page answered an invalid ${kind} part`);
    if (!p.data.ok) throw new SnapshotError('failed', p.data.error);
    return p.data.text;
  };
  const html: string[] = [];
  let chars = 0;
  for (let i = 0; i < meta.chunks; i++) {
    const text = await part('html', i);
    chars += text.length;
    if (chars > MAX_HTML_CHARS) throw new SnapshotError('too-large', 'the page sent more than announced', MAX_HTML_CHARS);
    html.push(text);
  }
  const images: ReceivedSnapshot['images'] = [];
  for (const [k, img] of meta.images.entries()) {
    let dataUrl: string | null = null;
    if (img.ok) {
      const text = await part('image', k);
      dataUrl = DATA_IMAGE.test(text) ? text : null;
    }
    images.push({ url: img.url, dataUrl });
  }
  return { html: html.join(''), images, viewport: meta.viewport, scroll: meta.scroll, dpr: meta.dpr, baseUrl: meta.baseUrl, standards: meta.standards, stats: meta.stats };
}

/**
 * The render frame's document: our policy, referrer and base first (the page's markup comes after
 * and cannot loosen a CSP; its own <base> and <meta> were dropped), then the page's <html>.
 */
export function buildSrcdoc(s: Pick<ReceivedSnapshot, 'html' | 'baseUrl' | 'standards'>): string {
  return (
    (s.standards ? '<!DOCTYPE html>' : '') +
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(renderCsp(s.baseUrl))}">` +
    '<meta name="referrer" content="no-referrer">' +
    `<base href="${escapeAttr(s.baseUrl)}">` +
    s.html
  );
}

/** The off-screen, sandboxed iframe, sized like the page's viewport (media queries, vw/vh). */
export function createRenderFrame(doc: Document, s: ReceivedSnapshot): HTMLIFrameElement {
  const f = doc.createElement('iframe');
  f.setAttribute('sandbox', RENDER_SANDBOX);
  f.setAttribute('aria-hidden', 'true');
  f.setAttribute('tabindex', '-1');
  f.inert = true;
  const { width, height } = s.viewport;
  f.style.cssText = `position:fixed;left:${-(width + 1000)}px;top:0;width:${width}px;height:${height}px;border:0;margin:0;padding:0;pointer-events:none;`;
  // Page markup, in a sandboxed frame without scripts: see the module comment. Never the popup's document.
  f.srcdoc = buildSrcdoc(s);
  return f;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Html2Canvas = (el: HTMLElement, opts: Record<string, unknown>) => Promise<HTMLCanvasElement>;

/**
 * Draws the snapshot's viewport (at its scroll position and device pixel ratio): a PNG data URL.
 * (Read before the frame goes: a canvas of a discarded document reads back blank.)
 */
export async function renderSnapshot(s: ReceivedSnapshot, html2canvas: Html2Canvas, doc: Document = document): Promise<string> {
  const frame = createRenderFrame(doc, s);
  try {
    const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
    doc.body.appendChild(frame);
    // Stylesheets and cross-origin images hold the load event; a slow host must not hold the report.
    await Promise.race([loaded, sleep(LOAD_WAIT_MS)]);
    const rdoc = frame.contentDocument;
    if (!rdoc?.documentElement) throw new Error('the render frame has no document');

    // The side table: same-origin images and canvases, as the agent read them; else their URL.
    const imgs = Array.from(rdoc.querySelectorAll<HTMLImageElement>(`img[${IMG_ATTR}]`));
    for (const img of imgs) {
      const entry = s.images[Number(img.getAttribute(IMG_ATTR))];
      const src = entry?.dataUrl ?? entry?.url ?? null;
      if (src) img.src = src;
    }
    await Promise.race([Promise.allSettled(imgs.filter((i) => i.src).map((i) => i.decode())), sleep(DECODE_WAIT_MS)]);
    if (rdoc.fonts) await Promise.race([rdoc.fonts.ready, sleep(FONTS_WAIT_MS)]);
    // Scrolled boxes, once their content is laid out (html2canvas copies these offsets into its clone).
    for (const el of Array.from(rdoc.querySelectorAll<HTMLElement>(`[${SCROLL_ATTR}]`))) {
      const [x, y] = (el.getAttribute(SCROLL_ATTR) ?? '').split(' ').map(Number);
      if (Number.isFinite(x)) el.scrollLeft = x!;
      if (Number.isFinite(y)) el.scrollTop = y!;
    }

    const { width, height } = s.viewport;
    // A canvas of the render frame's document: text is drawn with the fonts that document loaded.
    const canvas = rdoc.createElement('canvas');
    canvas.width = Math.floor(width * s.dpr);
    canvas.height = Math.floor(height * s.dpr);
    const drawn = await html2canvas(rdoc.documentElement, {
      canvas,
      x: s.scroll.x,
      y: s.scroll.y,
      scrollX: s.scroll.x,
      scrollY: s.scroll.y,
      width,
      height,
      windowWidth: width,
      windowHeight: height,
      scale: s.dpr,
      logging: false,
      // Cross-origin images with CORS (the extension's host permission covers the Axialys hosts);
      // never a tainted canvas.
      useCORS: true,
      allowTaint: false,
      imageTimeout: 10_000,
    });
    return drawn.toDataURL('image/png');
  } finally {
    frame.remove();
  }
}

/** The transport through extension messaging, to one frame of one tab. */
export function messagingTransport(target: { tabId: number; frameId: number }): SnapshotTransport {
  return {
    start: () => sendMessage('snapshotPage', {}, target),
    part: (req) => sendMessage('snapshotPart', req, target),
  };
}

export type FallbackResult = ScreenshotResult & { code?: SnapshotError['code']; limit?: number; stats?: ReceivedSnapshot['stats'] };

/**
 * The whole fallback: snapshot from the frame, drawing here. html2canvas-pro is imported on first
 * use (its own chunk: the popup's first paint does not wait for it).
 */
export async function fallbackScreenshot(
  transport: SnapshotTransport,
  loadHtml2canvas: () => Promise<Html2Canvas> = async () => (await import('html2canvas-pro')).default as unknown as Html2Canvas,
): Promise<FallbackResult> {
  try {
    const loading = loadHtml2canvas(); // meanwhile
    loading.catch(() => undefined);
    const snap = await receiveSnapshot(transport);
    const html2canvas = await loading;
    const dataUrl = await renderSnapshot(snap, html2canvas);
    return { ok: true, dataUrl, bytes: Math.round((dataUrl.length * 3) / 4), stats: snap.stats };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    if (e instanceof SnapshotError) return { ok: false, error, code: e.code, ...(e.limit !== undefined ? { limit: e.limit } : {}) };
    return { ok: false, error };
  }
}
