import { fmt, type Dict, type ReplayLang } from '../replay/i18n';
import { replayDict } from '../replay/messages';
import { browserLine, checklistValue, correctedLine, issueCounts, momentLines, precheckLines, skewLine, surfaceLabel, text } from '../replay/model';
import type { Report } from './schema';

/**
 * The ticket's article body (HTML) and title: what a technician reads in Zammad at a glance.
 * Same texts and counts as report.html (lib/replay/model.ts, strings from _locales); every value
 * from the report is HTML-escaped, the markup is a fixed set of tags with no attributes from data.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a quoted attribute. Control characters (but tab and newline) are dropped. */
export function escapeHtml(value: unknown): string {
  return text(value, 100_000)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Escaped text with its line breaks kept as <br>. */
const multiline = (value: string) => escapeHtml(value).replace(/\r\n?|\n/g, '<br>');

const MAX_TITLE = 80;

/** `[Bandeau opérateur] Le bouton Décrocher ne répond plus…`: at most 80 characters, one line. */
export function ticketTitle(report: Report, lang: ReplayLang): string {
  const d = replayDict(lang);
  const key = `surfaceShort_${report.surface}`;
  const prefix = `[${fmt(d, key)}] `;
  const what = text(report.description.what, 5000).replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  const body = what || text(report.fault.label, 200).replace(/\s+/g, ' ').trim() || fmt(d, report.kind === 'request' ? 'replayKindRequest' : 'replayKindFault');
  const room = MAX_TITLE - prefix.length;
  if (body.length <= room) return prefix + body;
  const cut = body.slice(0, room - 1);
  const atWord = cut.lastIndexOf(' ');
  return `${prefix}${(atWord > room / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

function row(label: string, valueHtml: string): string {
  return `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${valueHtml}</td></tr>`;
}

const MARK: Record<string, string> = { pass: '✔', warn: '⚠', fail: '✖', unknown: '?' };

/**
 * The article body: a short table (surface, who, when in Paris and UTC and corrected, what, the
 * counts of console errors, uncaught errors, failed requests and WebSocket drops, the pre-check
 * verdicts) and the report's marker as text.
 */
export function summaryHtml(report: Report, lang: ReplayLang): string {
  const d: Dict = replayDict(lang);
  const at = momentLines(report.fault.at, d, lang);
  const c = issueCounts(report);
  const surface = [surfaceLabel(d, report.surface), report.embeddedIn ? fmt(d, 'replayEmbeddedIn', report.embeddedIn) : ''].filter(Boolean).join(' · ');
  const company = checklistValue(report, 'company');
  const who = [report.user ?? '', company].filter(Boolean).join(' · ') || '—';
  const when = [at.paris, at.utc, at.user, correctedLine(at, d, lang, 'replayCorrectedLine')].filter((x): x is string => !!x);
  const checks = precheckLines(report, d).map((p) => `${MARK[p.status]} ${p.text}`);
  const skew = skewLine(report, d, lang);
  if (skew) checks.push(`${MARK[skew.status]} ${skew.text}`);
  const counts: [string, number][] = [
    ['replayCountConsoleErrors', c.consoleErrors],
    ['replayCountUncaught', c.uncaught],
    ['replayCountFailedRequests', c.failedRequests],
    ['replayCountWsDrops', c.wsDrops],
  ];
  if (c.failedResources) counts.push(['replayCountFailedResources', c.failedResources]);
  if (c.cspViolations) counts.push(['replayCountCsp', c.cspViolations]);
  const countsHtml = counts.map(([k, n]) => `${n > 0 ? `<strong>${n}</strong>` : String(n)} ${escapeHtml(fmt(d, k))}`).join('<br>');

  const rows = [
    row(fmt(d, 'replaySurface'), escapeHtml(surface)),
    row(fmt(d, 'replayUser'), escapeHtml(who)),
    row(fmt(d, 'replayWhen'), when.map(escapeHtml).join('<br>')),
    row(fmt(d, 'replayWhat'), multiline(text(report.description.what, 5000)) || '—'),
    row(fmt(d, 'replayUrl'), escapeHtml(report.url)),
    row(fmt(d, 'replayBrowser'), escapeHtml(browserLine(report)) || '—'),
    row(fmt(d, 'replaySectionCounts'), countsHtml),
    row(fmt(d, 'replaySectionPrechecks'), checks.length ? checks.map(escapeHtml).join('<br>') : escapeHtml(fmt(d, 'replayNoPrechecks'))),
  ];
  return [
    `<p>${escapeHtml(fmt(d, 'replaySummaryIntro', surfaceLabel(d, report.surface)))}</p>`,
    `<table border="1" cellpadding="4" cellspacing="0">${rows.join('')}</table>`,
    `<p>${escapeHtml(fmt(d, 'replaySummaryAttachment'))}</p>`,
    `<p>${escapeHtml(fmt(d, 'replaySummaryMarker', report.id))}</p>`,
  ].join('\n');
}
