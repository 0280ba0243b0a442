import { describe, expect, it } from 'vitest';
import {
  buildSrcdoc,
  createRenderFrame,
  fallbackScreenshot,
  receiveSnapshot,
  renderCsp,
  type ReceivedSnapshot,
  type SnapshotTransport,
} from '../../../lib/screenshot/render-snapshot';
import { MAX_HTML_CHARS } from '../../../lib/screenshot/serialize-dom';

const ID = '00000000-0000-4000-8000-000000000001';
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

function meta(over: Record<string, unknown> = {}) {
  return {
    ok: true,
    id: ID,
    chunks: 2,
    images: [
      { url: 'https://voice-management.axialys.com/commun/logo.svg', ok: true },
      { url: null, ok: true },
      { url: 'https://voice-management.axialys.com/a.png', ok: false },
    ],
    viewport: { width: 1280, height: 720 },
    scroll: { x: 0, y: 40 },
    dpr: 1,
    baseUrl: 'https://voice-management.axialys.com/operateurs/index.htm',
    standards: true,
    chars: 10,
    stats: { nodes: 3, tooDeep: 0, slices: 1, longestSliceMs: 1, ms: 2, sideChars: 0 },
    ...over,
  };
}

function transport(start: unknown, parts: Record<string, unknown> = {}): SnapshotTransport & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    start: async () => start,
    part: async (req) => {
      const key = `${req.kind}${req.index}`;
      asked.push(key);
      return parts[key] ?? { ok: false, error: 'none' };
    },
  };
}

const good = () =>
  transport(meta(), {
    html0: { ok: true, text: '<html><body>' },
    html1: { ok: true, text: 'bonjour</body></html>' },
    image0: { ok: true, text: PNG },
    image1: { ok: true, text: 'data:text/html;base64,PHNjcmlwdD4=' },
  });

describe('receiving a snapshot', () => {
  it('assembles the HTML and keeps only image data URLs', async () => {
    const t = good();
    const s = await receiveSnapshot(t);
    expect(s.html).toBe('<html><body>bonjour</body></html>');
    expect(s.images).toEqual([
      { url: 'https://voice-management.axialys.com/commun/logo.svg', dataUrl: PNG },
      { url: null, dataUrl: null }, // not an image: refused
      { url: 'https://voice-management.axialys.com/a.png', dataUrl: null }, // the agent had none: not asked
    ]);
    expect(t.asked).toEqual(['html0', 'html1', 'image0', 'image1']);
    expect(s.scroll).toEqual({ x: 0, y: 40 });
  });

  it('refuses an answer that does not match the protocol', async () => {
    for (const bad of [
      meta({ baseUrl: 'javascript:alert(1)' }),
      meta({ images: [{ url: 'javascript:alert(1)', ok: false }] }),
      meta({ chunks: 0 }),
      meta({ dpr: 100 }),
      meta({ viewport: { width: 1e6, height: 1 } }),
      meta({ id: 'not-a-uuid' }),
      { ok: 'yes' },
      null,
    ]) {
      await expect(receiveSnapshot(transport(bad)), JSON.stringify(bad)).rejects.toMatchObject({ code: 'invalid' });
    }
  });

  it('passes the agent’s refusal on, with the cap for a page too large', async () => {
    await expect(receiveSnapshot(transport({ ok: false, code: 'too-large', error: 'big', limit: MAX_HTML_CHARS }))).rejects.toMatchObject({ code: 'too-large', limit: MAX_HTML_CHARS });
    const r = await fallbackScreenshot(transport({ ok: false, code: 'too-large', error: 'big', limit: MAX_HTML_CHARS }), async () => {
      throw new Error('not needed');
    });
    expect(r).toMatchObject({ ok: false, code: 'too-large', limit: MAX_HTML_CHARS });
  });

  it('stops when the parts add up to more than the cap, whatever was announced', async () => {
    const part = { ok: true, text: 'x'.repeat(2 * 1024 * 1024) };
    const parts = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`html${i}`, part]));
    const t = transport(meta({ chunks: 5, images: [] }), parts);
    await expect(receiveSnapshot(t)).rejects.toMatchObject({ code: 'too-large' });
    expect(t.asked).toEqual(['html0', 'html1', 'html2', 'html3', 'html4']);
    // One part larger than the protocol allows.
    const tooLong = transport(meta({ chunks: 1, images: [] }), { html0: { ok: true, text: 'x'.repeat(3 * 1024 * 1024) } });
    await expect(receiveSnapshot(tooLong)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('reports a transport failure as a failed fallback, not a throw', async () => {
    const broken: SnapshotTransport = {
      start: async () => {
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
      part: async () => null,
    };
    expect(await fallbackScreenshot(broken, async () => async () => document.createElement('canvas'))).toEqual({
      ok: false,
      error: 'Could not establish connection. Receiving end does not exist.',
    });
  });
});

describe('the render frame', () => {
  const snap = (over: Partial<ReceivedSnapshot> = {}): ReceivedSnapshot => ({
    html: '<html><body><p>page</p></body></html>',
    images: [],
    viewport: { width: 800, height: 600 },
    scroll: { x: 0, y: 0 },
    dpr: 2,
    baseUrl: 'https://voice-management.axialys.com/x"><script>alert(1)</script>',
    standards: true,
    stats: { nodes: 1, tooDeep: 0, slices: 1, longestSliceMs: 0, ms: 0, sideChars: 0 },
    ...over,
  });

  it('puts its own policy, referrer and base before any page markup', () => {
    const doc = buildSrcdoc(snap());
    const csp = "default-src 'none'; img-src https://voice-management.axialys.com data: blob:; style-src https://voice-management.axialys.com 'unsafe-inline'; font-src https://voice-management.axialys.com data:";
    expect(renderCsp(snap().baseUrl)).toBe(csp);
    expect(doc.startsWith(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="referrer" content="no-referrer"><base href="`)).toBe(true);
    expect(doc).toContain('<base href="https://voice-management.axialys.com/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
    expect(doc.endsWith('<html><body><p>page</p></body></html>')).toBe(true);
    expect(csp).not.toMatch(/script-src|unsafe-eval|https: /);
    // Anything but an https origin loads nothing but data:.
    expect(renderCsp('http://voice-management.axialys.com/')).toBe("default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; font-src data:");
    expect(renderCsp('not a url')).toBe("default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; font-src data:");
    // A page in quirks mode stays in quirks mode.
    expect(buildSrcdoc(snap({ standards: false })).startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true);
  });

  it('is sandboxed without scripts, off-screen, inert, at the page’s viewport size', () => {
    const f = createRenderFrame(document, snap());
    expect(f.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(f.sandbox.contains('allow-scripts')).toBe(false);
    expect(f.inert).toBe(true);
    expect(f.getAttribute('aria-hidden')).toBe('true');
    expect(f.style.width).toBe('800px');
    expect(f.style.height).toBe('600px');
    expect(parseInt(f.style.left, 10)).toBeLessThanOrEqual(-800);
    expect(f.srcdoc).toBe(buildSrcdoc(snap()));
    expect(f.isConnected).toBe(false);
  });
});
