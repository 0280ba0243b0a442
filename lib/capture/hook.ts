/**
 * The page hook: runs in the page's MAIN world at document_start, in every frame of the
 * Axialys surfaces. Dependency-free and small (budget 4 KB gzipped).
 *
 * Rules:
 * - never throw into the page, never change what the page sees: return values, `this`, promises
 *   (a failed fetch the page ignores still reaches its unhandledrejection), and the wrapped
 *   functions themselves: each wrapper is a Proxy of the native (same name, length, own keys,
 *   constructor-ness), constructors' prototypes lead back to their wrapper, pushState and
 *   replaceState are patched on History.prototype, and Function.prototype.toString shows a
 *   wrapper's native source;
 * - never run page code: only built-ins saved here, before page scripts run (no method calls on
 *   page-replaceable prototypes, no iterators, no instanceof, no JSON.stringify of objects), and no
 *   getters or Proxy traps of page values (see serialize.ts);
 * - do the least inside hooked calls: the rate check (the bridge buffer's per-kind limit, applied
 *   here first, so that a flood costs a counter increment per call), a timestamp and references to
 *   the arguments (an Error's message and stack are read at once). Events are serialized in one
 *   batch when FLUSH_AT are pending, or when the bridge asks: its hand-over to the background
 *   (every ARCHIVE_EVERY_MS), a snapshot, pagehide. No timer of our own: an event costs the page
 *   no extra task, and a batch's fixed costs (dispatch, the bridge's handling) are shared by up to
 *   FLUSH_AT events. The bridge hands events to the background no sooner anyway.
 * The bridge (isolated world) is injected once the frame has loaded (lib/background/
 * bridge-injection.ts): creating that world during the load lengthened it by ~10 % (bench/
 * results.md, page load). Batches made before it connects wait here (HOLD_MAX_*).
 * Events reach the bridge as one JSON string per batch; each event is an array, [kind, time, …its
 * fields in the order of HOOK_FIELDS] (events.ts). Scrubbing happens in the bridge, the one scrubber.
 */
import { MAX_RATE_PER_KIND } from './buffer';
import { EVENTS, HOOK_PROTOCOL_VERSION } from './channel';
import { makeSerializer, trackProxies, type SerializeLimits } from './serialize';

/** Requests slower than this are kept even when they succeed. */
export const SLOW_REQUEST_MS = 3000;
/** A batch goes out at once when this many events are pending (so a batch stays well under 512 KB). */
export const FLUSH_AT = 50;
/**
 * Batches held before the bridge connects (each at most FLUSH_AT events of a few KB at most, so
 * about 1.6 MB at worst): beyond these, their events are counted as dropped.
 */
export const HOLD_MAX_BATCHES = 8;
/** Batches are split beyond this many characters (the bridge refuses batches over 512 KB). */
const MAX_BATCH_CHARS = 200_000;
/** getStats() entries are sent as they are (the bridge summarises them). */
const STATS_LIMITS: SerializeLimits = { depth: 3, keys: 60, stringLength: 200, total: 50_000 };

/** A value serialized when the batch is made (within limits L; d: -1 for an argument list). */
type Deferred = { v: unknown; L?: SerializeLimits; d?: number };
type Field = string | number | boolean | Deferred;
type Fn = (this: unknown, ...a: unknown[]) => unknown;
type Rec = Record<string, unknown>;

