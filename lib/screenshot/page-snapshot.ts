/**
 * The fallback screenshot, page side (the frame agent, isolated world): takes the snapshot the
 * popup re-draws when tabs.captureVisibleTab is refused, and hands it over in parts.
 *
 * - `take()`: the document written out in time slices (serialize-dom.ts), plus a side table of
 *   images read asynchronously: same-origin `<img>`s fetched with the page's own cookies (the
 *   render frame could only fetch them without: an image behind a session would come out blank),
 *   and `<canvas>` pixels (toBlob: encoded off the page's critical path). Bounded in count, bytes
 *   and time; an image that does not make it is drawn from its URL, or left blank.
 * - `part()`: one piece at a time (HTML chunks of 512 K characters, one image each), so that no
 *   single reply makes the page serialize megabytes in one task. Chrome caps one extension
 *   message at 64 MiB and Firefox's structured clone has no small cap; neither limit is near.
 *
 * One snapshot is held at a time, for SNAPSHOT_TTL_MS at most.
 */
import {
  CHUNK_CHARS,
  MAX_HTML_CHARS,
  serializeDocument,
  SnapshotCancelledError,
  SnapshotTooLargeError,
  type SerializeOptions,
  type SideImage,
} from './serialize-dom';

export const SNAPSHOT_TTL_MS = 60_000;
export const MAX_SIDE_IMAGES = 48;
/** One image file (bytes before base64). */
export const MAX_IMAGE_BYTES = 512 * 1024;
/** One canvas's PNG data URL (characters). */
export const MAX_CANVAS_CHARS = 2 * 1024 * 1024;
export const MAX_CANVAS_PIXELS = 4096 * 4096;
/** All side images together (characters of their data URLs). */
export const MAX_SIDE_CHARS = 6 * 1024 * 1024;
/** The side images are waited for this long at most after the walk. */
export const SIDE_WAIT_MS = 5000;
const IMAGE_FETCH_MS = 4000;
/** Longest URL kept in the side table (the popup refuses longer ones). */
export const MAX_SIDE_URL_CHARS = 8192;
const FETCH_CONCURRENCY = 4;
const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|avif|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon)$/;

export type SnapshotErrorCode = 'too-large' | 'not-html' | 'failed';

export interface SnapshotReady {
  ok: true;
  id: string;
  /** Number of HTML chunks. */
  chunks: number;
  /** The side table: `url` is what to draw if the image itself did not come (null for a canvas). */
  images: { url: string | null; ok: boolean }[];
  viewport: { width: number; height: number };
  scroll: { x: number; y: number };
  dpr: number;
  baseUrl: string;
  standards: boolean;
  chars: number;
  /** How the page fared: slices of work, the longest, total time. */
  stats: { nodes: number; tooDeep: number; slices: number; longestSliceMs: number; ms: number; sideChars: number };
}
export interface SnapshotFailed {
  ok: false;
  code: SnapshotErrorCode;
  error: string;
  /** For too-large: the cap, in characters. */
  limit?: number;
}
export type SnapshotStart = SnapshotReady | SnapshotFailed;

export type PartKind = 'html' | 'image';
export type SnapshotPart = { ok: true; text: string } | { ok: false; error: string };

export interface SnapshotEnv {
  doc: Document;
  win: Pick<Window, 'innerWidth' | 'innerHeight' | 'scrollX' | 'scrollY' | 'devicePixelRatio' | 'location'>;
  fetch: typeof fetch;
  now: () => number;
  /** Open or closed shadow root (chrome.dom.openOrClosedShadowRoot / Firefox's openOrClosedShadowRoot). */
  shadowRootOf?: (el: Element) => ShadowRoot | null;
  /** Overrides for tests (clock, slice budget, caps). */
  serialize?: Partial<SerializeOptions>;
  newId?: () => string;
}

function blobToDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(blob);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The side table being filled while the walk runs. */
class SideImages {
  readonly entries: { url: string | null; result: Promise<string | null>; value?: string | null }[] = [];
  private readonly byUrl = new Map<string, number>();
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private chars = 0;

  constructor(
    private readonly origin: string,
    private readonly fetchFn: typeof fetch,
  ) {}

  add(img: SideImage): number | null {
    if (img.kind === 'url') {
      const known = this.byUrl.get(img.url);
      if (known !== undefined) return known;
      // Only what the render frame could not fetch as the page does: the page's own origin
      // (cookies) and its blob: URLs. A cross-origin image is fetched by the renderer (CORS).
      let same = false;
      try {
        same = new URL(img.url).origin === this.origin;
      } catch {
        same = false;
      }
      if (!same || img.url.length > MAX_SIDE_URL_CHARS || this.entries.length >= MAX_SIDE_IMAGES) return null;
      const k = this.entries.length;
      this.byUrl.set(img.url, k);
      this.push(img.url.startsWith('blob:') ? null : img.url, this.limited(() => this.fetchImage(img.url)));
      return k;
    }
    const c = img.canvas;
    if (this.entries.length >= MAX_SIDE_IMAGES || !c.width || !c.height || c.width * c.height > MAX_CANVAS_PIXELS) return null;
    const k = this.entries.length;
    this.push(null, this.canvasImage(c));
    return k;
  }

