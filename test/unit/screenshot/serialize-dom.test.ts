import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  absoluteUrl,
  absolutizeCssUrls,
  IMG_ATTR,
  rawCss,
  SCROLL_ATTR,
  serializeDocument,
  SnapshotCancelledError,
  SnapshotTooLargeError,
  type SerializeOptions,
} from '../../../lib/screenshot/serialize-dom';

const BASE = document.baseURI; // http://localhost:3000/ under happy-dom

/** A fake clock: every reading costs `step` ms (one reading per unit of work in the walk). */
function fakeClock(step: number) {
  let t = 0;
  return {
    now: () => (t += step),
    peek: () => t,
  };
}

/** Serializes the global document with no time slicing to speak of. */
async function html(opts: Partial<SerializeOptions> = {}): Promise<string> {
  const r = await serializeDocument(document, { yieldToPage: async () => undefined, sliceMs: 1e9, ...opts });
  return r.chunks.join('');
}

/** The output read back by an HTML parser (what the render frame does), inert (a template's content). */
function parse(text: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = text;
  return t.content;
}

beforeEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});
afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
});

describe('time slicing', () => {
  function bigPage() {
    for (let i = 0; i < 400; i++) {
      const d = document.createElement('div');
      d.className = `row r${i}`;
      d.textContent = `ligne ${i}`;
      document.body.appendChild(d);
    }
    const style = document.createElement('style');
    style.textContent = Array.from({ length: 200 }, (_, i) => `.r${i} { color: rgb(${i}, 0, 0); }`).join('\n');
    document.head.appendChild(style);
    const long = document.createElement('p');
    long.textContent = 'x'.repeat(200_000); // written in pieces, one per step
    document.body.appendChild(long);
  }

  it('never runs a slice past its budget, and yields between slices', async () => {
    bigPage();
    for (const step of [0.3, 1, 2.5, 8]) {
      const clock = fakeClock(step);
      // A slice runs from its first clock reading to its last before yielding.
      const slices: number[] = [];
      let sliceStart: number | null = null;
      const r = await serializeDocument(document, {
        sliceMs: 8,
        now: () => {
          const t = clock.now();
          sliceStart ??= t;
          return t;
        },
        yieldToPage: async () => {
          slices.push(clock.peek() - sliceStart!);
          sliceStart = null;
        },
      });
      slices.push(clock.peek() - sliceStart!);
      expect(r.slices, `step ${step}`).toBe(slices.length);
      expect(r.slices, `step ${step}`).toBeGreaterThan(10);
      expect(Math.max(...slices), `step ${step}`).toBeLessThanOrEqual(8);
      expect(r.longestSliceMs, `step ${step}`).toBeLessThanOrEqual(8);
    }
  });

  it('writes the same document whatever the slicing', async () => {
    bigPage();
    const whole = await html();
    const sliced = await html({ sliceMs: 2, now: fakeClock(0.5).now });
    expect(sliced).toBe(whole);
    expect(whole).toContain('ligne 399');
    expect(whole).toContain('x'.repeat(200_000));
  });

  it('stops when a newer snapshot cancels it', async () => {
    bigPage();
    let yields = 0;
    const run = serializeDocument(document, { sliceMs: 4, now: fakeClock(1).now, yieldToPage: async () => void yields++, cancelled: () => yields >= 3 });
    await expect(run).rejects.toBeInstanceOf(SnapshotCancelledError);
  });

  it('hands the HTML over in chunks no larger than asked, nothing lost or split wrongly', async () => {
    bigPage();
    document.body.appendChild(document.createTextNode('😀'.repeat(5000)));
    const r = await serializeDocument(document, { yieldToPage: async () => undefined, chunkChars: 1000 });
    expect(r.chunks.length).toBeGreaterThan(100);
    for (const c of r.chunks) {
      expect(c.length).toBeLessThanOrEqual(1000);
      // No chunk starts with the second half of a surrogate pair.
      expect(c.charCodeAt(0) >= 0xdc00 && c.charCodeAt(0) <= 0xdfff).toBe(false);
    }
    expect(r.chunks.join('')).toBe(await html());
    expect(r.chars).toBe(r.chunks.join('').length);
  });
});

