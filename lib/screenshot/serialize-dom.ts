/**
 * The fallback screenshot, page side, first half: the frame's document written out as HTML text,
 * in short time slices, so that the page (an operator bar, maybe in a live call) never waits more
 * than a few milliseconds for it. The text is re-drawn far from the page, in a sandboxed frame of
 * the popup (render-snapshot.ts); html2canvas-pro, which holds the main thread for seconds on a
 * large page, runs there and never in the page's process.
 *
 * What is written, and what is not:
 * - scripts, `<noscript>`, `on*` handlers, `javascript:` URLs, frames' sources and `srcdoc`,
 *   `<meta>` (refresh), `<base>`, `autofocus`, plugins: dropped (the render frame also refuses
 *   scripts on its own: sandbox and CSP; this is the first of two locks, not the only one);
 * - the form controls' current state: value, checked, selected as attributes (password values as
 *   bullets of the same length, hidden inputs without their value);
 * - the CSS as the page's CSSOM holds it: `<style>` and readable `<link>` sheets as their rules
 *   (rules inserted by script included), adopted sheets of the document and of shadow roots;
 *   cross-origin sheets stay `<link>`s (absolute URL);
 * - shadow roots (open, and closed ones when the agent can reach them) as declarative shadow DOM;
 * - `<canvas>` and same-origin images through a side table (`data-temoin-img`: the agent reads
 *   them asynchronously, page-snapshot.ts), element scroll offsets as `data-temoin-scroll`;
 * - URLs made absolute (the render frame also gets a `<base href>`), fragment-only ones kept.
 *
 * Only DOM reads that do not force a style recalculation or a layout are used, except the scroll
 * offsets of elements (a layout the page would run at its next frame anyway, at most once a slice).
 */

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';
const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

/** Longest run of serialization work between two yields to the page. */
export const SLICE_MS = 8;
/** The written HTML may not exceed this (UTF-16 code units): past it, the snapshot fails with SnapshotTooLargeError. */
export const MAX_HTML_CHARS = 8 * 1024 * 1024;
/** The HTML is handed over in chunks of this size (one message each: a small task in the page). */
export const CHUNK_CHARS = 512 * 1024;
/** Text longer than this is escaped and written in pieces, one per step. */
const TEXT_PIECE_CHARS = 32 * 1024;
/** Deeper elements are left out (a pathological tree must not blow the stack of the render frame's parser). */
export const MAX_DEPTH = 512;
/** Longest form value written (a textarea can hold megabytes). */
export const MAX_VALUE_CHARS = 100_000;

/** Marks the side table: the agent's own attributes, stripped from the page's elements. */
export const IMG_ATTR = 'data-temoin-img';
export const SCROLL_ATTR = 'data-temoin-scroll';
const OWN_ATTR_PREFIX = 'data-temoin-';

export class SnapshotTooLargeError extends Error {
  readonly code = 'too-large';
  constructor(readonly limit: number) {
    super(`the page is larger than ${limit} characters once written out`);
  }
}
export class SnapshotCancelledError extends Error {
  readonly code = 'cancelled';
  constructor() {
    super('cancelled by a newer snapshot');
  }
}

/** An image the agent may read on the side: an image URL, or a canvas's pixels. */
export type SideImage = { kind: 'url'; url: string } | { kind: 'canvas'; canvas: HTMLCanvasElement };

export interface SerializeOptions {
  /** Clock in ms (performance.now). */
  now: () => number;
  /** Gives the page's event loop a turn between slices. */
  yieldToPage: () => Promise<void>;
  sliceMs: number;
  maxChars: number;
  chunkChars: number;
  /** The element's shadow root, open or closed (the agent's privileged API), else null. */
  shadowRootOf: (el: Element) => ShadowRoot | null;
  /** Takes an image for the side table: its index there, or null (not taken: the URL is kept, a canvas is left blank). */
  sideImage: (img: SideImage) => number | null;
  /** True when this work should stop (a newer snapshot started). */
  cancelled: () => boolean;
}

