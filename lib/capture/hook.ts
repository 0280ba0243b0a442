/**
 * The page hook: runs in the page's MAIN world at document_start, in every frame of the
 * Axialys surfaces. Dependency-free and small (budget 4 KB gzipped).
 *
 * Rules: never throw into the page, never change what the page sees (return values, `this`),
 * do the least inside hooked calls (take references and a timestamp), and serialize in a
 * batch outside the call. Events reach the bridge as one JSON string per batch.
 */
import { EVENTS, HOOK_PROTOCOL_VERSION } from './channel';
import { serializeArgs, type Json } from './serialize';

type Raw = { k: 'console'; l: string; t: number; a: unknown[] } | { k: string; t: number; [f: string]: unknown };

const MAX_PENDING = 300;
const MAX_QUEUED_BATCHES = 50;

export function installHook(win: Window & typeof globalThis = window): void {
  const flag = `__${EVENTS.data}`;
  // Installed twice (e.g. an extension reload): keep the first one.
  if ((win as unknown as Record<string, unknown>)[flag]) return;
  try {
    Object.defineProperty(win, flag, { value: true });
  } catch {
    return;
  }

  // Take what we need before page scripts can replace it.
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const addListener = win.EventTarget.prototype.addEventListener;
  const CE = win.CustomEvent;
  const stringify = win.JSON.stringify;
  const now = win.Date.now;
  const micro = win.queueMicrotask.bind(win);
  const apply = win.Reflect.apply;

  let connected = false;
  let pending: Raw[] = [];
  let dropped = 0;
  let scheduled = false;
  const outbox: string[] = [];

  const emit = (name: string, detail: string): void => {
    try {
      apply(dispatch, win, [new CE(name, { detail })]);
    } catch {
      /* the page broke events; nothing we can do */
    }
  };

  const announce = (): void => emit(EVENTS.hookReady, stringify({ v: HOOK_PROTOCOL_VERSION }));

  const flush = (): void => {
    scheduled = false;
    const batch = pending;
    pending = [];
    const events: Json[] = [];
    for (const e of batch) {
      try {
        events.push(e.k === 'console' ? { k: 'console', l: e.l as string, t: e.t, a: serializeArgs(e.a as unknown[]) } : (e as unknown as Json));
      } catch {
        dropped++;
      }
    }
    let detail: string;
    try {
      detail = stringify({ v: HOOK_PROTOCOL_VERSION, dropped, events });
    } catch {
      return;
    }
    dropped = 0;
    if (connected) emit(EVENTS.data, detail);
    else if (outbox.length < MAX_QUEUED_BATCHES) outbox.push(detail);
  };

  const push = (e: Raw): void => {
    if (pending.length >= MAX_PENDING) {
      dropped++;
      return;
    }
    pending.push(e);
    if (!scheduled) {
      scheduled = true;
      micro(flush);
    }
  };

  const listen = (type: string, fn: (ev: Event) => void, capture = false): void => {
    apply(addListener, win, [type, fn, capture]);
  };

  listen(EVENTS.bridgeReady, () => {
    if (connected) return;
    connected = true;
    announce();
    for (const d of outbox.splice(0)) emit(EVENTS.data, d);
  });
  announce();

  // Console: error and warn always.
  const con = win.console;
  for (const level of ['error', 'warn'] as const) {
    const orig = con[level];
    if (typeof orig !== 'function') continue;
    const wrapped = {
      [level](this: unknown, ...args: unknown[]): unknown {
        try {
          push({ k: 'console', l: level, t: now(), a: args });
        } catch {
          /* never break console */
        }
        return apply(orig, this, args);
      },
    }[level] as typeof orig;
    try {
      con[level] = wrapped;
    } catch {
      /* frozen console */
    }
  }

  // Uncaught errors and unhandled rejections (capture phase, never preventDefault).
  listen(
    'error',
    (ev: Event) => {
      try {
        if (!(ev instanceof win.ErrorEvent)) return;
        const err = ev.error as { stack?: unknown } | undefined;
        push({
          k: 'error',
          t: now(),
          m: String(ev.message).slice(0, 2000),
          src: String(ev.filename ?? '').slice(0, 500),
          line: ev.lineno | 0,
          col: ev.colno | 0,
          st: err && typeof err.stack === 'string' ? err.stack.slice(0, 4000) : '',
        });
      } catch {
        /* ignore */
      }
    },
    true,
  );
  listen('unhandledrejection', (ev: Event) => {
    try {
      push({ k: 'rejection', t: now(), r: serializeArgs([(ev as PromiseRejectionEvent).reason])[0] ?? null });
    } catch {
      /* ignore */
    }
  });
}
