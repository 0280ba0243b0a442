/**
 * Bounded, never-throwing encoding of page values (console arguments, rejection reasons) as JSON
 * text, for the page hook (MAIN world, dependency-free).
 *
 * It never runs page code and never changes what the page sees:
 * - it reads own data properties only (Object.keys + getOwnPropertyDescriptor): getters are shown
 *   as "[getter]" and never called, inherited properties are not read (the exception: an Error's
 *   name, message and stack are looked up along its prototypes, data properties only, and the
 *   engine's own `stack` getter, recognised by identity, is called);
 * - it never looks into a Proxy (its traps are page code): the hook records every Proxy the page
 *   creates (trackProxies) and the serializer shows them as "[Proxy]";
 * - it only calls built-ins saved when the serializer is made, before page scripts run (a page may
 *   replace, count or sabotage Array/String/JSON/Object methods, `instanceof`, toJSON…): no method
 *   calls on page values, no iterators, no JSON.stringify of objects (only of string primitives).
 */
export interface SerializeLimits {
  depth: number;
  keys: number;
  stringLength: number;
  /** Rough budget in characters for one serialized argument list. */
  total: number;
}

export const DEFAULT_LIMITS: SerializeLimits = { depth: 3, keys: 20, stringLength: 1000, total: 4000 };

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Serializer {
  /**
   * JSON text of one value, within other limits if given; `depth` -1 for an argument list (the
   * list itself does not count as a level).
   */
  value(v: unknown, limits?: SerializeLimits, depth?: number): string;
  /**
   * Called inside a hooked call: an Error's name, message and stack are read at once (later, the
   * page may have changed them); anything else is returned as is, to be serialized later.
   */
  snap(v: unknown): unknown;
  /** The stack of an Error ('' for anything else), read as `snap` does. */
  stackOf(v: unknown): string;
  /** s cut to n characters (String.prototype.slice as it was). */
  cut(s: string, n: number): string;
  /** Whitespace runs of s replaced by `sep` and trimmed, keeping at most `max` words (≤ 120 chars). */
  words(s: string, sep: string, max: number): string;
  /** An element's tag name (lower case); '' for anything else. */
  tag(el: unknown): string;
  /** An element's attribute, or ''. */
  attr(el: unknown, name: string): string;
  /** A short selector of an element: `tag#id.class1.class2`, after `#parentId > ` if it has no id and `parent` is set. */
  sel(el: unknown, parent?: boolean): string;
}

type Win = Window & typeof globalThis;
type Fn = (this: unknown, ...a: unknown[]) => unknown;

/**
 * Records every Proxy the page creates with `new Proxy` from now on, by replacing `Proxy` with a
 * Proxy of it (which forwards everything it does not trap). Returns the test, and the [wrapper,
 * original] pair. (Proxy.revocable is left alone: its Proxies are not recognised.)
 */
export function trackProxies(win: Win): [(o: unknown) => boolean, [unknown, unknown]] {
  const P = win.Proxy;
  const { apply, construct } = win.Reflect;
  const seen = new win.WeakSet<object>();
  const { add, has } = win.WeakSet.prototype;
  const ctor = new P(P, {
    construct(t, a, nt) {
      const p = construct(t, a, nt);
      apply(add, seen, [p]);
      return p;
    },
  });
  win.Proxy = ctor;
  return [(o) => apply(has, seen, [o]) as boolean, [ctor, P]];
}