export interface SerializedDocument {
  /** The HTML of the document element (and the document's adopted sheets), in chunks of at most chunkChars. */
  chunks: string[];
  chars: number;
  /** The document renders in standards mode (it has an HTML doctype). */
  standards: boolean;
  baseUrl: string;
  /** Nodes visited; elements left out for depth. */
  nodes: number;
  tooDeep: number;
  slices: number;
  /** Longest slice as measured by `now` (the page's longest task because of us, give or take one step). */
  longestSliceMs: number;
}

/** Yields through a message port: not clamped like nested timers, not throttled like rAF. */
export function messageChannelYield(): () => Promise<void> {
  let ch: MessageChannel | null = null;
  const waiting: (() => void)[] = [];
  return () =>
    new Promise<void>((resolve) => {
      if (!ch) {
        ch = new MessageChannel();
        ch.port1.onmessage = () => waiting.shift()?.();
      }
      waiting.push(resolve);
      ch.port2.postMessage(0);
    });
}

const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** HTML elements left out with everything inside them. */
const DROPPED = new Set(['script', 'noscript', 'noembed', 'noframes', 'frameset', 'object', 'embed', 'applet', 'param', 'portal', 'fencedframe', 'base', 'meta']);
/** Raw-text elements whose content would be shown as markup if escaped: written as <pre>. */
const AS_PRE = new Set(['xmp', 'plaintext', 'listing']);
/** Attributes dropped on every element. */
const DROP_ATTRS = new Set([
  'srcdoc', 'nonce', 'autofocus', 'ping', 'formaction', 'action', 'loading', 'decoding', 'fetchpriority',
  'referrerpolicy', 'http-equiv', 'srcset', 'sizes', 'autoplay', 'integrity', 'attributionsrc', 'manifest',
]);
/** Attributes holding one URL, made absolute (and dropped if not a web or data URL). */
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'poster', 'background', 'cite', 'longdesc', 'lowsrc', 'dynsrc', 'data', 'codebase', 'icon']);
/** Schemes kept in href (anything else, javascript: first, becomes '#'). */
const LINK_SCHEMES = ['http:', 'https:', 'data:', 'mailto:', 'tel:', 'sms:', 'sip:', 'callto:'];
/** Tag names the HTML tokenizer reads back as written (a DOM can hold others: they are unwrapped). */
const TAG_NAME = /^[A-Za-z][^\s/>"'=<`\u0000]*$/;
/** Attribute names the tokenizer reads back as written. */
const ATTR_NAME = /^[^\s/>"'=<`\u0000]+$/;

/** A URL as the render frame should see it: absolute web or data URL, fragment-only kept as is; null: drop. */
export function absoluteUrl(value: string, base: string, allow: readonly string[] = ['http:', 'https:', 'data:']): string | null {
  const v = value.trim();
  if (v === '') return null;
  if (v.startsWith('#')) return v;
  let u: URL;
  try {
    u = new URL(v, base);
  } catch {
    return null;
  }
  return allow.includes(u.protocol) ? u.href : null;
}

const CSS_URL = /url\(\s*(?:"((?:[^"\\\n]|\\[\s\S])*)"|'((?:[^'\\\n]|\\[\s\S])*)'|([^\s'"()\\]+))\s*\)/g;

function cssUnescape(s: string): string {
  return s.replace(/\\(?:([0-9a-fA-F]{1,6})\s?|([\s\S]))/g, (_m, hex: string | undefined, ch: string | undefined) => {
    if (hex) {
      const cp = parseInt(hex, 16);
      return cp === 0 || cp > 0x10ffff ? '\uFFFD' : String.fromCodePoint(cp);
    }
    return ch === '\n' ? '' : (ch ?? '');
  });
}

const cssString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ').replace(/\r/g, '\\d ')}"`;

/** url(…) of a rule from a sheet at `base` made absolute (a rule moved into the document would resolve against the page instead). */
export function absolutizeCssUrls(css: string, base: string): string {
  if (!css.includes('url(')) return css;
  return css.replace(CSS_URL, (m, dq: string | undefined, sq: string | undefined, bare: string | undefined) => {
    const raw = cssUnescape(dq ?? sq ?? bare ?? '');
    if (raw.startsWith('#') || /^data:/i.test(raw)) return m;
    const abs = absoluteUrl(raw, base);
    return abs ? `url(${cssString(abs)})` : 'url("")';
  });
}