describe('size cap', () => {
  it('fails with a clear error past the cap', async () => {
    document.body.appendChild(document.createElement('p')).textContent = 'a'.repeat(50_000);
    const run = serializeDocument(document, { yieldToPage: async () => undefined, maxChars: 10_000 });
    await expect(run).rejects.toBeInstanceOf(SnapshotTooLargeError);
    await expect(run).rejects.toMatchObject({ code: 'too-large', limit: 10_000 });
  });

  it('passes under it', async () => {
    document.body.appendChild(document.createElement('p')).textContent = 'a'.repeat(5_000);
    const r = await serializeDocument(document, { yieldToPage: async () => undefined, maxChars: 10_000 });
    expect(r.chars).toBeLessThanOrEqual(10_000);
  });
});

describe('nothing from the page can run', () => {
  const MARK = "top.document.documentElement.setAttribute('data-pwned','1')";

  function hostilePage() {
    document.head.innerHTML = `<meta http-equiv="refresh" content="0;url=javascript:${MARK}"><base href="javascript:${MARK}//"><script>${MARK}</script><link rel="preload" href="/x.js" as="script">`;
    // One wrapper per payload: happy-dom's parser can swallow what follows a foreign <script>.
    for (const payload of [
      `<script>${MARK}</script>`,
      `<img src="x.png" onerror="${MARK}" onload="${MARK}">`,
      `<a href="javascript:${MARK}" onclick="${MARK}">lien</a>`,
      `<a href="  JaVaScRiPt:${MARK}">lien 2</a>`,
      `<noscript><img src=x onerror="${MARK}"></noscript>`,
      `<iframe src="https://evil.example/" srcdoc="<script>${MARK}</script>"></iframe>`,
      `<object data="javascript:${MARK}"></object><embed src="javascript:${MARK}">`,
      `<details open ontoggle="${MARK}"><summary>s</summary></details>`,
      `<input autofocus onfocus="${MARK}">`,
      `<form action="javascript:${MARK}"><button formaction="javascript:${MARK}">b</button></form>`,
      `<div id="attr" title="</div><script>${MARK}</script>">attr</div>`,
      `<p>&lt;script&gt;${MARK}&lt;/script&gt;</p>`,
      `<template><script>${MARK}</script></template>`,
    ]) {
      const wrapper = document.createElement('div');
      wrapper.innerHTML = payload;
      document.body.appendChild(wrapper);
    }
    document.getElementById('attr')!.setAttribute('data-x', `"><img src=x onerror=${MARK}>`);
    // Built with DOM calls (happy-dom's parser mishandles these two).
    const SVG = 'http://www.w3.org/2000/svg';
    const svg = document.body.appendChild(document.createElementNS(SVG, 'svg'));
    svg.setAttribute('onload', MARK);
    svg.appendChild(document.createElementNS(SVG, 'script')).textContent = MARK;
    const link = svg.appendChild(document.createElementNS(SVG, 'a'));
    link.setAttribute('href', `javascript:${MARK}`);
    link.appendChild(document.createElementNS(SVG, 'circle')).setAttribute('r', '4');
    const video = document.body.appendChild(document.createElement('video'));
    for (const [k, v] of [['poster', 'p.png'], ['src', 'v.mp4'], ['autoplay', ''], ['onplay', MARK]]) video.setAttribute(k!, v!);
    const source = video.appendChild(document.createElement('source'));
    source.setAttribute('src', 'v.webm');
    source.setAttribute('onerror', MARK);
    const ta = document.createElement('textarea');
    ta.value = `</textarea><img src=x onerror="${MARK}">`;
    document.body.appendChild(ta);
    const style = document.createElement('style');
    style.textContent = `.x::after { content: "</style><img src=x onerror=${MARK}>"; }`;
    document.head.appendChild(style);
    const host = document.createElement('div');
    host.attachShadow({ mode: 'open' }).innerHTML = `<script>${MARK}</script><img src="y.png" onerror="${MARK}"><b>ombre</b>`;
    document.body.appendChild(host);
  }

  it('drops scripts, handlers, javascript: URLs, refresh, base, plugins and frame sources', async () => {
    hostilePage();
    const out = await html();
    expect(out).not.toMatch(/<script/i);
    // Handlers survive only as escaped text: a textarea's value, a CSS string, an attribute's value.
    expect(out.match(/onerror=/g)?.length).toBe(3);
    expect(out).toContain('data-x="&quot;&gt;&lt;img src=x onerror=');
    expect(out).toContain('&lt;/textarea&gt;&lt;img src=x onerror=');
    expect(out).toContain('content: "<\\/style><img src=x onerror=');
    expect(out).not.toMatch(/\son(load|click|focus|toggle|play)=/i);
    expect(out).not.toMatch(/javascript:/i);
    expect(out).not.toMatch(/<noscript|<object|<embed|<base|<meta|srcdoc|autofocus|formaction|\saction=|autoplay|rel="preload"/i);
    expect(out).not.toContain('evil.example');
    // Still the page: text, the shadow tree, the video's poster, the frame's box.
    expect(out).toContain('lien 2');
    expect(out).toContain('<template shadowrootmode="open"><img');
    expect(out).toContain('ombre');
    expect(out).toContain(`poster="${BASE}p.png"`);
    expect(out).toContain('<iframe></iframe>');
    expect(out).toContain('<details open><summary>s</summary></details>');
    expect(out).toMatch(/<svg><a href="#"><circle r="4"><\/circle><\/a><\/svg>/);
    expect(out).toContain('<template></template>');
  });

  it('writes text and attributes escaped: read back, they are text and attribute values, not markup', async () => {
    hostilePage();
    const out = await html();
    const doc = parse(out);
    expect(doc.querySelectorAll('script').length).toBe(0);
    for (const el of Array.from(doc.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        expect(a.name.startsWith('on'), `${el.localName} ${a.name}`).toBe(false);
        expect(/^\s*javascript:/i.test(a.value), `${el.localName} ${a.name}`).toBe(false);
      }
    }
    expect(doc.querySelector('[data-x]')?.getAttribute('data-x')).toBe(`"><img src=x onerror=top.document.documentElement.setAttribute('data-pwned','1')>`);
    expect(doc.querySelector('textarea')?.value).toContain('</textarea><img');
    expect(doc.querySelector('p')?.textContent).toContain('<script>');
    // The CSS string that tried to close <style> is still inside it.
    const styles = Array.from(doc.querySelectorAll('style')).map((s) => s.textContent ?? '');
    expect(styles.some((s) => s.includes('<\\/style>'))).toBe(true);
    expect(doc.querySelectorAll('img[onerror]').length).toBe(0);
  });

  it('never writes its own side-table attributes from the page', async () => {
    document.body.innerHTML = `<div ${SCROLL_ATTR}="1 2" ${IMG_ATTR}="0">x</div>`;
    const out = await html();
    expect(out).not.toContain('data-temoin-');
  });

  it('rawCss keeps CSS from ending its <style>', () => {
    expect(rawCss('a{content:"</style><b>"}')).toBe('a{content:"<\\/style><b>"}');
  });
});

