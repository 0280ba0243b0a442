/**
 * Bounded, never-throwing conversion of console arguments to JSON-safe values.
 * Runs in the page (MAIN world): dependency-free, and it must never throw or call page code
 * it can avoid (getters are read inside try/catch; Proxies and throwing getters are tolerated).
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

const objToString = Object.prototype.toString;

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…[+${s.length - max}]` : s;
}

export function serializeArgs(args: ArrayLike<unknown>, limits: SerializeLimits = DEFAULT_LIMITS): Json[] {
  let budget = limits.total;
  const seen: object[] = [];

  function walk(v: unknown, depth: number): Json {
    if (budget <= 0) return '…';
    try {
      if (v === null || v === undefined) return v === null ? null : '[undefined]';
      const t = typeof v;
      if (t === 'string') {
        const s = clip(v as string, Math.min(limits.stringLength, Math.max(budget, 16)));
        budget -= s.length;
        return s;
      }
      if (t === 'number') return Number.isFinite(v) ? (v as number) : String(v);
      if (t === 'boolean') return v as boolean;
      if (t === 'bigint') return `${String(v)}n`;
      if (t === 'symbol') return String(v);
      if (t === 'function') return `[function ${(v as { name?: string }).name || 'anonymous'}]`;
      const o = v as object;
      if (seen.includes(o)) return '[circular]';
      const tag = objToString.call(o);
      if (tag === '[object Error]' || o instanceof Error) {
        const e = o as Error;
        const out = {
          name: clip(String(e.name), 100),
          message: clip(String(e.message), limits.stringLength),
          stack: clip(String(e.stack ?? ''), limits.stringLength * 2),
        };
        budget -= out.message.length + out.stack.length;
        return out;
      }
      if (typeof Node !== 'undefined' && o instanceof Node) return describeNode(o);
      if (depth >= limits.depth) return tag === '[object Array]' ? '[Array]' : '[Object]';
      seen.push(o);
      if (Array.isArray(o)) {
        const out: Json[] = [];
        const n = Math.min(o.length, limits.keys);
        for (let i = 0; i < n; i++) out.push(walk(o[i], depth + 1));
        if (o.length > n) out.push(`…[+${o.length - n}]`);
        return out;
      }
      const out: { [k: string]: Json } = {};
      let count = 0;
      for (const k in o) {
        if (count++ >= limits.keys) {
          out['…'] = 'more keys';
          break;
        }
        let child: unknown;
        try {
          child = (o as Record<string, unknown>)[k];
        } catch {
          child = '[throws]';
        }
        budget -= k.length;
        out[clip(k, 100)] = walk(child, depth + 1);
      }
      return out;
    } catch {
      return '[unserializable]';
    }
  }

  const out: Json[] = [];
  const n = Math.min(args.length, limits.keys);
  for (let i = 0; i < n; i++) out.push(walk(args[i], 0));
  return out;
}

function describeNode(n: Node): string {
  const el = n as Element;
  if (n.nodeType !== 1) return `[${n.nodeName}]`;
  const id = el.id ? `#${el.id}` : '';
  const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 2).join('.')}` : '';
  return clip(`<${el.tagName.toLowerCase()}${id}${cls}>`, 120);
}