/** CSS text safe inside <style>…</style>: nothing in it can end the element. */
export function rawCss(css: string): string {
  return css.replace(/<\//g, '<\\/').replace(/\u0000/g, '\uFFFD');
}

export function escapeText(s: string): string {
  return s.replace(/[&<>\u00a0\u0000]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '\u0000' ? '\uFFFD' : '&nbsp;'));
}
export function escapeAttr(s: string): string {
  return s.replace(/[&"<>\u00a0\u0000]/g, (c) => (c === '&' ? '&amp;' : c === '"' ? '&quot;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '\u0000' ? '\uFFFD' : '&nbsp;'));
}

/** Cut [i, i+n) of s without splitting a surrogate pair. */
function piece(s: string, i: number, n: number): string {
  let end = Math.min(s.length, i + n);
  if (end < s.length && end > i + 1) {
    const c = s.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--;
  }
  return s.slice(i, end);
}

/** The document's base URL, if a web URL (a page's <base href="javascript:…"> is not one), else its own URL. */
function webBase(doc: Document): string {
  for (const u of [doc.baseURI, doc.URL]) {
    try {
      const p = new URL(u);
      if (p.protocol === 'https:' || p.protocol === 'http:') return p.href;
    } catch {
      /* next */
    }
  }
  return doc.URL;
}

function readRules(sheet: CSSStyleSheet | null | undefined): CSSRuleList | null {
  if (!sheet) return null;
  try {
    return sheet.cssRules;
  } catch {
    return null; // cross-origin sheet without CORS: not readable
  }
}

type Frame =
  | { kind: 'nodes'; open?: string; next: Node | null; close: string; depth: number; parent: string; single?: boolean }
  | { kind: 'rules'; open?: string; rules: CSSRuleList; i: number; base: string | null; close: string }
  | { kind: 'text'; open?: string; text: string; i: number; css: boolean; close: string };

const defaults = (): SerializeOptions => ({
  now: () => performance.now(),
  yieldToPage: messageChannelYield(),
  sliceMs: SLICE_MS,
  maxChars: MAX_HTML_CHARS,
  chunkChars: CHUNK_CHARS,
  shadowRootOf: (el) => el.shadowRoot,
  sideImage: () => null,
  cancelled: () => false,
});

class Writer {
  readonly chunks: string[] = [];
  private buf: string[] = [];
  private bufChars = 0;
  chars = 0;
  constructor(
    private readonly max: number,
    private readonly chunk: number,
  ) {}
  write(s: string): void {
    if (!s) return;
    this.chars += s.length;
    if (this.chars > this.max) throw new SnapshotTooLargeError(this.max);
    this.buf.push(s);
    this.bufChars += s.length;
    if (this.bufChars >= this.chunk) this.flush();
  }
  flush(): void {
    if (!this.bufChars) return;
    const all = this.buf.join('');
    this.buf = [];
    this.bufChars = 0;
    for (let i = 0; i < all.length; ) {
      const p = piece(all, i, this.chunk);
      this.chunks.push(p);
      i += p.length;
    }
  }
}

/** The walk, one small step at a time (a node, a CSS rule, a piece of text). */
class Walker {
  private readonly stack: Frame[] = [];
  readonly out: Writer;
  nodes = 0;
  tooDeep = 0;
  readonly base: string;

  constructor(
    private readonly doc: Document,
    private readonly o: SerializeOptions,
  ) {
    this.out = new Writer(o.maxChars, o.chunkChars);
    this.base = webBase(doc);
    // The document's adopted sheets come last in the cascade: after </html> (the parser moves them into the body).
    const adopted = this.adopted(doc);
    for (let i = adopted.length - 1; i >= 0; i--) this.stack.push(adopted[i]!);
    this.stack.push({ kind: 'nodes', next: doc.documentElement, close: '', depth: 0, parent: '#document', single: true });
  }

  private adopted(root: Document | ShadowRoot): Frame[] {
    let sheets: readonly CSSStyleSheet[] = [];
    try {
      sheets = root.adoptedStyleSheets ?? [];
    } catch {
      sheets = [];
    }
    const frames: Frame[] = [];
    for (const sheet of Array.from(sheets)) {
      const rules = readRules(sheet);
      if (rules && !sheet.disabled) frames.push({ kind: 'rules', open: '<style>', rules, i: 0, base: null, close: '</style>' });
    }
    return frames;
  }

