import { DEFAULT_SURFACE_RULES, SURFACES, surfaceOfUrl, type Surface, type SurfaceRule } from './rules';
import {
  FIELD_SPECS,
  fieldsSchemaFor,
  MAX_ROWS,
  MAX_STRING,
  type FieldSpec,
  type ListSpec,
  type NodeSpec,
  type ObjectSpec,
  type Read,
  type SourceSpec,
  type SurfaceFieldsFor,
  type SurfaceSpec,
} from './fields';

/**
 * The generic engine that reads a surface's fields from its DOM, following the selector data in
 * `fields.ts`. Pure DOM: no extension API, so it runs in the content script and in unit tests.
 *
 * It never throws: a missing element gives null (or an empty list), and every DOM access is
 * guarded, so a broken or hostile page (throwing getters, invalid selectors, huge text, odd
 * nodes) only loses the values it spoils. Strings are trimmed, whitespace-collapsed and capped
 * at MAX_STRING; lists at MAX_ROWS rows.
 */

export type Scalar = string | number | boolean | null;
export type Extracted = Scalar | Extracted[] | { [field: string]: Extracted };

/** Longest raw text looked at before normalisation (the rest cannot fit in MAX_STRING anyway). */
const RAW_WINDOW = MAX_STRING * 8;
const MAX_ABS_NUMBER = 1e15;

// ------------------------------------------------------------------ Guarded DOM access

function queryOne(scope: unknown, selector: string): Element | null {
  try {
    const fn = (scope as ParentNode | null)?.querySelector;
    if (typeof fn !== 'function') return null;
    const el = fn.call(scope, selector) as unknown;
    return el && typeof el === 'object' ? (el as Element) : null;
  } catch {
    return null;
  }
}

function queryRows(scope: unknown, selector: string, max: number): Element[] {
  const out: Element[] = [];
  try {
    const fn = (scope as ParentNode | null)?.querySelectorAll;
    if (typeof fn !== 'function') return out;
    const list = fn.call(scope, selector) as ArrayLike<unknown>;
    const n = Math.min(Number(list.length) || 0, max);
    for (let i = 0; i < n; i++) {
      const el = list[i];
      if (el && typeof el === 'object') out.push(el as Element);
    }
  } catch {
    /* a hostile list: keep the rows read so far */
  }
  return out;
}

const MAX_TEXT_NODES = 5000;
const SKIPPED_ELEMENTS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);

/**
 * The text of a node, like textContent but bounded (at most RAW_WINDOW characters and
 * MAX_TEXT_NODES nodes visited, so a 10 MB subtree costs nothing), without script/style text, and
 * with a space at element boundaries ("Administration › Opérateurs", not "Administration›Opérateurs").
 */
function textOf(node: unknown): string | null {
  try {
    const root = node as Node;
    const type = root.nodeType;
    if (type === 3 || type === 4) return typeof root.nodeValue === 'string' ? root.nodeValue.slice(0, RAW_WINDOW) : null;
    if (type !== 1 && type !== 9 && type !== 11) return null;
    let out = '';
    let gap = false;
    let visited = 0;
    let cur: Node | null = root.firstChild;
    while (cur && visited++ < MAX_TEXT_NODES && out.length < RAW_WINDOW) {
      const t = cur.nodeType;
      if (t === 3 || t === 4) {
        const v = cur.nodeValue;
        if (typeof v === 'string' && v) {
          if (gap && out) out += ' ';
          gap = false;
          out += v.slice(0, RAW_WINDOW - out.length);
        }
      } else if (t === 1 && !SKIPPED_ELEMENTS.has(String(cur.nodeName).toUpperCase())) {
        gap = true;
        const child: Node | null = cur.firstChild;
        if (child) {
          cur = child;
          continue;
        }
      }
      // Next node: a sibling, else the sibling of the nearest ancestor that has one (within root).
      while (cur && cur !== root) {
        const next: Node | null = cur.nextSibling;
        if (next) {
          cur = next;
          break;
        }
        cur = cur.parentNode;
        gap = true;
      }
      if (cur === root) break;
    }
    return out;
  } catch {
    return null;
  }
}