describe('form state', () => {
  it('writes the controls as they are now, not as the markup said', async () => {
    document.body.innerHTML = `
      <input id="t" value="avant"><input id="pw" type="password" value="x">
      <input id="h" type="hidden" value="csrf-secret"><input id="cb" type="checkbox" checked>
      <input id="cb2" type="checkbox" value="oui"><input id="r1" type="radio" name="r" checked><input id="r2" type="radio" name="r">
      <select id="s"><option value="a" selected>A</option><option value="b">B</option></select>
      <textarea id="ta">avant</textarea>`;
    (document.getElementById('t') as HTMLInputElement).value = 'tapé "après" <b>';
    (document.getElementById('pw') as HTMLInputElement).value = 'secret123';
    (document.getElementById('cb') as HTMLInputElement).checked = false;
    (document.getElementById('cb2') as HTMLInputElement).checked = true;
    (document.getElementById('r2') as HTMLInputElement).checked = true;
    (document.getElementById('s') as HTMLSelectElement).value = 'b';
    (document.getElementById('ta') as HTMLTextAreaElement).value = '\nligne 1\nligne 2';
    const out = await html();
    expect(out).not.toContain('secret123');
    expect(out).not.toContain('csrf-secret');
    expect(out).not.toContain('avant');
    const doc = parse(out);
    expect(doc.getElementById('t')?.getAttribute('value')).toBe('tapé "après" <b>');
    expect(doc.getElementById('pw')?.getAttribute('value')).toBe('•••••••••');
    expect(doc.getElementById('h')?.hasAttribute('value')).toBe(false);
    expect(doc.getElementById('cb')?.hasAttribute('checked')).toBe(false);
    expect(doc.getElementById('cb2')?.hasAttribute('checked')).toBe(true);
    expect(doc.getElementById('cb2')?.getAttribute('value')).toBe('oui');
    expect(doc.getElementById('r1')?.hasAttribute('checked')).toBe(false);
    expect(doc.getElementById('r2')?.hasAttribute('checked')).toBe(true);
    expect(doc.querySelector('option[value="a"]')?.hasAttribute('selected')).toBe(false);
    expect(doc.querySelector('option[value="b"]')?.hasAttribute('selected')).toBe(true);
    // A browser's parser drops one newline right after <textarea> (happy-dom's does not): one more is written.
    expect(out).toContain('<textarea id="ta">\n\nligne 1\nligne 2</textarea>');
  });
});