  /** One step; false when the document is written out. */
  step(): boolean {
    const f = this.stack[this.stack.length - 1];
    if (!f) return false;
    if (f.open !== undefined) {
      this.out.write(f.open);
      f.open = undefined;
      return true;
    }
    if (f.kind === 'nodes') {
      const node = f.next;
      if (!node) {
        this.stack.pop();
        this.out.write(f.close);
        return true;
      }
      f.next = f.single ? null : node.nextSibling;
      this.visit(node, f);
      return true;
    }
    if (f.kind === 'rules') {
      if (f.i >= f.rules.length) {
        this.stack.pop();
        this.out.write(f.close);
        return true;
      }
      const rule = f.rules[f.i++];
      if (rule) {
        const css = f.base ? absolutizeCssUrls(rule.cssText, f.base) : rule.cssText;
        this.out.write(rawCss(css) + '\n');
      }
      return true;
    }
    if (f.i >= f.text.length) {
      this.stack.pop();
      this.out.write(f.close);
      return true;
    }
    const p = piece(f.text, f.i, TEXT_PIECE_CHARS);
    f.i += p.length;
    this.out.write(f.css ? rawCss(p) : escapeText(p));
    return true;
  }

  private text(data: string, close = '', css = false): void {
    if (data.length > TEXT_PIECE_CHARS) this.stack.push({ kind: 'text', text: data, i: 0, css, close });
    else this.out.write((css ? rawCss(data) : escapeText(data)) + close);
  }

  private visit(node: Node, f: Extract<Frame, { kind: 'nodes' }>): void {
    this.nodes++;
    if (node.nodeType === 3 || node.nodeType === 4) return this.text((node as CharacterData).data);
    if (node.nodeType !== 1) return; // comments, processing instructions
    const el = node as Element;
    const ns = el.namespaceURI;
    if (ns !== HTML_NS && ns !== SVG_NS && ns !== MATHML_NS) return;
    if (f.depth >= MAX_DEPTH) {
      this.tooDeep++;
      return;
    }
    let name = el.localName;
    const lower = name.toLowerCase();
    if (lower === 'script') return;
    if (!TAG_NAME.test(name)) {
      // A name the parser would not read back (created by script): keep what is inside.
      this.stack.push({ kind: 'nodes', next: el.firstChild, close: '', depth: f.depth + 1, parent: f.parent });
      return;
    }
    const extra: [string, string][] = [];
    if (ns === HTML_NS) {
      if (DROPPED.has(lower)) return;
      if ((lower === 'source' || lower === 'track') && (f.parent === 'picture' || f.parent === 'video' || f.parent === 'audio')) return;
      switch (lower) {
        case 'template':
          return this.out.write('<template></template>');
        case 'link':
          return this.link(el as HTMLLinkElement);
        case 'style':
          return this.style(el as HTMLStyleElement);
        case 'iframe':
        case 'frame':
          // The frame's box, never its content (a cross-origin frame is out of reach anyway).
          return this.out.write(`<iframe${this.attrs(el, new Set(['src', 'name', 'allow', 'sandbox', 'allowfullscreen', 'credentialless', 'csp']), extra)}></iframe>`);
        case 'img':
          this.img(el as HTMLImageElement, extra);
          return this.out.write(`<img${this.attrs(el, new Set(['src']), extra)}>`);
        case 'canvas':
          return this.canvas(el as HTMLCanvasElement);
        case 'input':
          this.input(el as HTMLInputElement, extra);
          return this.out.write(`<input${this.attrs(el, new Set(['value', 'checked']), extra)}>`);
        case 'option':
          if ((el as HTMLOptionElement).selected) extra.push(['selected', '']);
          break;
        case 'textarea': {
          const value = (el as HTMLTextAreaElement).value.slice(0, MAX_VALUE_CHARS);
          // The parser drops a newline right after <textarea>: a value starting with one needs another.
          this.out.write(`<textarea${this.attrs(el, new Set(), extra)}>${value.startsWith('\n') ? '\n' : ''}`);
          return this.text(value, '</textarea>');
        }
        case 'video':
        case 'audio':
          // The box and the poster; no media is loaded.
          return this.out.write(`<${lower}${this.attrs(el, new Set(['src']), extra)}></${lower}>`);
        default:
          if (AS_PRE.has(lower)) name = 'pre';
      }
    }
    this.scroll(el, extra);
    const skip = ns === HTML_NS && lower === 'option' ? new Set(['selected']) : new Set<string>();
    this.out.write(`<${name}${this.attrs(el, skip, extra)}>`);
    if (ns === HTML_NS && VOID.has(lower)) return;
    if (ns === HTML_NS && (name === 'pre' || lower === 'listing')) {
      const first = el.firstChild;
      if (first && first.nodeType === 3 && (first as Text).data.startsWith('\n')) this.out.write('\n');
    }
    this.stack.push({ kind: 'nodes', next: el.firstChild, close: `</${name}>`, depth: f.depth + 1, parent: ns === HTML_NS ? lower : f.parent });
    const shadow = ns === HTML_NS ? this.shadowOf(el) : null;
    if (shadow) {
      // Declarative shadow DOM: the render frame's parser attaches it again (always open: the
      // renderer must reach inside). Shadow children, then the root's adopted sheets, then </template>.
      this.stack.push({ kind: 'nodes', next: null, close: '</template>', depth: f.depth + 1, parent: '#shadow' });
      const adopted = this.adopted(shadow);
      for (let i = adopted.length - 1; i >= 0; i--) this.stack.push(adopted[i]!);
      this.stack.push({ kind: 'nodes', next: shadow.firstChild, close: '', depth: f.depth + 1, parent: '#shadow' });
      this.out.write(`<template shadowrootmode="open"${shadow.delegatesFocus ? ' shadowrootdelegatesfocus' : ''}>`);
    }
  }

