/**
 * The fallback screenshot: when tabs.captureVisibleTab is refused (no activeTab grant any more,
 * a minimised window, the capture quota), the frame's own agent re-draws its visible part from
 * the DOM with html2canvas-pro (why that library: see encode.ts). The library (~60 KB gzipped) is
 * not in the frame agent: `page-render.js` is imported only when asked, and registers its render
 * function on the isolated world's global (never visible to the page).
 *
 * It is a re-drawing, not a screenshot: cross-origin frames stay blank and it can hold the page's
 * main thread for seconds, so the popup runs it only after telling the user during a live call.
 */
export const RENDER_GLOBAL = '__temoinRenderVisible';

export type RenderVisible = () => Promise<string>;

/** The visible part of the frame's document, as a PNG data URL, at the device pixel ratio. */
export async function renderVisible(
  html2canvas: (el: HTMLElement, opts: Record<string, unknown>) => Promise<HTMLCanvasElement>,
  doc: Document = document,
  win: Window = window,
): Promise<string> {
  const canvas = await html2canvas(doc.documentElement, {
    x: win.scrollX,
    y: win.scrollY,
    width: win.innerWidth,
    height: win.innerHeight,
    windowWidth: win.innerWidth,
    windowHeight: win.innerHeight,
    scale: win.devicePixelRatio || 1,
    logging: false,
    // Never fetch anything on the page's behalf: cross-origin images stay blank.
    useCORS: false,
    allowTaint: false,
  });
  return canvas.toDataURL('image/png');
}

/** In the frame agent: loads page-render.js on first use and renders. */
export async function renderWithLoadedScript(scriptUrl: string): Promise<string> {
  const g = globalThis as unknown as Record<string, RenderVisible | undefined>;
  if (!g[RENDER_GLOBAL]) await import(/* @vite-ignore */ scriptUrl);
  const render = g[RENDER_GLOBAL];
  if (!render) throw new Error('page-render.js did not load');
  return render();
}
