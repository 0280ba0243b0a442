import { describe, expect, it } from 'vitest';
import { escapeHtml, summaryHtml, ticketTitle } from '../../../lib/report/summary';
import { barFaultReport, hostileReport } from '../../fixtures/reports/hostile';
import { XSS_PAYLOADS } from '../../fixtures/xss-payloads';

/** Every tag of the summary: a fixed set, with fixed attributes only. */
const TAG = /<[^>]*>/g;
const ALLOWED_TAG = /^<\/?(?:p|table|tr|th|td|br|strong)(?: (?:border|cellpadding|cellspacing|align|valign)="[a-z0-9]+")*>$/;

const textOf = (html: string) => {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  return { doc, text: doc.body.textContent ?? '' };
};

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters and drops control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('the ticket summary', () => {
  const report = barFaultReport();

  it('tells who, where, when, what, the counts and the pre-checks, in French', () => {
    const html = summaryHtml(report, 'fr');
    for (const tag of html.match(TAG) ?? []) expect(tag).toMatch(ALLOWED_TAG);
    const { doc, text } = textOf(html);
    const row = (label: string) => [...doc.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent === label)?.querySelector('td');
    expect(row('Surface')!.textContent).toBe('Bandeau opérateur');
    expect(row('Utilisateur')!.textContent).toBe('jdupont · Horizon Assurances');
    const when = row('Quand')!.innerHTML.split('<br>');
    expect(when[0]).toMatch(/^\d\d\/\d\d\/2026 \d\d:\d\d:\d\d,\d{3} \(heure de Paris, UTC\+0[12]:00\)$/);
    expect(when[1]).toMatch(/^\d\d\/\d\d\/2026 \d\d:\d\d:\d\d,\d{3} \(UTC\)$/);
    expect(when[2]).toMatch(/^Heure corrigée : .+ \(horloge du poste décalée de \+3,2 s\)$/);
    expect(row('Quoi')!.innerHTML).toContain('« Disponible »');
    expect(row('Quoi')!.innerHTML).toContain('<br>Le client a dû rappeler.');
    expect(row('Adresse (URL)')!.textContent).toBe(report.url);
    expect(row('En bref')!.textContent).toBe(
      '1 erreurs console2 erreurs non interceptées (exceptions, promesses rejetées)1 requêtes en échec1 coupures WebSocket3 ressources introuvables1 violations CSP',
    );
    const checks = row('Vérifications côté utilisateur')!.innerHTML.split('<br>');
    expect(checks).toHaveLength(5);
    expect(checks[0]).toBe('✔ Le poste est connecté au réseau.');
    expect(checks[4]).toMatch(/^⚠ L’horloge du poste est décalée de \+3,2 s/);
    expect(text).toContain(`Marqueur Témoin : ${report.id}`);
  });

  it('speaks English when asked', () => {
    const { text } = textOf(summaryHtml(report, 'en'));
    expect(text).toContain('Operator bar');
    expect(text).toContain('1 console errors');
    expect(text).toContain('(Paris time, UTC+0');
    expect(text).toContain(`Témoin marker: ${report.id}`);
  });

  it('shows a zero count plainly and leaves out the empty extra counts', () => {
    const quiet = { ...report, timeline: report.timeline.filter((e) => e.k === 'click' || e.k === 'page') };
    const { doc } = textOf(summaryHtml(quiet, 'en'));
    const td = [...doc.querySelectorAll('tr')].find((tr) => tr.querySelector('th')?.textContent === 'At a glance')!.querySelector('td')!;
    expect(td.innerHTML).toBe('0 console errors<br>0 uncaught errors (exceptions, rejected promises)<br>0 failed requests<br>0 WebSocket drops');
  });

  it(`keeps ${XSS_PAYLOADS.length} planted payloads as text`, () => {
    const { report: hostile } = hostileReport(report);
    for (const lang of ['fr', 'en'] as const) {
      const html = summaryHtml(hostile, lang);
      for (const tag of html.match(TAG) ?? []) expect(tag).toMatch(ALLOWED_TAG);
      const { doc, text } = textOf(html);
      expect(doc.querySelectorAll('img, script, svg, iframe, a, [onerror], [onload], .xss-canary')).toHaveLength(0);
      expect(text).toContain(hostile.user!);
      expect(text).toContain(hostile.url);
      expect(text.replace(/\s/g, '')).toContain(hostile.description.what.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').replace(/\s/g, ''));
    }
  });
});

describe('the ticket title', () => {
  const report = barFaultReport();

  it('is [surface] then the first words of the description, at most 80 characters', () => {
    const title = ticketTitle(report, 'fr');
    expect(title.length).toBeLessThanOrEqual(80);
    expect(title).toMatch(/^\[Bandeau opérateur\] En plein appel, j'ai cliqué sur « Disponible » .*…$/);
    expect(title).not.toMatch(/\s…$/);
    expect(ticketTitle({ ...report, description: { ...report.description, what: '  Plus de son\n\ten appel ' } }, 'en')).toBe('[Operator bar] Plus de son en appel');
    expect(ticketTitle({ ...report, surface: 'extranet', description: { ...report.description, what: '' } }, 'fr')).toBe('[Extranet] Erreur : Uncaught TypeError: Cannot read properties of undefined…'); // the fault's label, cut at a word
  });

  it('stays one line of at most 80 characters whatever the description holds', () => {
    for (const what of XSS_PAYLOADS) {
      const title = ticketTitle({ ...report, description: { ...report.description, what: what.slice(0, 5000) } }, 'fr');
      expect(title.length, what).toBeLessThanOrEqual(80);
      expect(title).not.toMatch(/[\u0000-\u001F\u007F\u2028\u2029]/);
      expect(title.startsWith('[Bandeau opérateur] ')).toBe(true);
    }
  });
});