export function makeSerializer(win: Win, isProxy: (o: unknown) => boolean = () => false, limits: SerializeLimits = DEFAULT_LIMITS): Serializer {
  const O = win.Object;
  const apply = win.Reflect.apply;
  const call = (f: unknown, self: unknown, ...a: unknown[]) => apply(f as Fn, self, a);
  const gopd = O.getOwnPropertyDescriptor;
  const keysOf = O.keys;
  const protoOf = O.getPrototypeOf;
  const hasOwn = O.hasOwn;
  const isProtoOf = O.prototype.isPrototypeOf;
  const isArray = win.Array.isArray;
  const isView = win.ArrayBuffer.isView;
  const slice = win.String.prototype.slice;
  const str = win.String;
  const enc = win.JSON.stringify as (s: string) => string;
  const E = win.Error;
  const NP = win.Node.prototype;
  const EP = win.Element.prototype;
  const getter = (o: object, k: string) => (gopd(o, k) as PropertyDescriptor).get;
  const localName = getter(EP, 'localName');
  const nodeName = getter(NP, 'nodeName');
  const parentEl = getter(NP, 'parentElement');
  const getAttr = EP.getAttribute;
  const isErr = (E as { isError?: (v: unknown) => boolean }).isError || ((v: unknown) => call(isProtoOf, E.prototype, v) as boolean);
  let maxDepth: number;
  let maxKeys: number;
  let maxString: number;
  let budget: number;
  let seen: unknown[];
  const start = (L: SerializeLimits = limits): void => {
    ({ depth: maxDepth, keys: maxKeys, stringLength: maxString, total: budget } = L);
    seen = [];
  };
  start();

  /** Marks a property the serializer must not read: an accessor (its getter is page code). */
  const GETTER = {};
  /** Own data value of o[k]; GETTER for an accessor; undefined when o has no such own property. */
  const own = (o: object, k: string | number): unknown => {
    const d = gopd(o, k);
    return d && (hasOwn(d, 'value') ? d.value : GETTER);
  };
  // The engine's `stack` getter: V8 gives each Error an own accessor sharing one native getter,
  // SpiderMonkey has it on Error.prototype.
  const stackGetter = (gopd(new E(), 'stack') || gopd(E.prototype, 'stack') || {}).get;
  /** An Error's field, looked up along its prototypes: data properties, and the engine's stack getter. */
  const field = (e: object, k: string): string => {
    for (let o: object | null = e, i = 0; o && i < 9 && !isProxy(o); o = protoOf(o) as object | null, i++) {
      const d = gopd(o, k);
      if (d) {
        const v = hasOwn(d, 'value') ? d.value : d.get === stackGetter ? call(stackGetter, e) : '[getter]';
        return typeof v === 'string' ? v : '';
      }
    }
    return '';
  };

  const cut = (s: string, n: number): string => (s.length > n ? (call(slice, s, 0, n) as string) : s);
  const clip = (s: string, max: number): string => (s.length > max ? `${cut(s, max)}…[+${s.length - max}]` : s);
  const words = (s: string, sep: string, max: number): string => {
    let out = '';
    let gap = false;
    for (let i = 0; i < s.length && out.length < 120; i++) {
      const c = s[i]!;
      if (c <= ' ' || c === '\u00a0') gap = out !== '';
      else {
        if (gap && (--max < 1 || !(out += sep))) break;
        gap = false;
        out += c;
      }
    }
    return out;
  };
  const isEl = (n: unknown) => call(isProtoOf, EP, n) as boolean;
  const attr = (n: unknown, k: string) => (call(getAttr, n, k) as string | null) || '';
  const tag = (n: unknown) => call(localName, n) as string;
  const sel = (n: unknown, parent?: boolean): string => {
    const id = attr(n, 'id');
    const cls = words(attr(n, 'class'), '.', 2);
    const pid = parent && !id && attr(call(parentEl, n), 'id');
    return cut(`${pid ? `#${pid} > ` : ''}${tag(n)}${id ? `#${id}` : ''}${cls ? `.${cls}` : ''}`, 120);
  };

  /** The prototype of an Error read at once: `s` holds its JSON text. */
  const SNAP = {};
  const errJson = (e: object): string =>
    `{"name":${enc(clip(field(e, 'name'), 100))},"message":${enc(clip(field(e, 'message'), maxString))},"stack":${enc(clip(field(e, 'stack'), maxString * 2))}}`;
  // (Both tests are false for primitives.)
  const isError = (v: unknown): v is object => !isProxy(v) && isErr(v);

  const walk = (v: unknown, depth: number): string => {
    if (budget <= 0) return '"…"';
    try {
      const t = typeof v;
      let s: string;
      if (t === 'string') {
        s = clip(v as string, budget < maxString ? (budget > 16 ? budget : 16) : maxString);
        budget -= s.length;
        return enc(s);
      }
      // Booleans pass the finite test; NaN and ±Infinity become strings.
      if (t === 'number' || t === 'boolean') return (v as number) - (v as number) === 0 ? `${v as number}` : `"${v as number}"`;
      if (t === 'bigint') return `"${v as bigint}n"`;
      if (t === 'symbol') return enc(str(v));
      if (v == null) return v === null ? 'null' : '"[undefined]"';
      if (isProxy(v)) return '"[Proxy]"';
      const o = v as object;
      if (t === 'function') {
        const name = own(o, 'name');
        return enc(`[function ${typeof name === 'string' && name ? clip(name, 100) : 'anonymous'}]`);
      }
      if (protoOf(o) === SNAP) s = (o as { s: string }).s;
      else {
        for (let i = 0; i < seen.length; i++) if (seen[i] === o) return '"[circular]"';
        if (isErr(o)) s = errJson(o);
        else if (call(isProtoOf, NP, o)) return enc(isEl(o) ? clip(`<${sel(o)}>`, 120) : `[${call(nodeName, o) as string}]`);
        else {
          const arr = isArray(o);
          if (depth >= maxDepth) return arr ? '"[Array]"' : '"[Object]"';
          if (isView(o)) return '"[binary]"';
          seen[seen.length] = o;
          let out = '';
          let sep = '';
          const keys: ArrayLike<string> = arr ? { length: (o as unknown[]).length } : keysOf(o);
          const len = keys.length;
          const n = len < maxKeys ? len : maxKeys;
          for (let i = 0; i < n; i++, sep = ',') {
            const k = arr ? i : keys[i]!;
            const x = own(o, k);
            if (!arr) {
              budget -= (k as string).length;
              out += `${sep}${enc(clip(k as string, 100))}:`;
            } else out += sep;
            out += x === GETTER ? '"[getter]"' : walk(x, depth + 1);
          }
          if (len > n) out += arr ? `${sep}"…[+${len - n}]"` : `${sep}"…":"more keys"`;
          return arr ? `[${out}]` : `{${out}}`;
        }
      }
      budget -= s.length;
      return s;
    } catch {
      return '"[unserializable]"';
    }
  };

  return {
    value(v, L, depth = 0) {
      start(L);
      return walk(v, depth);
    },
    // A literal defines `s` (no setter of the page's Object.prototype runs).
    snap: (v) => (isError(v) ? { __proto__: SNAP, s: errJson(v) } : v),
    stackOf: (v) => (isError(v) ? cut(field(v, 'stack'), 4000) : ''),
    cut,
    words,
    tag: (n) => (isEl(n) ? tag(n) : ''),
    attr,
    sel,
  };
}

/** Convenience for tests and tools: the serializer's output for an argument list, parsed. */
export function serializeArgs(args: ArrayLike<unknown>, limits: SerializeLimits = DEFAULT_LIMITS): Json[] {
  return JSON.parse(makeSerializer(window as Win, undefined, limits).value(args, undefined, -1)) as Json[];
}
