import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotStartSchema } from '../../../lib/messaging';
import { createPageSnapshots, MAX_IMAGE_BYTES, type SnapshotEnv } from '../../../lib/screenshot/page-snapshot';
import { IMG_ATTR } from '../../../lib/screenshot/serialize-dom';

const ORIGIN = window.location.origin; // http://localhost:3000 under happy-dom
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>';

function env(over: Partial<SnapshotEnv> = {}, fetched: string[] = []): SnapshotEnv {
  let id = 0;
  return {
    doc: document,
    win: window,
    now: () => performance.now(),
    newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
    fetch: (async (input: RequestInfo | URL) => {
      const url = String(input);
      fetched.push(url);
      if (url.endsWith('/logo.svg')) return new Response(new Blob([SVG], { type: 'image/svg+xml' }), { status: 200 });
      if (url.endsWith('/page.html')) return new Response(new Blob(['<p>not an image</p>'], { type: 'text/html' }), { status: 200 });
      if (url.endsWith('/huge.png')) return new Response(new Blob([new Uint8Array(MAX_IMAGE_BYTES + 1)], { type: 'image/png' }), { status: 200 });
      return new Response('', { status: 404 });
    }) as typeof fetch,
    serialize: { yieldToPage: async () => undefined },
    ...over,
  };
}

beforeEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '<h1>Bandeau</h1>';
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('page snapshots', () => {
  it('answers a snapshot the popup accepts, then its parts', async () => {
    const s = createPageSnapshots(env());
    const meta = await s.take();
    expect(SnapshotStartSchema.safeParse(meta).success).toBe(true);
    if (!meta.ok) throw new Error(meta.error);
    expect(meta.viewport).toEqual({ width: window.innerWidth, height: window.innerHeight });
    expect(meta.baseUrl).toBe(document.baseURI);
    let html = '';
    for (let i = 0; i < meta.chunks; i++) {
      const p = s.part({ id: meta.id, kind: 'html', index: i });
      if (!p.ok) throw new Error(p.error);
      html += p.text;
    }
    expect(html).toContain('<h1>Bandeau</h1>');
    expect(html.length).toBe(meta.chars);
    expect(s.part({ id: meta.id, kind: 'html', index: meta.chunks })).toMatchObject({ ok: false });
    expect(s.part({ id: '00000000-0000-4000-8000-999999999999', kind: 'html', index: 0 })).toMatchObject({ ok: false });
  });

  it('fetches same-origin images with the page (bounded, images only); cross-origin ones stay URLs', async () => {
    document.body.innerHTML = '<img src="/logo.svg"><img src="/logo.svg"><img src="/page.html"><img src="/huge.png"><img src="https://cdn.example/x.png">';
    const fetched: string[] = [];
    const s = createPageSnapshots(env({}, fetched));
    const meta = await s.take();
    if (!meta.ok) throw new Error(meta.error);
    expect(SnapshotStartSchema.safeParse(meta).success).toBe(true);
    // One fetch per URL, none for the other origin.
    expect(fetched.sort()).toEqual([`${ORIGIN}/huge.png`, `${ORIGIN}/logo.svg`, `${ORIGIN}/page.html`]);
    expect(meta.images).toEqual([
      { url: `${ORIGIN}/logo.svg`, ok: true },
      { url: `${ORIGIN}/page.html`, ok: false },
      { url: `${ORIGIN}/huge.png`, ok: false },
    ]);
    const img = s.part({ id: meta.id, kind: 'image', index: 0 });
    expect(img.ok && img.text.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(s.part({ id: meta.id, kind: 'image', index: 1 })).toMatchObject({ ok: false });
    const html = (s.part({ id: meta.id, kind: 'html', index: 0 }) as { text: string }).text;
    expect(html.match(new RegExp(`${IMG_ATTR}="0"`, 'g'))?.length).toBe(2);
    expect(html).toContain('src="https://cdn.example/x.png"');
  });

  it('refuses a page over the cap with a clear error', async () => {
    document.body.innerHTML = `<p>${'a'.repeat(5000)}</p>`;
    const s = createPageSnapshots(env({ serialize: { yieldToPage: async () => undefined, maxChars: 1000 } }));
    const meta = await s.take();
    expect(meta).toMatchObject({ ok: false, code: 'too-large', limit: 1000 });
    expect(SnapshotStartSchema.safeParse(meta).success).toBe(true);
  });

  it('a newer snapshot cancels the one being taken, and replaces the one held', async () => {
    for (let i = 0; i < 300; i++) document.body.appendChild(document.createElement('div')).textContent = `ligne ${i}`;
    let t = 0;
    const s = createPageSnapshots(env({ now: () => (t += 1), serialize: { sliceMs: 4, yieldToPage: () => new Promise((r) => setTimeout(r, 0)) } }));
    const first = s.take();
    const second = s.take();
    expect(await first).toMatchObject({ ok: false, code: 'failed' });
    const meta = await second;
    expect(meta.ok).toBe(true);
    const third = await s.take();
    if (!meta.ok || !third.ok) throw new Error('no snapshot');
    expect(s.part({ id: meta.id, kind: 'html', index: 0 })).toMatchObject({ ok: false });
    expect(s.part({ id: third.id, kind: 'html', index: 0 })).toMatchObject({ ok: true });
  });
});