  private shadowOf(el: Element): ShadowRoot | null {
    try {
      return el.shadowRoot ?? (el.localName.includes('-') ? this.o.shadowRootOf(el) : null);
    } catch {
      return null;
    }
  }

  /** Attributes as written: `skip` are handled by the caller, `extra` appended. */
  private attrs(el: Element, skip: Set<string>, extra: [string, string][]): string {
    let s = '';
    // Names and values as strings: no Attr objects (each would be one more wrapper for the page's GC).
    for (const name of el.getAttributeNames()) {
      const lower = name.toLowerCase();
      if (skip.has(lower) || DROP_ATTRS.has(lower) || lower.startsWith('on') || lower.startsWith(OWN_ATTR_PREFIX) || !ATTR_NAME.test(name)) continue;
      let value = el.getAttribute(name) ?? '';
      if (lower === 'href' || lower === 'xlink:href') {
        // A link stays a link (its :link style), but never a script: other schemes become '#'.
        value = absoluteUrl(value, this.base, LINK_SCHEMES) ?? '#';
      } else if (URL_ATTRS.has(lower)) {
        const abs = absoluteUrl(value, this.base);
        if (abs === null) continue;
        value = abs;
      }
      s += value === '' ? ` ${name}` : ` ${name}="${escapeAttr(value)}"`;
    }
    for (const [name, value] of extra) s += value === '' ? ` ${name}` : ` ${name}="${escapeAttr(value)}"`;
    return s;
  }

  private scroll(el: Element, extra: [string, string][]): void {
    if (el === this.doc.documentElement || el === this.doc.body) return; // the window's scroll: sent apart
    const x = el.scrollLeft;
    const y = el.scrollTop;
    if (x || y) extra.push([SCROLL_ATTR, `${Math.round(x)} ${Math.round(y)}`]);
  }

  private img(el: HTMLImageElement, extra: [string, string][]): void {
    // The candidate the page shows (srcset and <source> are dropped: one URL, the one on screen).
    const src = el.currentSrc || el.getAttribute('src') || '';
    const abs = absoluteUrl(src, this.base, ['http:', 'https:', 'data:', 'blob:']);
    if (!abs || abs.startsWith('#')) return;
    if (!abs.startsWith('data:')) {
      const k = this.o.sideImage({ kind: 'url', url: abs });
      if (k !== null) return void extra.push([IMG_ATTR, String(k)]);
      if (abs.startsWith('blob:')) return; // the page's blob: URLs mean nothing elsewhere
    }
    extra.push(['src', abs]);
  }