describe('URLs', () => {
  it('makes URLs absolute, keeps fragment-only ones, turns other schemes into nothing (or "#" for a link)', async () => {
    document.body.innerHTML = `
      <a id="a1" href="page/2?x=1">rel</a><a id="a2" href="#ancre">frag</a><a id="a3" href="mailto:a@b.fr">mail</a><a id="a4" href="vbscript:x">vb</a>
      <img id="i1" src="/img/logo.png"><img id="i2" src="data:image/png;base64,AAAA">
      <svg><use id="u1" href="#icone"></use><image id="u2" href="img/fond.png"></image></svg>
      <video id="v" poster="affiche.jpg"></video><input id="ii" type="image" src="ok.png">`;
    const doc = parse(await html());
    expect(doc.getElementById('a1')?.getAttribute('href')).toBe(new URL('page/2?x=1', BASE).href);
    expect(doc.getElementById('a2')?.getAttribute('href')).toBe('#ancre');
    expect(doc.getElementById('a3')?.getAttribute('href')).toBe('mailto:a@b.fr');
    expect(doc.getElementById('a4')?.getAttribute('href')).toBe('#');
    expect(doc.getElementById('i1')?.getAttribute('src')).toBe(new URL('/img/logo.png', BASE).href);
    expect(doc.getElementById('i2')?.getAttribute('src')).toBe('data:image/png;base64,AAAA');
    expect(doc.getElementById('u1')?.getAttribute('href')).toBe('#icone');
    expect(doc.getElementById('u2')?.getAttribute('href')).toBe(new URL('img/fond.png', BASE).href);
    expect(doc.getElementById('v')?.getAttribute('poster')).toBe(new URL('affiche.jpg', BASE).href);
    expect(doc.getElementById('ii')?.getAttribute('src')).toBe(new URL('ok.png', BASE).href);
  });

  it('absoluteUrl', () => {
    expect(absoluteUrl('b.png', 'https://h.example/a/')).toBe('https://h.example/a/b.png');
    expect(absoluteUrl('//cdn.example/x.css', 'https://h.example/')).toBe('https://cdn.example/x.css');
    expect(absoluteUrl(' #x ', 'https://h.example/')).toBe('#x');
    expect(absoluteUrl('javascript:alert(1)', 'https://h.example/')).toBeNull();
    expect(absoluteUrl('file:///etc/passwd', 'https://h.example/')).toBeNull();
    expect(absoluteUrl('', 'https://h.example/')).toBeNull();
  });

  it('resolves url() of a sheet against the sheet, not the page', () => {
    const base = 'https://h.example/css/theme/main.css';
    expect(absolutizeCssUrls('a { background: url("../img/a.png") }', base)).toBe('a { background: url("https://h.example/css/img/a.png") }');
    expect(absolutizeCssUrls("a { background: url('b c.png') }", base)).toBe('a { background: url("https://h.example/css/theme/b%20c.png") }');
    expect(absolutizeCssUrls('@font-face { src: url(f.woff2) format("woff2") }', base)).toBe('@font-face { src: url("https://h.example/css/theme/f.woff2") format("woff2") }');
    expect(absolutizeCssUrls('@import url("x.css") screen;', base)).toBe('@import url("https://h.example/css/theme/x.css") screen;');
    expect(absolutizeCssUrls('a { filter: url("#f") }', base)).toBe('a { filter: url("#f") }');
    expect(absolutizeCssUrls('a { background: url("data:image/png;base64,AA==") }', base)).toBe('a { background: url("data:image/png;base64,AA==") }');
    expect(absolutizeCssUrls('a { background: url("javascript:x") }', base)).toBe('a { background: url("") }');
    expect(absolutizeCssUrls('a { background: url("q\\"uote.png") }', base)).toBe('a { background: url("https://h.example/css/theme/q%22uote.png") }');
  });
});