  private push(url: string | null, result: Promise<string | null>): void {
    const entry: (typeof this.entries)[number] = { url, result };
    result.then((v) => (entry.value = v), () => (entry.value = null));
    this.entries.push(entry);
  }

  /** Waits for every image, `ms` at most: what has not come by then is null. */
  async settle(ms: number): Promise<(string | null)[]> {
    await Promise.race([Promise.allSettled(this.entries.map((e) => e.result)), sleep(ms)]);
    return this.entries.map((e) => e.value ?? null);
  }

  private limited<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<void>((go) => {
      if (this.running < FETCH_CONCURRENCY) go();
      else this.queue.push(go);
    })
      .then(() => {
        this.running++;
        return fn();
      })
      .finally(() => {
        this.running--;
        this.queue.shift()?.();
      });
  }

  private take(dataUrl: string | null, max: number): string | null {
    if (!dataUrl || dataUrl.length > max || this.chars + dataUrl.length > MAX_SIDE_CHARS) return null;
    this.chars += dataUrl.length;
    return dataUrl;
  }

  private async fetchImage(url: string): Promise<string | null> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), IMAGE_FETCH_MS);
    try {
      const fetchFn = this.fetchFn;
      const res = await fetchFn(url, { credentials: 'same-origin', cache: 'force-cache', signal: ctl.signal });
      if (!res.ok) return null;
      const declared = Number(res.headers.get('content-length') ?? '0');
      if (declared > MAX_IMAGE_BYTES) return null;
      const blob = await res.blob();
      const type = blob.type.split(';')[0]!.trim().toLowerCase();
      if (blob.size > MAX_IMAGE_BYTES || !IMAGE_TYPES.test(type)) return null;
      return this.take(await blobToDataUrl(blob.type === type ? blob : new Blob([blob], { type })), Infinity);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async canvasImage(c: HTMLCanvasElement): Promise<string | null> {
    try {
      const blob = await new Promise<Blob | null>((resolve) => c.toBlob(resolve, 'image/png'));
      return blob ? this.take(await blobToDataUrl(blob), MAX_CANVAS_CHARS) : null;
    } catch {
      return null; // a canvas tainted by a cross-origin image cannot be read
    }
  }

  get sideChars(): number {
    return this.chars;
  }
}

interface Held {
  id: string;
  chunks: string[];
  images: (string | null)[];
  timer: ReturnType<typeof setTimeout>;
}

/** The frame agent's snapshot service: one snapshot at a time; a new one cancels the one being taken. */
export function createPageSnapshots(env: SnapshotEnv) {
  let held: Held | null = null;
  let generation = 0;
  const drop = () => {
    if (held) clearTimeout(held.timer);
    held = null;
  };

  async function take(): Promise<SnapshotStart> {
    const gen = ++generation;
    drop();
    const t0 = env.now();
    const { win, doc } = env;
    // The view as it is when asked.
    const viewport = { width: Math.max(1, Math.round(win.innerWidth)), height: Math.max(1, Math.round(win.innerHeight)) };
    const scroll = { x: Math.max(0, Math.round(win.scrollX)), y: Math.max(0, Math.round(win.scrollY)) };
    const dpr = win.devicePixelRatio || 1;
    const side = new SideImages(win.location.origin, env.fetch);
    try {
      const dom = await serializeDocument(doc, {
        now: env.now,
        maxChars: MAX_HTML_CHARS,
        chunkChars: CHUNK_CHARS,
        ...(env.shadowRootOf ? { shadowRootOf: env.shadowRootOf } : {}),
        ...env.serialize,
        sideImage: (img) => side.add(img),
        cancelled: () => gen !== generation,
      });
      // Past the wait, whatever has not come is drawn from its URL (or left blank).
      const settled = await side.settle(SIDE_WAIT_MS);
      if (gen !== generation) throw new SnapshotCancelledError();
      const id = env.newId?.() ?? crypto.randomUUID();
      held = { id, chunks: dom.chunks, images: settled, timer: setTimeout(drop, SNAPSHOT_TTL_MS) };
      return {
        ok: true,
        id,
        chunks: dom.chunks.length,
        images: side.entries.map((e, k) => ({ url: e.url, ok: settled[k] !== null })),
        viewport,
        scroll,
        dpr,
        baseUrl: dom.baseUrl,
        standards: dom.standards,
        chars: dom.chars,
        stats: { nodes: dom.nodes, tooDeep: dom.tooDeep, slices: dom.slices, longestSliceMs: Math.round(dom.longestSliceMs * 10) / 10, ms: Math.round(env.now() - t0), sideChars: side.sideChars },
      };
    } catch (e) {
      if (e instanceof SnapshotTooLargeError) return { ok: false, code: 'too-large', error: e.message, limit: e.limit };
      if (e instanceof Error && e.message === 'not an HTML document') return { ok: false, code: 'not-html', error: e.message };
      return { ok: false, code: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
  }

  function part(req: { id: string; kind: PartKind; index: number }): SnapshotPart {
    if (!held || held.id !== req.id) return { ok: false, error: 'no such snapshot (expired or replaced)' };
    const list = req.kind === 'html' ? held.chunks : held.images;
    const text = list[req.index];
    if (typeof text !== 'string') return { ok: false, error: `no ${req.kind} part ${req.index}` };
    return { ok: true, text };
  }

  return { take, part, drop };
}