function attrOf(node: unknown, name: string): unknown {
  try {
    const fn = (node as Element).getAttribute;
    return typeof fn === 'function' ? fn.call(node, name) : null;
  } catch {
    return null;
  }
}

function valueOf(node: unknown): unknown {
  try {
    const v = (node as { value?: unknown }).value;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ Normalisation and parsing

// C0/C1 controls other than whitespace, zero-width space, LRM/RLM, bidi embeddings and isolates, word joiner, BOM.
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const PLACEHOLDER = /^[-‐‑‒–—―…·•.\s]*$/u;

/** Trims, collapses whitespace, drops invisible characters and placeholders ("—", "…"); null when nothing is left. Uncapped. */
function clean(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  let s = raw;
  if (s.length > RAW_WINDOW) s = s.trimStart().slice(0, RAW_WINDOW);
  s = s.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return PLACEHOLDER.test(s) ? null : s;
}

/** Caps a string at MAX_STRING code units, ellipsis included, without splitting a surrogate pair. */
export function capString(s: string): string {
  if (s.length <= MAX_STRING) return s;
  let cut = s.slice(0, MAX_STRING - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** "12", "-3", "1 234", "12,5" → number; anything else (units, exponents, hex) → null. */
export function parseNumber(s: string | null): number | null {
  if (s === null) return null;
  const t = s.replace(/(\d)[\s\u00A0\u202F](?=\d{3}\b)/g, '$1').replace(',', '.');
  if (!/^[-+]?\d{1,16}(?:\.\d{1,10})?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) && Math.abs(n) <= MAX_ABS_NUMBER ? n : null;
}

/** "02:05", "1:02:05", "4 min 32 s", "1 h 05 min", "28 s", "45" → seconds; anything else → null. */
export function parseSeconds(s: string | null): number | null {
  if (s === null) return null;
  const clock = /^(\d{1,6}):([0-5]?\d)(?::([0-5]?\d))?$/.exec(s);
  if (clock) {
    const [a, b, c] = [Number(clock[1]), Number(clock[2]), clock[3] === undefined ? null : Number(clock[3])];
    return c === null ? a * 60 + b : a * 3600 + b * 60 + c;
  }
  const words = /^(?:(\d{1,6})\s*h)?\s*(?:(\d{1,6})\s*min)?\s*(?:(\d{1,6})\s*s)?$/.exec(s);
  if (words && (words[1] ?? words[2] ?? words[3]) !== undefined) {
    return Number(words[1] ?? 0) * 3600 + Number(words[2] ?? 0) * 60 + Number(words[3] ?? 0);
  }
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

function parseBool(s: string | null): boolean | null {
  return s === 'true' ? true : s === 'false' ? false : null;
}

function applyPattern(s: string | null, pattern: string | undefined): string | null {
  if (s === null || pattern === undefined) return s;
  try {
    const m = new RegExp(pattern, 'u').exec(s);
    if (!m) return null;
    return clean(m[1] ?? m[0]);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ The engine

function readSource(src: SourceSpec, scope: unknown): Scalar {
  const el = src.selector === undefined ? scope : queryOne(scope, src.selector);
  const read: Read = src.read;
  if (read === 'present') return Boolean(el);
  if (!el) return null;
  let kind: 'string' | 'number' | 'seconds' | 'bool';
  let raw: unknown;
  if (read === 'text' || read === 'number' || read === 'seconds') {
    raw = textOf(el);
    kind = read === 'text' ? 'string' : read;
  } else if (read === 'value') {
    raw = valueOf(el);
    kind = 'string';
  } else {
    const colon = read.indexOf(':');
    const prefix = read.slice(0, colon);
    raw = attrOf(el, read.slice(colon + 1));
    kind = prefix === 'num-attr' ? 'number' : prefix === 'bool-attr' ? 'bool' : 'string';
  }
  if (kind === 'bool') return parseBool(clean(raw));
  const s = applyPattern(clean(raw), src.pattern);
  if (kind === 'number') return parseNumber(s);
  if (kind === 'seconds') return parseSeconds(s);
  return s === null ? null : capString(s);
}

function readField(spec: FieldSpec, scope: unknown): Scalar {
  const sources: SourceSpec[] = [spec, ...(spec.fallback ?? [])];
  for (const src of sources) {
    let v: Scalar = null;
    try {
      v = readSource(src, scope);
    } catch {
      v = null;
    }
    if (typeof v === 'string' && spec.oneOf && !spec.oneOf.includes(v)) v = null;
    if (v !== null) return v;
  }
  return null;
}

function readFields(fields: Record<string, NodeSpec>, scope: unknown): { [field: string]: Extracted } {
  const out: { [field: string]: Extracted } = {};
  for (const name of Object.keys(fields)) {
    const node = fields[name];
    if (node) out[name] = readNode(node, scope);
  }
  return out;
}

function readObject(spec: ObjectSpec, scope: unknown): Extracted {
  if (spec.when !== undefined && !queryOne(scope, spec.when)) return null;
  let inner = scope;
  if (spec.scope !== undefined) {
    inner = queryOne(scope, spec.scope);
    if (!inner) return null;
  }
  return readFields(spec.fields, inner);
}

function readList(spec: ListSpec, scope: unknown): Extracted {
  const max = Math.max(0, Math.min(spec.max ?? MAX_ROWS, MAX_ROWS));
  return queryRows(scope, spec.rows, max).map((row) => readFields(spec.fields, row));
}

function readNode(node: NodeSpec, scope: unknown): Extracted {
  try {
    if ('kind' in node && node.kind === 'object') return readObject(node, scope);
    if ('kind' in node && node.kind === 'list') return readList(node, scope);
    return readField(node as FieldSpec, scope);
  } catch {
    return 'kind' in node && node.kind === 'list' ? [] : null;
  }
}

/**
 * Runs a spec against a DOM root (a Document, an Element or a fragment). A null root gives the
 * "nothing found" shape: nulls, empty lists, and null for objects that have a `when` or a `scope`.
 */
export function extractWithSpec(spec: SurfaceSpec, root: ParentNode | null): { [field: string]: Extracted } {
  try {
    return readFields(spec.fields, root);
  } catch {
    return {};
  }
}

/** The fields of a surface when nothing could be read. */
export function emptyFields<S extends Surface>(surface: S): SurfaceFieldsFor<S> {
  if (!isSurface(surface)) return { surface: 'other' } as SurfaceFieldsFor<S>;
  const r = fieldsSchemaFor(surface).safeParse({ surface, ...extractWithSpec(FIELD_SPECS[surface], null) });
  // Always succeeds (a unit test checks it for every surface); the cast only narrows the union.
  return (r.success ? r.data : { surface }) as SurfaceFieldsFor<S>;
}

function isSurface(s: unknown): s is Surface {
  return (SURFACES as readonly unknown[]).includes(s);
}

/** Reads the support fields of `surface` from `root` (usually `document`). Never throws. */
export function extractFields<S extends Surface>(surface: S, root: ParentNode): SurfaceFieldsFor<S>;
export function extractFields(surface: Surface, root: ParentNode): SurfaceFieldsFor<Surface>;
export function extractFields(surface: Surface, root: ParentNode): SurfaceFieldsFor<Surface> {
  if (!isSurface(surface)) return { surface: 'other' };
  try {
    const spec = FIELD_SPECS[surface];
    const r = fieldsSchemaFor(surface).safeParse({ surface, ...extractWithSpec(spec, root) });
    if (r.success) return r.data;
  } catch {
    /* fall through */
  }
  return emptyFields(surface);
}

/**
 * The surface a DOM shows: the first rule with a marker (CSS selector) present, else `other`.
 * For pages whose URL is not conclusive (an embedded bar under another path, a white-label page).
 */
export function surfaceOfDom(root: ParentNode, rules: readonly SurfaceRule[] = DEFAULT_SURFACE_RULES): Surface {
  for (const r of rules) if (r.markers.some((m) => queryOne(root, m) !== null)) return r.surface;
  return 'other';
}

/** THE surface decision for a frame: its URL by the rules first, then the rules' DOM markers. */
export function detectSurface(url: string, root: ParentNode | null, rules: readonly SurfaceRule[] = DEFAULT_SURFACE_RULES): Surface {
  const byUrl = surfaceOfUrl(url, rules);
  return byUrl !== 'other' || !root ? byUrl : surfaceOfDom(root, rules);
}