describe('what the page shows', () => {
  it('writes CSS from the CSSOM, rules added by script included', async () => {
    const style = document.createElement('style');
    style.textContent = '.a { color: red; }';
    document.head.appendChild(style);
    const sheet = style.sheet as CSSStyleSheet;
    sheet.insertRule('.ajoutee { color: blue; }', sheet.cssRules.length);
    const out = await html();
    expect(out).toMatch(/<style>\.a \{ color: red; \}\n\.ajoutee \{ color: blue; \}\n<\/style>/);
  });

  it('writes open shadow roots, and closed ones the agent can reach, as declarative shadow DOM', async () => {
    const open = document.createElement('x-ouvert');
    open.attachShadow({ mode: 'open' }).innerHTML = '<span>dans l’ombre</span><slot></slot>';
    open.textContent = 'lumière';
    const closed = document.createElement('x-ferme');
    const closedRoot = closed.attachShadow({ mode: 'closed' });
    closedRoot.innerHTML = '<em>fermé</em>';
    document.body.append(open, closed);
    const out = await html({ shadowRootOf: (el) => (el === closed ? closedRoot : null) });
    expect(out).toContain('<x-ouvert><template shadowrootmode="open"><span>dans l’ombre</span><slot></slot></template>lumière</x-ouvert>');
    expect(out).toContain('<x-ferme><template shadowrootmode="open"><em>fermé</em></template></x-ferme>');
  });

  it('sends same-origin images and canvases through the side table, canvases as images of their size', async () => {
    document.body.innerHTML = '<img id="i" src="/logo.svg" width="10"><canvas id="c" width="120" height="40" class="graphe"></canvas><img id="j" src="https://autre.example/x.png">';
    const taken: string[] = [];
    const out = await html({
      sideImage: (img) => {
        taken.push(img.kind === 'url' ? img.url : 'canvas');
        return img.kind === 'url' && img.url.startsWith('https://autre') ? null : taken.length - 1;
      },
    });
    expect(taken).toEqual([new URL('/logo.svg', BASE).href, 'canvas', 'https://autre.example/x.png']);
    const doc = parse(out);
    expect(doc.getElementById('i')?.getAttribute(IMG_ATTR)).toBe('0');
    expect(doc.getElementById('i')?.hasAttribute('src')).toBe(false);
    const c = doc.getElementById('c')!;
    expect(c.localName).toBe('img');
    expect(c.getAttribute(IMG_ATTR)).toBe('1');
    expect([c.getAttribute('width'), c.getAttribute('height'), c.getAttribute('class')]).toEqual(['120', '40', 'graphe']);
    expect(doc.getElementById('j')?.getAttribute('src')).toBe('https://autre.example/x.png');
  });

  it('leaves out what is nested too deep rather than failing', async () => {
    let el: HTMLElement = document.body;
    for (let i = 0; i < 600; i++) el = el.appendChild(document.createElement('div'));
    el.textContent = 'fond';
    const r = await serializeDocument(document, { yieldToPage: async () => undefined });
    expect(r.tooDeep).toBe(1);
    expect(r.chunks.join('')).not.toContain('fond');
  });
});