  private canvas(el: HTMLCanvasElement): void {
    // A document without scripts shows a canvas's fallback content, not its pixels: the pixels
    // come back as an <img> of the same size.
    const extra: [string, string][] = [];
    this.scroll(el, extra);
    const k = this.o.sideImage({ kind: 'canvas', canvas: el });
    if (k !== null) extra.push([IMG_ATTR, String(k)]);
    extra.push(['width', String(el.width)], ['height', String(el.height)]);
    this.out.write(`<img${this.attrs(el, new Set(['width', 'height', 'src']), extra)}>`);
  }

  private input(el: HTMLInputElement, extra: [string, string][]): void {
    const type = (el.type || 'text').toLowerCase();
    if (type === 'checkbox' || type === 'radio') {
      if (el.checked) extra.push(['checked', '']);
      const v = el.getAttribute('value');
      if (v !== null) extra.push(['value', v]);
      return;
    }
    if (type === 'hidden' || type === 'file') return;
    const value = el.value;
    if (!value) return;
    extra.push(['value', type === 'password' ? '•'.repeat(Math.min(value.length, 64)) : value.slice(0, MAX_VALUE_CHARS)]);
  }

  private style(el: HTMLStyleElement): void {
    const sheet = el.sheet;
    if (sheet?.disabled) return;
    this.out.write(`<style${this.attrs(el, new Set(), [])}>`);
    const rules = readRules(sheet);
    if (rules) this.stack.push({ kind: 'rules', rules, i: 0, base: null, close: '</style>' });
    else this.text(el.textContent ?? '', '</style>', true);
  }

  private link(el: HTMLLinkElement): void {
    const rel = (el.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('stylesheet')) return; // icons, preloads, manifests: nothing to draw
    const sheet = el.sheet;
    if (!sheet || sheet.disabled) return; // not applied (failed, disabled or an alternate sheet)
    const media = el.getAttribute('media');
    const rules = readRules(sheet);
    if (rules) {
      // Read from the CSSOM: what the page applies, rules added by script included, no new request.
      this.out.write(`<style${media ? ` media="${escapeAttr(media)}"` : ''}>`);
      this.stack.push({ kind: 'rules', rules, i: 0, base: sheet.href ?? el.href ?? this.base, close: '</style>' });
      return;
    }
    const href = absoluteUrl(el.getAttribute('href') ?? '', this.base, ['https:', 'http:']);
    if (!href || href.startsWith('#')) return;
    const cors = el.getAttribute('crossorigin');
    this.out.write(`<link rel="stylesheet" href="${escapeAttr(href)}"${media ? ` media="${escapeAttr(media)}"` : ''}${cors !== null ? ` crossorigin="${escapeAttr(cors)}"` : ''}>`);
  }
}

/**
 * Writes the document out, yielding to the page every `sliceMs` (a slice stops before a step that
 * would take it past the budget, judged by the previous step's cost).
 */
export async function serializeDocument(doc: Document, options: Partial<SerializeOptions> = {}): Promise<SerializedDocument> {
  const o: SerializeOptions = { ...defaults(), ...options };
  if (!doc.documentElement || doc.documentElement.namespaceURI !== HTML_NS) throw new Error('not an HTML document');
  const w = new Walker(doc, o);
  let slices = 0;
  let longest = 0;
  for (;;) {
    if (o.cancelled()) throw new SnapshotCancelledError();
    const start = o.now();
    let t = start;
    let last = 0;
    let more: boolean;
    do {
      more = w.step();
      const t2 = o.now();
      last = t2 - t;
      t = t2;
    } while (more && t - start + last <= o.sliceMs);
    slices++;
    longest = Math.max(longest, t - start);
    if (!more) break;
    await o.yieldToPage();
  }
  w.out.flush();
  return {
    chunks: w.out.chunks,
    chars: w.out.chars,
    standards: doc.compatMode === 'CSS1Compat',
    baseUrl: w.base,
    nodes: w.nodes,
    tooDeep: w.tooDeep,
    slices,
    longestSliceMs: longest,
  };
}