export function installHook(win: Window & typeof globalThis = window): void {
  // A name derived from the namespace without revealing it (the page can list window's properties).
  let h = 0;
  for (const c of EVENTS.data) h = (h * 31 + c.charCodeAt(0)) | 0;
  const flag = `__${h}`;
  // Installed twice (e.g. an extension reload): keep the first one.
  if ((win as unknown as Rec)[flag]) return;
  const O = win.Object;
  const defineProperty = O.defineProperty;
  defineProperty(win, flag, { value: 1 });

  // Take what we need before page scripts can replace it.
  const R = win.Reflect;
  const { apply, construct } = R;
  const call = (f: unknown, self: unknown, ...a: unknown[]) => apply(f as Fn, self, a);
  const gopd = O.getOwnPropertyDescriptor;
  const { dispatchEvent, addEventListener } = win.EventTarget.prototype;
  const CE = win.CustomEvent;
  // Durations are taken with Date.now too (saved: the page may replace it, or performance.now).
  const now = win.Date.now;
  const WR = win.WeakRef;
  const WM = win.WeakMap;
  const { get: wmGet, set: wmSet } = WM.prototype;
  const then = win.Promise.prototype.then;
  const str = win.String;
  const enc = win.JSON.stringify as (s: string) => string;
  const closest = win.Element.prototype.closest;
  const textOf = (gopd(win.Node.prototype, 'textContent') as PropertyDescriptor).get;
  const isProtoOf = O.prototype.isPrototypeOf;
  const EEP = win.ErrorEvent.prototype;

  const P = win.Proxy;
  // [wrapper (a Proxy of the native), native] pairs, for Function.prototype.toString.
  const [isProxy, pair] = trackProxies(win);
  const pairs = [pair];
  const ser = makeSerializer(win, isProxy);
  const { cut, words, tag, sel, attr } = ser;
  const cs = (v: unknown, n: number) => cut(str(v), n);

  /** Replaces o[k] by a Proxy of it; returns the native (nothing if o[k] is not a function). */
  const wrap = (o: unknown, k: string, handler: ProxyHandler<Fn>): Fn | undefined => {
    const f = (o as Rec)[k];
    if (typeof f !== 'function') return;
    const w = new P(f as Fn, handler);
    pairs[pairs.length] = [w, f];
    (o as Rec)[k] = w;
    return f as Fn;
  };
  /** A wrapper that calls the native, and `fn` after it (before it if `first`); `fn` never throws into the page. */
  const wrapCall = (o: unknown, k: string, fn: (self: unknown, args: unknown[]) => void, first?: boolean) => {
    const f = safe(fn);
    return wrap(o, k, {
      apply(t, self, args) {
        if (first) f(self, args);
        const r = apply(t, self, args);
        if (!first) f(self, args);
        return r;
      },
    });
  };
  wrap(win.Function.prototype, 'toString', {
    apply(t, self, a) {
      for (let i = 0; i < pairs.length; i++) if (pairs[i]![0] === self) self = pairs[i]![1];
      return apply(t, self, a);
    },
  });

  let connected = false;
  /** [kind, time, fields]. */
  let pending: [string, number, Field[]][] = [];
  let dropped = 0;
  let limited = 0;
  let okRequests = 0;
  /** Per kind: [second, events accepted in it]. */
  const rates = { __proto__: null } as unknown as Record<string, [number, number]>;

  // (Saved natives: this cannot throw, and a page's listener that throws is only reported.)
  const emit = (name: string, detail: string) => call(dispatchEvent, win, new CE(name, { __proto__: null, detail } as CustomEventInit));
  const listen = (target: unknown, type: string, fn: (ev: Event) => void, capture?: boolean): void => {
    call(addEventListener, target, type, safe(fn), capture);
  };
  function safe<A extends unknown[]>(fn: (...a: A) => void) {
    return (...a: A): void => {
      try {
        apply(fn, undefined, a);
      } catch {
        /* never throw into the page */
      }
    };
  }

  // Batches made before the bridge connects (after the load): held here, bounded, sent on connect.
  let held: string[] = [];
  const send = (events: string, n: number): void => {
    // Full: these events are counted in the next batch that goes.
    if (!connected && held.length >= HOLD_MAX_BATCHES) return void (dropped += n);
    const detail = `{"v":${HOOK_PROTOCOL_VERSION},"d":${dropped},"r":${limited},"o":${okRequests},"e":[${events}]}`;
    dropped = limited = okRequests = 0;
    if (connected) emit(EVENTS.data, detail);
    else held[held.length] = detail;
  };
  const flush = (): void => {
    if (!pending.length && !dropped && !limited && !okRequests) return;
    const batch = pending;
    pending = [];
    let events = '';
    let n = 0;
    for (let i = 0; i < batch.length; i++) {
      const ev = batch[i]!;
      const f = ev[2];
      try {
        let e = `${events ? ',' : ''}["${ev[0]}",${ev[1]}`;
        for (let j = 0; j < f.length; j++) {
          const v = f[j]!;
          e += `,${typeof v === 'object' ? ser.value(v.v, v.L, v.d) : typeof v === 'string' ? enc(v) : (v as number) - (v as number) === 0 ? v : null}`;
        }
        events += `${e}]`;
        n++;
      } catch {
        dropped++;
      }
      if (events.length > MAX_BATCH_CHARS) {
        send(events, n);
        events = '';
        n = 0;
      }
    }
    send(events, n);
  };

  /** Admits an event of this kind now (the time it takes), or counts it as rate-limited (0). */
  const admit = (k: string): number => {
    const t = now();
    const s = (t / 1000) | 0;
    let r = rates[k];
    if (!r || r[0] !== s) rates[k] = r = [s, 0];
    return r[1]++ < (k === 'v' ? MAX_RATE_PER_KIND / 5 : MAX_RATE_PER_KIND) ? t : (limited++, 0);
  };
  const push = (k: string, t: number, f: Field[]): void => {
    pending[pending.length] = [k, t, f];
    if (pending.length >= FLUSH_AT) flush();
  };
  const rec = (k: string, ...f: Field[]): void => {
    const t = admit(k);
    if (t) push(k, t, f);
  };

  // ---- console ----
  const con = win.console;
  const wrapConsole = (level: string): void => {
    try {
      wrapCall(con, level, (_, a) => {
        const t = admit(level === 'info' || level === 'log' ? 'v' : 'console');
        if (t) {
          // `a` is the engine's own list of the arguments: the page never sees it.
          for (let i = 0; i < a.length && i < 50; i++) a[i] = ser.snap(a[i]);
          push('console', t, [level, { v: a, d: -1 }]);
        }
      });
    } catch {
      /* frozen console */
    }
  };
  wrapConsole('error');
  wrapConsole('warn');

  // ---- handshake; the bridge may ask for info/log capture and for WebRTC stats ----
  // The bridge says ready when it arrives (after the load: nobody listens before, so the hook
  // announces itself only in answer), and again when the settings ask for info/log.
  let verbose = false;
  // Saying ready again also asks for what is pending now (hand-over, snapshot, pagehide).
  listen(win, EVENTS.bridgeReady, (ev) => {
    if (!connected) emit(EVENTS.hookReady, '');
    connected = true;
    const early = held;
    held = [];
    for (let i = 0; i < early.length; i++) emit(EVENTS.data, early[i]!);
    flush();
    // (A page that forged 'verbose' would only get its info/log sent: the bridge keeps them only if the settings say so.)
    if ((ev as CustomEvent).detail === 'verbose' && !verbose) {
      verbose = true;
      wrapConsole('info');
      wrapConsole('log');
    }
  });

  // ---- uncaught errors, rejections, failed resources, CSP ----
  listen(
    win,
    'error',
    (ev) => {
      const e = ev as ErrorEvent;
      const el = ev.target as Element & { src?: string; href?: string };
      const t = tag(el);
      if (call(isProtoOf, EEP, e)) rec('error', cs(e.message, 2000), cs(e.filename, 500), e.lineno, e.colno, ser.stackOf(e.error));
      else if (t) rec('resource', t, cs(el.src || el.href, 2000));
    },
    true,
  );
  listen(win, 'unhandledrejection', (ev) => rec('rejection', { v: ser.snap((ev as PromiseRejectionEvent).reason) }));
  listen(win.document, 'securitypolicyviolation', (ev) => {
    const v = ev as SecurityPolicyViolationEvent;
    rec('csp', cs(v.blockedURI, 2000), cs(v.effectiveDirective, 100), cs(v.sourceFile, 500), v.lineNumber);
  });

  // ---- network: fetch and XHR (failures and slow requests; successes are counted) ----
  const net = safe((method: string, url: string, start: number, status: number, failed: boolean) => {
    const ms = now() - start;
    if (failed || status >= 400 || ms > SLOW_REQUEST_MS) rec('net', cut(method, 20), cut(url, 2000), status, ms, failed);
    else okRequests++;
  });
  wrap(win, 'fetch', {
    apply(t, self, args) {
      const p = apply(t, self, args) as Promise<Response>;
      try {
        const start = now();
        const input = args[0] as Request | string;
        const req = typeof input === 'object' && input;
        // The init's own method only (a getter of the page's would run twice), else the Request's.
        const d = args[1] && typeof args[1] === 'object' ? gopd(args[1], 'method') : undefined;
        const method = (d && typeof d.value === 'string' && d.value) || (req && req.method) || 'GET';
        const url = (req && req.url) || str(input);
        call(
          then,
          p,
          (r: Response) => net(method, url, start, r.status, false),
          () => net(method, url, start, 0, true),
        );
        // The page gets a promise that settles as p does: rejected and not handled by the page, it
        // reaches the page's unhandledrejection as p would have (a rejection thrown from a handler
        // of ours would not: the browser mutes errors of extension scripts).
        return call(then, p);
      } catch {
        return p;
      }
    },
  });
  const XP = win.XMLHttpRequest.prototype;
  const xhrs = new WM();
  wrapCall(XP, 'open', (x, a) => call(wmSet, xhrs, x, [str(a[0]), str(a[1])]));
  // Listening before send: a synchronous request ends inside it.
  wrapCall(
    XP,
    'send',
    (x) => {
      const m = call(wmGet, xhrs, x) as [string, string] | undefined;
      const start = now();
      if (m)
        listen(x, 'loadend', () => {
          const status = (x as XMLHttpRequest).status;
          net(m[0], m[1], start, status, !status);
        });
    },
    true,
  );

  /** Wraps the constructor win[name]: a Proxy whose construct calls `made` with each instance. */
  const wrapConstructor = <T extends object>(name: string, made: (o: T, args: unknown[]) => void): Fn | undefined => {
    const f = safe(made);
    const C = wrap(win, name, {
      construct(t, args, nt) {
        const o = construct(t, args, nt) as T;
        f(o, args);
        return o;
      },
    });
    // Instances and the prototype lead back to the wrapper, as they led to the native.
    if (C) defineProperty(C.prototype, 'constructor', { value: (win as unknown as Rec)[name] });
    return C;
  };

  // ---- WebSocket: lifecycle and message counts, never payloads ----
  const sent = new WM();
  if (
    wrapConstructor<WebSocket>('WebSocket', (ws, args) => {
      const url = cs(args[0], 2000);
      const t0 = now();
      let rx = 0;
      listen(ws, 'open', () => rec('ws', 'open', url));
      listen(ws, 'message', () => rx++);
      listen(ws, 'error', () => rec('ws', 'error', url));
      listen(ws, 'close', (ev) => {
        const c = ev as CloseEvent;
        rec('ws', 'close', url, c.code, cs(c.reason, 200), c.wasClean, rx, (call(wmGet, sent, ws) as number) || 0, now() - t0);
      });
    })
  )
    // A page that broke WeakMap: count nothing, send anyway.
    wrapCall(win.WebSocket.prototype, 'send', (ws) => call(wmSet, sent, ws, ((call(wmGet, sent, ws) as number) || 0) + 1));

  // ---- RTCPeerConnection: state changes; stats on request. Instances are held weakly (last 20). ----
  const pcs: [WeakRef<RTCPeerConnection>, number][] = [];
  let seq = 0;
  const webkit = 'webkitRTCPeerConnection';
  const alias = (win as unknown as Rec)[webkit] === win.RTCPeerConnection;
  if (
    WR &&
    wrapConstructor<RTCPeerConnection>('RTCPeerConnection', (pc) => {
      const id = ++seq;
      pcs[id % 20] = [new WR(pc), id];
      const state = (e: string, s: string) => rec('rtc', id, e, cs(s, 30));
      listen(pc, 'connectionstatechange', () => state('connection', pc.connectionState));
      listen(pc, 'iceconnectionstatechange', () => state('ice', pc.iceConnectionState));
      state('new', 'new');
    }) &&
    alias
  )
    (win as unknown as Rec)[webkit] = win.RTCPeerConnection;
  listen(win, EVENTS.statsRequest, () => {
    for (let i = 0; i < pcs.length; i++) {
      const x = pcs[i];
      const pc = x && x[0].deref();
      if (pc && pc.connectionState !== 'closed')
        call(then, pc.getStats(), (report: RTCStatsReport) => {
          const list: unknown[] = [];
          report.forEach((s) => (list[list.length] = s));
          rec('rtcstats', x[1], { v: list, L: STATS_LIMITS });
        });
    }
  });

  // ---- breadcrumbs: clicks, submits, navigation, visibility, connectivity (never values) ----
  listen(
    win,
    'click',
    (ev) => {
      let el = ev.target;
      if (!tag(el)) return;
      el = (call(closest, el, 'button,a,[role],input,select,label,summary,[data-fault]') || el) as Element;
      rec('click', tag(el), cut(attr(el, 'role'), 50), cut(words(attr(el, 'aria-label') || attr(el, 'title') || (call(textOf, el) as string), ' ', 99), 80), sel(el, true));
    },
    true,
  );
  listen(
    win,
    'submit',
    (ev) => {
      const f = ev.target;
      if (tag(f)) rec('submit', sel(f, true), cut(attr(f, 'action'), 500));
    },
    true,
  );
  const nav = (how: string) => rec('nav', how, cut(win.location.href, 2000));
  for (const m of ['pushState', 'replaceState']) wrapCall(win.History.prototype, m, () => nav(m));
  for (const type of ['popstate', 'hashchange', 'online', 'offline']) listen(win, type, () => nav(type));
  listen(win.document, 'visibilitychange', () => nav(str(win.document.visibilityState)));
}
