import { browser } from 'wxt/browser';
import type { ReplayLang } from '../replay/i18n';
import { replayDict, replayDicts } from '../replay/messages';
import { safeImageDataUrl, surfaceLabel } from '../replay/model';
import { REPLAY_CSS } from '../replay/styles';
import { formatInZone, PARIS } from '../replay/time';
import { DATA_IDS } from '../replay/boot';
import { ReportSchema, type Report } from './schema';
import { escapeHtml } from './summary';

/**
 * report.html: one self-contained file for the ticket. Inline CSS and JS under a strict CSP (hashes,
 * no network, images from data: only), the report and the screenshots as JSON data blocks, and the
 * renderer (entrypoints/report-renderer.ts, built to /report-renderer.js) that shows them with the
 * DOM API. It opens from file:// and from a Zammad download, in French or English (the reader's).
 *
 * No extension API here but `loadRendererJs`: the builder also runs in Node (tests).
 */

/** The renderer script's path in the built extension. */
export const RENDERER_PATH = '/report-renderer.js';
/** report.html's own weight (markup, CSS, renderer, strings) may not exceed this; the data comes on top. */
export const REPORT_HTML_BUDGET_BYTES = 300 * 1024;

export interface ScreenshotData {
  /** The report's `screenshots[].filename`. */
  filename: string;
  /** A base64 data: URL of a PNG, JPEG or WebP image (anything else is refused). */
  dataUrl: string;
}

export interface BuildReportHtmlInput {
  report: Report;
  screenshots: readonly ScreenshotData[];
  /** The text of /report-renderer.js (`loadRendererJs()` in the extension). */
  rendererJs: string;
  /** The reporter's language: the file's title and lang; the reader's browser picks the display language. */
  lang: ReplayLang;
}

/** The renderer's text, from the built extension (an extension page or the background). */
export async function loadRendererJs(): Promise<string> {
  const res = await fetch(browser.runtime.getURL('/report-renderer.js'));
  if (!res.ok) throw new Error(`${RENDERER_PATH}: HTTP ${res.status}`);
  return res.text();
}

/**
 * JSON safe inside a `<script type="application/json">` block: `<`, `>`, `&`, U+2028 and U+2029
 * become \u escapes (they only ever occur inside JSON strings, so the JSON stays the same value).
 */
export function jsonForHtml(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('jsonForHtml: value is not serialisable');
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `'sha256-…'` of a script or style element's exact text (UTF-8), for a CSP. */
export async function cspHash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let bin = '';
  for (const b of digest) bin += String.fromCharCode(b);
  return `'sha256-${btoa(bin)}'`;
}

/** Text that would end or confuse an inline script or style element. */
const BREAKS_OUT = /<\/(?:script|style)|<!--/i;

/** The CSP of report.html for a script and a style hash. */
export function reportCsp(scriptHash: string, styleHash: string): string {
  return `default-src 'none'; img-src data:; style-src ${styleHash}; script-src ${scriptHash}; base-uri 'none'; form-action 'none'`;
}

export async function buildReportHtml(input: BuildReportHtmlInput): Promise<string> {
  const report = ReportSchema.parse(input.report);
  const js = input.rendererJs;
  if (!js.trim()) throw new Error('buildReportHtml: empty renderer script');
  if (BREAKS_OUT.test(js)) throw new Error('buildReportHtml: the renderer script contains </script, </style or <!--');
  if (BREAKS_OUT.test(REPLAY_CSS)) throw new Error('buildReportHtml: the stylesheet contains </style');

  const shots: Record<string, string> = {};
  for (const s of input.screenshots) {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(s.filename)) throw new Error(`buildReportHtml: bad screenshot file name ${JSON.stringify(s.filename.slice(0, 120))}`);
    const url = safeImageDataUrl(s.dataUrl);
    if (!url) throw new Error(`buildReportHtml: ${s.filename} is not a base64 PNG, JPEG or WebP data URL`);
    shots[s.filename] = url;
  }

  const lang = input.lang === 'en' ? 'en' : 'fr';
  const d = replayDict(lang);
  const title = `Témoin — ${surfaceLabel(d, report.surface)} — ${formatInZone(report.fault.at.ms, PARIS, lang, d)}`;
  const [scriptHash, styleHash] = await Promise.all([cspHash(js), cspHash(REPLAY_CSS)]);
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${reportCsp(scriptHash, styleHash)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(`Témoin ${report.generator.version}`)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPLAY_CSS}</style>`,
    '</head>',
    '<body>',
    `<div id="${DATA_IDS.app}"><p>${escapeHtml(replayDict('fr')['replayNeedsScript'] ?? '')}</p><p lang="en">${escapeHtml(replayDict('en')['replayNeedsScript'] ?? '')}</p></div>`,
    `<script type="application/json" id="${DATA_IDS.report}">${jsonForHtml(report)}</script>`,
    `<script type="application/json" id="${DATA_IDS.i18n}">${jsonForHtml(replayDicts())}</script>`,
    `<script type="application/json" id="${DATA_IDS.shots}">${jsonForHtml(shots)}</script>`,
    `<script>${js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
