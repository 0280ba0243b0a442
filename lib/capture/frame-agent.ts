import { browser, type ContentScriptContext } from '#imports';
import { sendMessage, onMessage, SnapshotPageRequestSchema, SnapshotPartRequestSchema, SnapshotRequestSchema, type FrameConfig } from '../messaging';
import { createPageSnapshots } from '../screenshot/page-snapshot';
import { detectSurface, extractFields } from '../surfaces/extract';
import { DEFAULT_SURFACE_RULES, type SurfaceRule } from '../surfaces/rules';
import { collectEnvironment } from './env';
import { parseBatch } from './events';
import { FrameCapture } from './frame-capture';
import { openInbox } from './inbox';
import { scrubUrl } from './scrub';
import type { FrameSnapshot } from './snapshot';

/** Time the bridge waits for the hook's getStats() answers before answering a snapshot. */
const RTC_STATS_WAIT_MS = 400;
/** How often the bridge hands its new events to the background (so a reload or a hang loses nothing). */
export const ARCHIVE_EVERY_MS = 5000;
/** Say hello without the hook if it has not answered by then (a page that broke our channel). */
const HELLO_FALLBACK_MS = 1500;
/** Capture with the default settings if the background has not answered by then. */
const CONFIG_FALLBACK_MS = 5000;

/**
 * The heavy half of a frame's bridge: takes the hook's batches from the inbox (validated with zod,
 * scrubbed, bounded), takes its settings from the background, hands its events over regularly and
 * at pagehide, and answers snapshots. Imported once the page has loaded and gone idle, so that zod
 * and the rest cost the page's load nothing; the entrypoint only calls this.
 */
export function runFrameAgent(ctx: ContentScriptContext): void {
  const topOrigin = window === window.top ? location.origin : (location.ancestorOrigins?.[location.ancestorOrigins.length - 1] ?? null);
  const life = crypto.randomUUID();
  const startedAt = Math.round(performance.timeOrigin);
  const capture = new FrameCapture();
  // The light half (inbox.ts) has held the hook's batches so far.
  const hook = openInbox();
  let rules: SurfaceRule[] = DEFAULT_SURFACE_RULES;
  let hookReady = false;
  let hasRtc = false;
  const surface = () => detectSurface(location.href, document, rules);
  const url = () => scrubUrl(location.href);

  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  capture.note({ k: 'page', t: startedAt, e: 'start', how: navigation?.type ?? 'navigate', url: url() });

  const apply = (cfg: FrameConfig | undefined) => {
    if (!cfg) return;
    rules = cfg.rules;
    capture.configure({ verbose: cfg.verbose, maskContactData: cfg.maskContactData });
    if (cfg.verbose) hook.announce(true);
  };
  // Without an answer (extension reloading, background broken), capture with the defaults.
  const fallback = () => {
    if (!capture.configured) capture.configure({});
  };
  // Needed before the answer came (a very early reload or report): mask, to be safe.
  const settleStrict = () => {
    if (!capture.configured) capture.configure({ maskContactData: true });
  };
  let helloSent = false;
  const hello = () => {
    helloSent = true;
    sendMessage('frameHello', { url: url(), topOrigin, surface: surface(), hook: hookReady }).then(apply, fallback);
  };

  hook.attach(
    (detail) => {
      const batch = parseBatch(detail);
      if (!batch) return void capture.add([], { invalid: 1, dropped: 0, ok: 0 });
      if (batch.events.some((e) => e.k === 'rtc')) hasRtc = true;
      capture.add(batch.events, batch);
    },
    () => {
      hookReady = true;
      hello();
    },
  );
  capture.add([], { invalid: 0, dropped: hook.dropped, ok: 0 });
  ctx.setTimeout(() => {
    if (!helloSent) hello();
  }, HELLO_FALLBACK_MS);
  ctx.setTimeout(fallback, CONFIG_FALLBACK_MS);

  const handOver = (ended: boolean) => {
    if (ended) settleStrict();
    // What the hook holds comes now: it has no timer of its own, and sends a batch only when it
    // holds 50 events or when asked (here, at a snapshot, at pagehide).
    hook.announce();
    const { events, rewind } = capture.drain();
    if (!events.length && !ended) return;
    sendMessage('frameArchive', { life, startedAt, url: url(), topOrigin, surface: surface(), ended, events, stats: capture.stats() }).catch(rewind);
  };
  ctx.setInterval(() => handOver(false), ARCHIVE_EVERY_MS);
  ctx.addEventListener(window, 'pagehide', (ev) => {
    capture.note({ k: 'page', t: Date.now(), e: 'end', how: ev.persisted ? 'bfcache' : 'pagehide', url: url() });
    handOver(true);
  });

  const stop = onMessage('snapshot', async ({ data }): Promise<FrameSnapshot> => {
    const wantEnv = SnapshotRequestSchema.safeParse(data).data?.env === true;
    settleStrict();
    hook.announce();
    if (hasRtc) {
      hook.requestRtcStats();
      await new Promise((r) => setTimeout(r, RTC_STATS_WAIT_MS));
      // The answers wait in the hook for its next batch: ask for them now.
      hook.announce();
    }
    const s = surface();
    const env = wantEnv ? await collectEnvironment({ navigator, window, extensionVersion: browser.runtime.getManifest().version }) : undefined;
    return {
      life,
      startedAt,
      url: url(),
      topOrigin,
      surface: s,
      fields: extractFields(s, document),
      events: capture.events(),
      stats: capture.stats(),
      ...(env ? { env } : {}),
    };
  });
  ctx.onInvalidated(stop);

  // The fallback screenshot (popup → this frame, when captureVisibleTab is refused): the document
  // written out in time slices, handed over in parts, re-drawn in the popup (never here).
  const snapshots = createPageSnapshots({
    doc: document,
    win: window,
    fetch: (input, init) => fetch(input, init),
    now: () => performance.now(),
    shadowRootOf: openOrClosedShadowRoot,
  });
  const stopSnapshot = onMessage('snapshotPage', async ({ data }) => {
    if (!SnapshotPageRequestSchema.safeParse(data).success) return { ok: false as const, code: 'failed' as const, error: 'invalid request' };
    return snapshots.take();
  });
  const stopPart = onMessage('snapshotPart', ({ data }) => {
    const req = SnapshotPartRequestSchema.safeParse(data);
    return req.success ? snapshots.part(req.data) : { ok: false as const, error: 'invalid request' };
  });
  ctx.onInvalidated(() => {
    stopSnapshot();
    stopPart();
    snapshots.drop();
  });
}

type ShadowApi = { openOrClosedShadowRoot?: (el: HTMLElement) => ShadowRoot | null | undefined };

/**
 * An element's shadow root, closed ones included: chrome.dom.openOrClosedShadowRoot (Chrome's
 * content scripts) or Element.openOrClosedShadowRoot (Firefox's). The page cannot see the call.
 */
export function openOrClosedShadowRoot(el: Element): ShadowRoot | null {
  if (el.shadowRoot) return el.shadowRoot;
  try {
    const api = (globalThis as { chrome?: { dom?: ShadowApi } }).chrome?.dom;
    if (api?.openOrClosedShadowRoot && el instanceof HTMLElement) return api.openOrClosedShadowRoot(el) ?? null;
    return (el as { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ?? null;
  } catch {
    return null;
  }
}
