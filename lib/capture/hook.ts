/**
 * The page hook: runs in the page's MAIN world at document_start, in every frame of the
 * Axialys surfaces. Dependency-free and small (budget 4 KB gzipped).
 *
 * Rules: never throw into the page, never change what the page sees (return values, `this`,
 * promises, constructors' identity and prototypes), do the least inside hooked calls (take
 * references and a timestamp), and serialize in a batch outside the call. Events reach the
 * bridge as one JSON string per batch. Scrubbing happens in the bridge, the one scrubber.
 */
import { EVENTS, HOOK_PROTOCOL_VERSION } from './channel';
import { serializeArgs, type Json } from './serialize';

type Raw = { k: string; t: number; [f: string]: unknown };

const MAX_PENDING = 300;
const MAX_QUEUED_BATCHES = 50;
/** Requests slower than this are kept even when they succeed. */
export const SLOW_REQUEST_MS = 3000;

export function installHook(win: Window & typeof globalThis = window): void {
  // A name derived from the namespace without revealing it (the page can list window's properties).
  let h = 5381;
  for (let i = 0; i < EVENTS.data.length; i++) h = ((h * 33) ^ EVENTS.data.charCodeAt(i)) >>> 0;
  const flag = `__${h.toString(36)}`;
  // Installed twice (e.g. an extension reload): keep the first one.
  if ((win as unknown as Record<string, unknown>)[flag]) return;
  try {
    Object.defineProperty(win, flag, { value: true });
  } catch {
    return;
  }

  // Take what we need before page scripts can replace it.
  const R = win.Reflect;
  const apply = R.apply;
  const construct = R.construct;
  const P = win.Proxy;
  const ET = win.EventTarget.prototype;
  const dispatch = ET.dispatchEvent;
  const addListener = ET.addEventListener;
  const CE = win.CustomEvent;
  const stringify = win.JSON.stringify;
  const parse = win.JSON.parse;
  const now = win.Date.now;
  const perf = win.performance;
  // Batches go out in their own task, not in the caller's: a MessageChannel task (unlike a timer,
  // it is not throttled in background tabs, where the bar often sits).
  const chan = new win.MessageChannel();
  const postTask = chan.port2.postMessage;
  const WR = win.WeakRef;
  const pThen = win.Promise.prototype.then;
  const str = win.String;

  let connected = false;
  let pending: Raw[] = [];
  let dropped = 0;
  let scheduled = false;
  let outbox: string[] = [];
  let okRequests = 0;

  const emit = (name: string, detail: string): void => {
    try {
      apply(dispatch, win, [new CE(name, { detail })]);
    } catch {
      /* the page broke events; nothing we can do */
    }
  };
  const listen = (target: EventTarget, type: string, fn: (ev: Event) => void, capture = false): void => {
    apply(addListener, target, [type, fn, capture]);
  };
  const safe =
    <A extends unknown[]>(fn: (...a: A) => void) =>
    (...a: A): void => {
      try {
        apply(fn, undefined, a);
      } catch {
        /* never throw into the page */
      }
    };

  const flush = (): void => {
    scheduled = false;
    if (!pending.length && !dropped && !okRequests) return;
    const batch = pending;
    pending = [];
    const events: Json[] = [];
    for (let i = 0; i < batch.length; i++) {
      const e = batch[i]!;
      try {
        events[events.length] = ((e.k === 'console' ? { ...e, a: serializeArgs(e['a'] as unknown[]) } : e) as Json);
      } catch {
        dropped++;
      }
    }
    let detail: string;
    try {
      detail = stringify({ v: HOOK_PROTOCOL_VERSION, dropped, ok: okRequests, events });
    } catch {
      return;
    }
    dropped = 0;
    okRequests = 0;
    if (connected) emit(EVENTS.data, detail);
    else if (outbox.length < MAX_QUEUED_BATCHES) outbox[outbox.length] = detail;
  };
  chan.port1.onmessage = flush;

  const push = (e: Raw): void => {
    if (pending.length >= MAX_PENDING) {
      dropped++;
      return;
    }
    pending[pending.length] = e;
    if (!scheduled) {
      scheduled = true;
      apply(postTask, chan.port2, [0]);
    }
  };
  const rec = (k: string, f: Record<string, unknown> = {}): void => push({ k, t: now(), ...f });

  // ---- console ----
  const con = win.console;
  const wrapConsole = (level: 'error' | 'warn' | 'info' | 'log'): void => {
    const orig = con[level];
    if (typeof orig !== 'function') return;
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
  };
  wrapConsole('error');
  wrapConsole('warn');

  // ---- handshake; the bridge may ask for info/log capture and for WebRTC stats ----
  // The bridge says ready once at start, and again when the settings ask for info/log.
  let verbose = false;
  // Saying ready again also asks for what is pending now (before a snapshot, at pagehide).
  listen(win, EVENTS.bridgeReady, (ev) => {
    if (!connected) {
      connected = true;
      announce();
      for (let i = 0; i < outbox.length; i++) emit(EVENTS.data, outbox[i]!);
      outbox = [];
    }
    flush();
    try {
      const cfg = parse(str((ev as CustomEvent).detail)) as { verbose?: boolean };
      if (cfg && cfg.verbose === true && !verbose) {
        verbose = true;
        wrapConsole('info');
        wrapConsole('log');
      }
    } catch {
      /* no config */
    }
  });
  const announce = (): void => emit(EVENTS.hookReady, stringify({ v: HOOK_PROTOCOL_VERSION }));
  announce();

  // ---- uncaught errors, rejections, failed resources, CSP ----
  listen(
    win,
    'error',
    safe((ev: Event) => {
      if (ev instanceof win.ErrorEvent) {
        const err = ev.error as { stack?: unknown } | undefined;
        rec('error', {
          m: str(ev.message).slice(0, 2000),
          src: str(ev.filename || '').slice(0, 500),
          line: ev.lineno | 0,
          col: ev.colno | 0,
          st: err && typeof err.stack === 'string' ? err.stack.slice(0, 4000) : '',
        });
        return;
      }
      const el = ev.target as (Element & { src?: string; href?: string }) | null;
      if (el && el !== (win as unknown) && el.tagName) rec('resource', { tag: el.tagName.toLowerCase(), url: str(el.src || el.href || '').slice(0, 2000) });
    }),
    true,
  );
  listen(
    win,
    'unhandledrejection',
    safe((ev: Event) => rec('rejection', { r: serializeArgs([(ev as PromiseRejectionEvent).reason])[0] ?? null })),
  );
  listen(
    win.document,
    'securitypolicyviolation',
    safe((ev: Event) => {
      const v = ev as SecurityPolicyViolationEvent;
      rec('csp', { url: str(v.blockedURI).slice(0, 2000), dir: str(v.effectiveDirective || v.violatedDirective), src: str(v.sourceFile || '').slice(0, 500), line: v.lineNumber | 0 });
    }),
  );

  // ---- network: fetch and XHR (failures and slow requests; successes are counted) ----
  const net = safe((method: string, url: string, start: number, status: number, failed: boolean): void => {
    const ms = perf.now() - start;
    if (failed || status >= 400 || ms > SLOW_REQUEST_MS) rec('net', { method: method.toUpperCase(), url: url.slice(0, 2000), status, ms: Math.round(ms), failed });
    else okRequests++;
  });
  const origFetch = win.fetch;
  if (typeof origFetch === 'function') {
    win.fetch = new P(origFetch, {
      apply(target, self, args: unknown[]) {
        const p = apply(target, self, args) as Promise<Response>;
        try {
          const start = perf.now();
          const input = args[0] as { url?: string; method?: string } | string;
          const init = args[1] as { method?: string } | undefined;
          const url = str(typeof input === 'object' && input ? input.url : input);
          const method = str((init && init.method) || (typeof input === 'object' && input && input.method) || 'GET');
          // A derived promise, returned instead of p: it settles like p, and a failure the page
          // does not handle still reaches its unhandledrejection (observing p would hide it).
          return apply(pThen, p, [
            (r: Response) => {
              net(method, url, start, r.status, false);
              return r;
            },
            (e: unknown) => {
              net(method, url, start, 0, true);
              throw e;
            },
          ]) as Promise<Response>;
        } catch {
          return p;
        }
      },
    });
  }
  const XHR = win.XMLHttpRequest && win.XMLHttpRequest.prototype;
  if (XHR) {
    const open = XHR.open;
    const send = XHR.send;
    const meta = new WeakMap<XMLHttpRequest, [string, string]>();
    XHR.open = function (this: XMLHttpRequest, ...args: unknown[]) {
      try {
        meta.set(this, [str(args[0]), str(args[1])]);
      } catch {
        /* ignore */
      }
      return apply(open, this, args);
    } as typeof XHR.open;
    XHR.send = function (this: XMLHttpRequest, ...args: unknown[]) {
      try {
        const m = meta.get(this);
        if (m) {
          const start = perf.now();
          listen(this, 'loadend', safe(() => net(m[0], m[1], start, this.status, this.status === 0)));
        }
      } catch {
        /* ignore */
      }
      return apply(send, this, args);
    } as typeof XHR.send;
  }

  // ---- WebSocket: lifecycle and message counts, never payloads ----
  const WS = win.WebSocket;
  if (typeof WS === 'function') {
    const tx = new WeakMap<WebSocket, number>();
    win.WebSocket = new P(WS, {
      construct(target, args, nt) {
        const ws = construct(target, args, nt) as WebSocket;
        safe(() => {
          const url = str(args[0]).slice(0, 2000);
          const t0 = now();
          let rx = 0;
          tx.set(ws, 0);
          listen(ws, 'open', () => rec('ws', { e: 'open', url }));
          listen(ws, 'message', () => rx++);
          listen(ws, 'error', () => rec('ws', { e: 'error', url }));
          listen(ws, 'close', (ev) => {
            const c = ev as CloseEvent;
            rec('ws', { e: 'close', url, code: c.code, reason: str(c.reason).slice(0, 200), clean: c.wasClean, rx, tx: tx.get(ws) || 0, ms: now() - t0 });
          });
        })();
        return ws;
      },
    });
    const wsSend = WS.prototype.send;
    WS.prototype.send = function (this: WebSocket, ...args: unknown[]) {
      try {
        tx.set(this, (tx.get(this) || 0) + 1);
      } catch {
        /* a page that broke WeakMap: count nothing, send anyway */
      }
      return apply(wsSend, this, args as [string]);
    };
  }

  // ---- RTCPeerConnection: state changes; stats on request. Instances are held weakly. ----
  const PC = win.RTCPeerConnection;
  const pcs: { ref: WeakRef<RTCPeerConnection>; id: number }[] = [];
  if (typeof PC === 'function' && typeof WR === 'function') {
    let seq = 0;
    win.RTCPeerConnection = new P(PC, {
      construct(target, args, nt) {
        const pc = construct(target, args, nt) as RTCPeerConnection;
        safe(() => {
          const id = ++seq;
          pcs.push({ ref: new WR(pc), id });
          if (pcs.length > 20) pcs.shift();
          const state = (e: string, s: string) => rec('rtc', { id, e, s });
          listen(pc, 'connectionstatechange', () => state('connection', pc.connectionState));
          listen(pc, 'iceconnectionstatechange', () => state('ice', pc.iceConnectionState));
          state('new', 'new');
        })();
        return pc;
      },
    });
  }
  listen(
    win,
    EVENTS.statsRequest,
    safe(() => {
      for (const { ref, id } of pcs) {
        const pc = ref.deref();
        if (!pc || pc.connectionState === 'closed') continue;
        pc.getStats().then(
          (report) => rec('rtcstats', { id, s: summarizeStats(report) }),
          () => undefined,
        );
      }
    }),
  );

  // ---- breadcrumbs: clicks, submits, navigation, visibility, connectivity (never values) ----
  listen(
    win,
    'click',
    safe((ev: Event) => {
      const el = ev.target as Element | null;
      if (el && el.tagName) rec('click', describe(el));
    }),
    true,
  );
  listen(
    win,
    'submit',
    safe((ev: Event) => {
      const f = ev.target as HTMLFormElement;
      rec('submit', { sel: selector(f), action: str(f.getAttribute('action') || '').slice(0, 500) });
    }),
    true,
  );
  const hist = win.history;
  for (const m of ['pushState', 'replaceState'] as const) {
    const orig = hist[m];
    hist[m] = function (this: History, ...args: unknown[]) {
      const r = apply(orig, this, args);
      safe(() => rec('nav', { how: m, url: str(win.location.href).slice(0, 2000) }))();
      return r;
    } as History[typeof m];
  }
  for (const type of ['popstate', 'hashchange', 'online', 'offline'])
    listen(win, type, safe(() => rec('nav', { how: type, url: str(win.location.href).slice(0, 2000) })));
  listen(win.document, 'visibilitychange', safe(() => rec('nav', { how: win.document.visibilityState, url: '' })));
}

