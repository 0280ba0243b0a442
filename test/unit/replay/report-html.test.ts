import { createHash } from 'node:crypto';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReportHtml, cspHash, jsonForHtml, REPORT_HTML_BUDGET_BYTES } from '../../../lib/report/report-html';
import { bootReportPage, DATA_IDS } from '../../../lib/replay/boot';
import { barFaultReport, barFaultScreenshot, hostileReport } from '../../fixtures/reports/hostile';
import { auditDom, XSS_CANARY_SELECTOR } from '../../fixtures/xss-payloads';

const root = path.resolve(__dirname, '../../..');
const report = barFaultReport();
const shot = barFaultScreenshot();

/** The renderer as the extension ships it: entrypoints/report-renderer.ts, bundled and minified. */
let rendererJs = '';
beforeAll(async () => {
  const out = await build({
    entryPoints: [path.join(root, 'entrypoints/report-renderer.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  });
  // WXT's unlisted-script wrapper calls the default export's main(); esbuild's IIFE only defines it.
  rendererJs = `${out.outputFiles[0]!.text};`;
}, 60_000);

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const between = (html: string, open: string, close: string) => html.slice(html.indexOf(open) + open.length, html.indexOf(close, html.indexOf(open)));

describe('jsonForHtml', () => {
  it('escapes <, >, &, U+2028 and U+2029 and stays the same JSON value', () => {
    const value = { a: '</script><!--<script>', b: 'x & y > z', c: 'line\u2028sep\u2029', nested: ['</SCRIPT>'] };
    const json = jsonForHtml(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
    expect(json).toContain('\\u003c/script\\u003e');
  });
});

describe('cspHash', () => {
  it('is the base64 SHA-256 of the UTF-8 text, as a CSP source', async () => {
    for (const s of ['', 'abc', 'é€😀\u2028']) expect(await cspHash(s)).toBe(sha256(s));
  });
});

describe('buildReportHtml', () => {
  it('makes one self-contained file under a strict CSP whose hashes match its inline script and style', async () => {
    const html = await buildReportHtml({ report, screenshots: [shot], rendererJs, lang: 'fr' });
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const script = between(html, '<script>', '</script>');
    const style = between(html, '<style>', '</style>');
    expect(script).toBe(rendererJs);
    expect(csp).toBe(`default-src 'none'; img-src data:; style-src ${sha256(style)}; script-src ${sha256(script)}; base-uri 'none'; form-action 'none'`);
    expect(html.startsWith('<!doctype html>\n<html lang="fr">')).toBe(true);
    // No way out to the network in the markup (the script and data blocks set aside), no other executable script.
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '<script></script>').replace(/<style>[\s\S]*?<\/style>/, '<style></style>');
    expect(markup.match(/\b(?:src|href|action|srcset|poster|data)=/gi)).toBeNull();
    expect(html.match(/<script/g)).toHaveLength(4);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    expect(html.match(/<script type="application\/json"/g)).toHaveLength(3);
    expect(rendererJs).not.toMatch(/chrome\.|browser\.runtime|fetch\(|XMLHttpRequest|WebSocket|innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  it('renders the report it carries (the data blocks read back by the renderer)', async () => {
    const html = await buildReportHtml({ report, screenshots: [shot], rendererJs, lang: 'en' });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(JSON.parse(doc.getElementById(DATA_IDS.report)!.textContent!)).toEqual(report);
    bootReportPage(doc, 'en-GB');
    const app = doc.getElementById(DATA_IDS.app)!;
    expect(app.querySelector('h1')!.textContent).toBe('Operator bar — Fault');
    expect(app.querySelector('img')!.getAttribute('src')).toBe(shot.dataUrl);
    expect(app.querySelectorAll('[data-part="timeline"] tbody tr')).toHaveLength(report.timeline.length + 1);
    bootReportPage(doc, 'fr-FR');
    expect(app.querySelector('h1')!.textContent).toBe('Bandeau opérateur — Incident');
  });

  it(`stays within ${REPORT_HTML_BUDGET_BYTES / 1024} KB plus the data`, async () => {
    const html = await buildReportHtml({ report, screenshots: [shot], rendererJs, lang: 'fr' });
    const bytes = (s: string) => new TextEncoder().encode(s).length;
    const data = bytes(between(html, `id="${DATA_IDS.report}">`, '</script>')) + bytes(between(html, `id="${DATA_IDS.shots}">`, '</script>'));
    const own = bytes(html) - data;
    expect(own).toBeLessThanOrEqual(REPORT_HTML_BUDGET_BYTES);
    expect(own).toBeGreaterThan(bytes(rendererJs)); // the measure includes the renderer and the strings
  });

  it('lets no payload out of the JSON data blocks', async () => {
    const { report: hostile } = hostileReport(report);
    const html = await buildReportHtml({ report: hostile, screenshots: [shot], rendererJs, lang: 'fr' });
    expect(html.match(/<\/script/gi)).toHaveLength(4);
    expect(html.match(/<!--|[\u2028\u2029]/g)).toBeNull();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelectorAll('script')).toHaveLength(4);
    expect(doc.querySelectorAll('body > *')).toHaveLength(5);
    expect(JSON.parse(doc.getElementById(DATA_IDS.report)!.textContent!)).toEqual(hostile);
    document.body.replaceChildren(...[...doc.body.childNodes].map((n) => document.adoptNode(n)));
    bootReportPage(document, 'fr');
    expect(document.querySelectorAll('[data-part="timeline"] tbody tr')).toHaveLength(hostile.timeline.length + 1);
    expect(auditDom({ canary: XSS_CANARY_SELECTOR })).toEqual([]);
  }, 120_000);

  it('refuses what it must not embed', async () => {
    await expect(buildReportHtml({ report, screenshots: [], rendererJs: 'x="</script><script>alert(1)"', lang: 'fr' })).rejects.toThrow(/renderer script/);
    await expect(buildReportHtml({ report, screenshots: [], rendererJs: '  ', lang: 'fr' })).rejects.toThrow(/empty/);
    for (const dataUrl of ['javascript:alert(1)', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:text/html,x']) {
      await expect(buildReportHtml({ report, screenshots: [{ filename: 'capture-1.jpg', dataUrl }], rendererJs, lang: 'fr' })).rejects.toThrow(/data URL/);
    }
    await expect(buildReportHtml({ report, screenshots: [{ filename: '../x.jpg"><script>', dataUrl: shot.dataUrl }], rendererJs, lang: 'fr' })).rejects.toThrow(/file name/);
    await expect(buildReportHtml({ report: { ...report, schemaVersion: 2 as 1 }, screenshots: [], rendererJs, lang: 'fr' })).rejects.toThrow();
  });
});
