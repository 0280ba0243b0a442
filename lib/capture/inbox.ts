/**
 * The light half of the bridge, injected once the frame has loaded: dependency-free and small. It
 * answers the page hook's handshake (the hook then sends what it held since document_start) and
 * keeps the raw batches (JSON strings, unread) until the frame agent (the heavy half, with zod, the
 * scrubber and the extension messaging) takes them. Both halves run in the extension's isolated world of the frame
 * and meet through a property of that world's global object, which the page cannot reach.
 */
import { EVENTS } from './channel';

/** Raw batches held before the agent arrives: beyond these, counted and dropped. */
export const INBOX_MAX_BATCHES = 200;
export const INBOX_MAX_CHARS = 4 * 1024 * 1024;

export interface Inbox {
  /** The hook has answered the handshake. */
  readonly hookReady: boolean;
  /** Batches refused because the inbox was full. */
  readonly dropped: number;
  /** Hands the held batches to `onBatch`, then every later one as it arrives; `onHook` when the hook is (or becomes) ready. */
  attach(onBatch: (detail: string) => void, onHook: () => void): void;
  /** Tells the hook we listen (again): it then sends what it holds; `verbose` turns on console.info/log. */
  announce(verbose?: boolean): void;
  /** Asks the hook for getStats() of the live peer connections. */
  requestRtcStats(): void;
}

const KEY = '__temoinInbox';

/** One bad batch must not stop the ones after it. */
function guard(fn: (detail: string) => void, detail: string): void {
  try {
    fn(detail);
  } catch {
    /* dropped; counted by the agent where it can tell */
  }
}
type Holder = { [KEY]?: Inbox };

/** Opens the frame's inbox once; later calls return the same one. */
export function openInbox(win: Window = window, listen: (type: string, fn: (ev: Event) => void) => void = (t, f) => win.addEventListener(t, f)): Inbox {
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  let held: string[] = [];
  let chars = 0;
  let dropped = 0;
  let hookReady = false;
  let verbose = false;
  let onBatch: ((detail: string) => void) | null = null;
  let onHook: (() => void) | null = null;

  // The detail is all the hook reads: 'verbose' asks it to capture console.info/log too.
  const announce = () => win.dispatchEvent(new CustomEvent(EVENTS.bridgeReady, { detail: verbose ? 'verbose' : '' }));
  listen(EVENTS.hookReady, () => {
    if (hookReady) return;
    hookReady = true;
    announce();
    onHook?.();
  });
  listen(EVENTS.data, (ev) => {
    if (!hookReady) return;
    const detail = (ev as CustomEvent<unknown>).detail;
    if (typeof detail !== 'string') return;
    if (onBatch) return guard(onBatch, detail);
    if (held.length >= INBOX_MAX_BATCHES || chars + detail.length > INBOX_MAX_CHARS) {
      dropped++;
      return;
    }
    held.push(detail);
    chars += detail.length;
  });

  const inbox: Inbox = {
    get hookReady() {
      return hookReady;
    },
    get dropped() {
      return dropped;
    },
    attach(batch, hook) {
      onBatch = batch;
      onHook = hook;
      const waiting = held;
      held = [];
      chars = 0;
      for (const d of waiting) guard(batch, d);
      if (hookReady) hook();
    },
    announce(v) {
      if (v) verbose = true;
      announce();
    },
    requestRtcStats: () => win.dispatchEvent(new CustomEvent(EVENTS.statsRequest, { detail: '' })),
  };
  holder[KEY] = inbox;
  announce();
  return inbox;
}

/** How long after the load event the agent waits for an idle moment at most. */
const SETTLE_IDLE_TIMEOUT_MS = 2000;

/** Runs `fn` once the page has loaded and the main thread is idle (or 2 s after load at most). */
export function whenPageSettled(fn: () => void, win: Window = window): void {
  const idle = () =>
    typeof win.requestIdleCallback === 'function' ? win.requestIdleCallback(() => fn(), { timeout: SETTLE_IDLE_TIMEOUT_MS }) : win.setTimeout(fn, 0);
  if (win.document.readyState === 'complete') idle();
  else win.addEventListener('load', () => idle(), { once: true });
}