function selector(el: Element): string {
  const tag = el.tagName.toLowerCase();
  if (el.id) return `${tag}#${el.id}`.slice(0, 120);
  const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
  const parent = el.parentElement;
  const ps = parent && parent.id ? `#${parent.id} > ` : '';
  return `${ps}${tag}${cls ? `.${cls}` : ''}`.slice(0, 120);
}

function describe(el: Element): Record<string, string> {
  const target = el.closest('button,a,[role],input,select,label,summary,[data-fault]') || el;
  const name = target.getAttribute('aria-label') || target.getAttribute('title') || (target as HTMLElement).innerText || target.textContent || '';
  return {
    tag: target.tagName.toLowerCase(),
    role: target.getAttribute('role') || '',
    name: name.replace(/\s+/g, ' ').trim().slice(0, 80),
    sel: selector(target),
  };
}

/** Summarises getStats(): selected candidate pair, inbound and outbound audio. */
export function summarizeStats(report: RTCStatsReport): Record<string, unknown> {
  const byId = new Map<string, Record<string, unknown>>();
  report.forEach((s: Record<string, unknown>) => byId.set(s['id'] as string, s));
  const out: Record<string, unknown> = {};
  for (const s of byId.values()) {
    const type = s['type'];
    if (type === 'transport' && s['selectedCandidatePairId']) out['pairId'] = s['selectedCandidatePairId'];
    if (type === 'candidate-pair' && (s['selected'] || s['nominated']) && s['state'] === 'succeeded' && !out['pairId']) out['pairId'] = s['id'];
    if (type === 'inbound-rtp' && s['kind'] === 'audio')
      out['in'] = { jitter: s['jitter'], lost: s['packetsLost'], received: s['packetsReceived'], level: s['audioLevel'] };
    if (type === 'outbound-rtp' && s['kind'] === 'audio') out['out'] = { bytes: s['bytesSent'], packets: s['packetsSent'] };
  }
  const pair = byId.get(out['pairId'] as string);
  if (pair) {
    const loc = byId.get(pair['localCandidateId'] as string);
    const rem = byId.get(pair['remoteCandidateId'] as string);
    out['pair'] = {
      rtt: pair['currentRoundTripTime'],
      local: loc && { type: loc['candidateType'], protocol: loc['protocol'], relay: loc['relayProtocol'] },
      remote: rem && { type: rem['candidateType'], protocol: rem['protocol'] },
    };
  }
  delete out['pairId'];
  return out;
}
