/**
 * Screenshot benchmark, page side (shared by the renderer bundles bench/page/screenshot-*.ts):
 * watches the page's main thread while a screenshot is taken, with
 * - a PerformanceObserver for 'longtask' entries (tasks over 50 ms, as the browser reports them);
 * - a heartbeat: a chain of 0 ms timers, whose largest gap is the longest time the page could
 *   not run anything else (≥ the longest task; 4 ms timer clamping is its floor).
 *
 * Injected into the measured tab with Runtime.evaluate (no CDP domain enabled); each bundle
 * registers itself on `window.__temoinShot`.
 */

export interface Watch {
  /** Longest 'longtask' entry that overlapped the watch (0 when none was over 50 ms). */
  longestTaskMs: number;
  /** How many long tasks overlapped the watch. */
  longTasks: number;
  /** Largest gap between two heartbeats. */
  maxGapMs: number;
}

export interface ShotResult {
  ok: boolean;
  /** Wall-clock time from the call to the encoded image, in the page (performance.now). */
  ms: number;
  bytes: number;
  width: number;
  height: number;
  error?: string;
  watch: Watch;
}

export interface Rendered {
  bytes: number;
  width: number;
  height: number;
}

/** Starts watching the main thread; the returned function stops and reports. */
export function watchMainThread(): () => Watch {
  const t0 = performance.now();
  const tasks: { start: number; duration: number }[] = [];
  let observer: PerformanceObserver | null = null;
  try {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
    });
    observer.observe({ type: 'longtask', buffered: false });
  } catch {
    observer = null;
  }
  let last = performance.now();
  let maxGap = 0;
  let running = true;
  const beat = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (running) setTimeout(beat, 0);
  };
  setTimeout(beat, 0);
  return () => {
    running = false;
    const t1 = performance.now();
    maxGap = Math.max(maxGap, t1 - last);
    // Entries are queued to the observer after the task ends: take what is pending too.
    for (const e of observer?.takeRecords() ?? []) tasks.push({ start: e.startTime, duration: e.duration });
    observer?.disconnect();
    const inside = tasks.filter((t) => t.start + t.duration >= t0 && t.start <= t1);
    return { longestTaskMs: Math.max(0, ...inside.map((t) => t.duration)), longTasks: inside.length, maxGapMs: maxGap };
  };
}

/** Lets pending long-task entries be delivered (they are queued after their task). */
const settle = () => new Promise<void>((r) => setTimeout(r, 20));

/** Runs one render under watch; a failure is a result ({ ok: false, error }), never a throw. */
export async function measure(render: () => Promise<Rendered>): Promise<ShotResult> {
  const stop = watchMainThread();
  // Reachable from outside while the render runs: a render cut by the section (Runtime.terminateExecution)
  // never returns, and abort() still reports what the page went through until then.
  const api = shotApi();
  api.inflight = stop;
  // Start the render in a task of its own: Chromium only reports a long task that began while a
  // 'longtask' observer existed, and this one began before the observer above.
  await new Promise<void>((r) => setTimeout(r, 0));
  const t0 = performance.now();
  let out: Rendered | null = null;
  let error: string | undefined;
  try {
    out = await render();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const ms = performance.now() - t0;
  await settle();
  if (api.inflight === stop) api.inflight = null;
  const watch = stop();
  return out ? { ok: true, ms, ...out, watch } : { ok: false, ms, bytes: 0, width: 0, height: 0, error: error ?? 'unknown error', watch };
}

/** JPEG of a canvas at quality 0.8, as the DOM renderers' output is compared. */
export function canvasJpeg(canvas: HTMLCanvasElement, quality = 0.8): Promise<Rendered> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b && b.size > 0 ? resolve({ bytes: b.size, width: canvas.width, height: canvas.height }) : reject(new Error('canvas.toBlob gave no JPEG'))),
      'image/jpeg',
      quality,
    ),
  );
}

/** Bytes of a base64 data URL's payload. */
export function dataUrlBytes(url: string): number {
  const b64 = url.slice(url.indexOf(',') + 1);
  return Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
}

/** The viewport's top-left corner, as the product's fallback renders it (lib/screenshot/page-render.ts). */
export function html2canvasViewportOptions(): Record<string, unknown> {
  return {
    x: window.scrollX,
    y: window.scrollY,
    width: window.innerWidth,
    height: window.innerHeight,
    windowWidth: window.innerWidth,
    windowHeight: window.innerHeight,
    scale: window.devicePixelRatio || 1,
    logging: false,
    useCORS: false,
    allowTaint: false,
  };
}

export interface ShotApi {
  watch?: () => () => Watch;
  /** Renderer id → one render of the viewport. */
  renderers: Record<string, () => Promise<ShotResult>>;
  /** Active watches started by the section (for the shipped path: the page during a tab capture). */
  active?: (() => Watch) | null;
  /** The watch of the render in progress, if any. */
  inflight?: (() => Watch) | null;
  /**
   * After the section has cut a render: stops its watch and reports it (null if none was running),
   * and removes what html2canvas(-pro) leaves in the page mid-render (its clone iframe).
   */
  abort?: () => Watch | null;
}

/** window.__temoinShot, shared by every renderer bundle injected in the page. */
function shotApi(): ShotApi {
  const w = window as unknown as { __temoinShot?: ShotApi };
  const api = (w.__temoinShot ??= { renderers: {} });
  api.abort ??= () => {
    const stop = api.inflight;
    api.inflight = null;
    for (const el of document.querySelectorAll('iframe.html2canvas-container')) el.remove();
    return stop ? stop() : null;
  };
  return api;
}

/** Registers a renderer (and the watch helpers) on window.__temoinShot. */
export function register(id: string, render: () => Promise<Rendered>): void {
  const api = shotApi();
  api.watch = watchMainThread;
  api.renderers[id] = () => measure(render);
}
