import type { Report } from '../report/schema';
import { fmt, has, type Dict, type Dicts, type ReplayLang } from './i18n';
import {
  browserLine,
  checklistRows,
  correctedLine,
  descriptionRows,
  envRows,
  EVENT_KINDS,
  fieldRows,
  frameRows,
  isObj,
  issueCounts,
  momentLines,
  num,
  precheckLines,
  pretty,
  rtcStatsRows,
  safeImageDataUrl,
  shapesSummary,
  skewLine,
  surfaceLabel,
  text,
  timelineRows,
  type TimelineRow,
} from './model';

/**
 * The one replay renderer, for report.html and the viewer: builds the DOM with createElement and
 * textContent only. No data ever reaches innerHTML, a style, an event-handler attribute, an href or
 * a src; the only src it sets is a screenshot's, after `safeImageDataUrl` (base64 PNG/JPEG/WebP).
 */

export interface RenderInput {
  /** A validated report (the viewer), or what report.html carries (read defensively either way). */
  report: Report | Record<string, unknown>;
  /** Screenshot file name → data: URL. */
  shots: Readonly<Record<string, string>>;
  dicts: Dicts;
  lang: ReplayLang;
  /** Already-localised notices shown above the report (migration, newer version…). */
  notices?: readonly string[];
  /** Show the FR/EN switch (default true). */
  languageSwitch?: boolean;
}

export interface Rendered {
  /** Re-renders in the other language. */
  setLang(lang: ReplayLang): void;
  destroy(): void;
}

type Child = Node | string | null | undefined | false;

/** Attributes the renderer may set: never src, href, style or on*. */
const SAFE_ATTR = /^(?:data-[a-z-]+|aria-[a-z]+|role|type|for|scope|lang|colspan|title|id|name|placeholder|open)$/;

function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Record<string, string | undefined> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined) continue;
      if (name === 'class') el.className = value;
      else if (SAFE_ATTR.test(name)) el.setAttribute(name, value);
      else throw new Error(`renderer: attribute ${name} not allowed`);
    }
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? doc.createTextNode(c) : c);
  }
  return el;
}

function dl(doc: Document, rows: [string, Child][], attrs: Record<string, string> | null = null): HTMLDListElement {
  const list = h(doc, 'dl', attrs);
  for (const [k, v] of rows) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    list.append(h(doc, 'dt', null, k), h(doc, 'dd', null, v));
  }
  return list;
}

function table(doc: Document, head: string[], rows: string[][], attrs: Record<string, string> | null = null): HTMLTableElement {
  return h(
    doc,
    'table',
    attrs,
    h(doc, 'thead', null, h(doc, 'tr', null, ...head.map((c) => h(doc, 'th', { scope: 'col' }, c)))),
    h(doc, 'tbody', null, ...rows.map((r) => h(doc, 'tr', null, ...r.map((c) => h(doc, 'td', null, c))))),
  );
}

/** A details block whose body is built on first opening (thousands of stacks stay cheap). */
function lazyDetails(doc: Document, label: string, body: () => string): HTMLDetailsElement {
  const d = h(doc, 'details', null, h(doc, 'summary', null, label));
  d.addEventListener('toggle', () => {
    if (d.open && !d.querySelector('pre')) d.append(h(doc, 'pre', null, body()));
  });
  return d;
}

function section(doc: Document, name: string, title: string, ...children: Child[]): HTMLElement {
  return h(doc, 'section', { 'data-section': name, id: `tmn-${name}`, 'aria-label': title }, h(doc, 'h2', null, title), ...children);
}

// ------------------------------------------------------------------------------------- sections

function header(doc: Document, r: Record<string, unknown>, d: Dict, lang: ReplayLang, input: RenderInput, rerender: (l: ReplayLang) => void): HTMLElement {
  const fault = isObj(r['fault']) ? r['fault'] : {};
  const at = momentLines(fault['at'], d, lang);
  const surface = surfaceLabel(d, r['surface']);
  const embedded = r['embeddedIn'] ? fmt(d, 'replayEmbeddedIn', text(r['embeddedIn'], 300)) : '';
  const detected = r['detectedSurface'] && r['detectedSurface'] !== r['surface'] ? fmt(d, 'replayDetected', surfaceLabel(d, r['detectedSurface'])) : '';
  const kind = r['kind'] === 'request' ? fmt(d, 'replayKindRequest') : fmt(d, 'replayKindFault');
  const langs =
    input.languageSwitch === false
      ? null
      : h(
          doc,
          'span',
          { class: 'tmn-langs', role: 'group', 'aria-label': fmt(d, 'replayLanguage') },
          ...(['fr', 'en'] as const).map((l) => {
            const b = h(doc, 'button', { type: 'button', 'aria-pressed': String(l === lang), lang: l, 'data-lang': l }, l.toUpperCase());
            b.addEventListener('click', () => rerender(l));
            return b;
          }),
        );
  const created = isObj(r['createdAt']) ? momentLines(r['createdAt'], d, lang).paris : '';
  return h(
    doc,
    'header',
    { 'data-section': 'header' },
    h(doc, 'div', { class: 'tmn-top' }, h(doc, 'span', null, fmt(d, 'replayBrand')), langs),
    h(doc, 'h1', null, `${surface} — ${kind}`),
    dl(doc, [
      [fmt(d, 'replaySurface'), [surface, embedded, detected].filter(Boolean).join(' · ')],
      [fmt(d, 'replayUser'), text(r['user'], 200) || '—'],
      [fmt(d, 'replayFaultParis'), at.paris],
      [fmt(d, 'replayFaultUtc'), at.utc],
      [fmt(d, 'replayFaultUserZone'), at.user],
      [fmt(d, 'replayFaultCorrected'), correctedLine(at, d, lang)],
      [fmt(d, 'replayFaultHow'), [has(d, `replayFaultMode_${text(fault['mode'], 10)}`) ? fmt(d, `replayFaultMode_${text(fault['mode'], 10)}`) : '', text(fault['label'], 200)].filter(Boolean).join(' — ')],
      [fmt(d, 'replayBrowser'), browserLine(r)],
      [fmt(d, 'replayUrl'), h(doc, 'span', { class: 'tmn-mono', 'data-field': 'url' }, text(r['url'], 4000))],
      [fmt(d, 'replayCreated'), created],
      [fmt(d, 'replayMarker'), h(doc, 'span', { class: 'tmn-mono', 'data-field': 'id' }, text(r['id'], 60))],
    ]),
  );
}

function countsSection(doc: Document, r: unknown, d: Dict): HTMLElement {
  const c = issueCounts(r);
  const items: [string, number][] = [
    ['replayCountConsoleErrors', c.consoleErrors],
    ['replayCountUncaught', c.uncaught],
    ['replayCountFailedRequests', c.failedRequests],
    ['replayCountFailedResources', c.failedResources],
    ['replayCountWsDrops', c.wsDrops],
    ['replayCountCsp', c.cspViolations],
  ];
  const inc = isObj(r) && isObj(r['include']) ? r['include'] : {};
  const excluded = [inc['console'] === false ? fmt(d, 'replayExcludedConsole') : '', inc['network'] === false ? fmt(d, 'replayExcludedNetwork') : ''].filter(Boolean);
  return section(
    doc,
    'counts',
    fmt(d, 'replaySectionCounts'),
    h(doc, 'ul', { class: 'tmn-counts' }, ...items.map(([k, n]) => h(doc, 'li', { class: n > 0 ? 'tmn-bad' : '', 'data-count': k }, h(doc, 'strong', null, String(n)), fmt(d, k)))),
    ...excluded.map((e) => h(doc, 'p', { class: 'tmn-muted' }, e)),
  );
}

function descriptionSection(doc: Document, r: unknown, d: Dict): HTMLElement {
  const rows = descriptionRows(r, d);
  const checklist = checklistRows(r);
  const fields = fieldRows(r);
  return section(
    doc,
    'description',
    fmt(d, 'replaySectionDescription'),
    rows.length ? dl(doc, rows) : h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayNone')),
    h(doc, 'h2', null, fmt(d, 'checklistHeading')),
    checklist.length
      ? h(
          doc,
          'table',
          { 'data-part': 'checklist' },
          h(doc, 'tbody', null, ...checklist.map((c) =>
            h(
              doc,
              'tr',
              null,
              h(doc, 'th', { scope: 'row' }, c.label, c.required ? h(doc, 'span', { class: 'tmn-tag' }, fmt(d, 'requiredMark')) : null),
              h(doc, 'td', null, c.value || '—', c.prefilled ? h(doc, 'span', { class: 'tmn-tag' }, fmt(d, 'replayPrefilled')) : null),
            ),
          )),
        )
      : h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayNone')),
    fields.length
      ? lazyOrNow(doc, fmt(d, 'replayPageState', String(fields.length)), () => table(doc, [fmt(d, 'replayField'), fmt(d, 'replayValue')], fields))
      : null,
  );
}

/** A details block with a table built on opening. */
function lazyOrNow(doc: Document, label: string, build: () => Node): HTMLDetailsElement {
  const det = h(doc, 'details', { 'data-part': 'page-state' }, h(doc, 'summary', null, label));
  det.addEventListener('toggle', () => {
    if (det.open && det.childElementCount === 1) det.append(build());
  });
  return det;
}

function screenshotsSection(doc: Document, r: Record<string, unknown>, d: Dict, shots: Readonly<Record<string, string>>): HTMLElement {
  const list = Array.isArray(r['screenshots']) ? r['screenshots'].filter(isObj) : [];
  const figures = list.map((s, i) => {
    const filename = text(s['filename'], 100);
    const own = Object.prototype.hasOwnProperty.call(shots, filename) ? shots[filename] : undefined;
    const src = safeImageDataUrl(own);
    const caption = [
      filename,
      s['name'] ? `« ${text(s['name'], 200)} »` : '',
      num(s['width']) !== null ? `${text(s['width'])} × ${text(s['height'])} px` : '',
      num(s['bytes']) !== null ? `${Math.round((num(s['bytes']) ?? 0) / 1024)} Ko` : '',
      has(d, `replayShotSource_${text(s['source'], 20).replace(/-/g, '_')}`) ? fmt(d, `replayShotSource_${text(s['source'], 20).replace(/-/g, '_')}`) : '',
      shapesSummary(s['shapes'], s['redactions'], d),
    ].filter(Boolean);
    let img: Node;
    if (src) {
      const el = doc.createElement('img');
      el.alt = fmt(d, 'replayShotAlt', String(i + 1), filename);
      el.src = src; // validated: a base64 PNG/JPEG/WebP data URL, nothing else
      img = el;
    } else {
      img = h(doc, 'p', { class: 'tmn-notice', 'data-missing': 'screenshot' }, fmt(d, own === undefined ? 'replayShotMissing' : 'replayShotRefused', filename));
    }
    return h(doc, 'figure', { 'data-shot': String(i) }, img, h(doc, 'figcaption', null, caption.join(' · ')));
  });
  return section(doc, 'screenshots', fmt(d, 'replaySectionScreenshots'), figures.length ? h(doc, 'div', { class: 'tmn-shots' }, ...figures) : h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayNone')));
}

function timelineSection(doc: Document, r: unknown, d: Dict, lang: ReplayLang): HTMLElement {
  const rows = timelineRows(r, d, lang);
  const present = new Map<string, number>();
  for (const row of rows) if (row.k !== 'fault') present.set(row.k, (present.get(row.k) ?? 0) + 1);
  const kinds = [...EVENT_KINDS, 'other'].filter((k) => present.has(k));
  const enabled = new Set(kinds);
  let problemsOnly = false;
  let query = '';

  const tbody = h(doc, 'tbody', null);
  const trs: [TimelineRow, HTMLTableRowElement][] = rows.map((row) => {
    const cls = ['tmn-ev', `tmn-${row.severity}`, `tmn-k-${row.k}`, row.k === 'fault' ? 'tmn-fault' : ''].filter(Boolean).join(' ');
    const body = h(doc, 'td', null, row.frame ? h(doc, 'span', { class: 'tmn-frame' }, row.frame) : null, h(doc, 'span', { class: 'tmn-title' }, row.title));
    if (row.detail !== null) {
      const detail = row.detail;
      body.append(lazyDetails(doc, row.k === 'error' || row.k === 'rejection' ? fmt(d, 'replayStack') : fmt(d, 'replayDetails'), () => detail));
    }
    const tr = h(
      doc,
      'tr',
      { class: cls, 'data-k': row.k, 'data-t': row.t === null ? '' : String(row.t), 'data-severity': row.severity },
      h(doc, 'td', { class: 'tmn-rel' }, row.rel),
      h(doc, 'td', { class: 'tmn-clock' }, row.clock),
      h(doc, 'td', { class: 'tmn-kind' }, row.kindLabel),
      body,
    );
    tbody.append(tr);
    return [row, tr];
  });

  const shown = h(doc, 'span', { class: 'tmn-muted', 'data-part': 'shown', 'aria-live': 'polite' }, '');
  const apply = () => {
    let n = 0;
    for (const [row, tr] of trs) {
      const visible =
        row.k === 'fault' ||
        (enabled.has(row.k) && (!problemsOnly || row.severity !== 'info') && (query === '' || row.search.includes(query)));
      tr.hidden = !visible;
      if (visible && row.k !== 'fault') n++;
    }
    shown.textContent = fmt(d, 'replayShown', String(n), String(trs.length - (trs.some(([x]) => x.k === 'fault') ? 1 : 0)));
  };

  const filters = h(doc, 'div', { class: 'tmn-filters', role: 'group', 'aria-label': fmt(d, 'replayFilters') });
  for (const k of kinds) {
    const box = h(doc, 'input', { type: 'checkbox', 'data-filter': k });
    box.checked = true;
    box.addEventListener('change', () => {
      if (box.checked) enabled.add(k);
      else enabled.delete(k);
      apply();
    });
    filters.append(h(doc, 'label', null, box, `${fmt(d, `replayKind_${k}`)} (${present.get(k)})`));
  }
  const problems = h(doc, 'input', { type: 'checkbox', 'data-filter': 'problems' });
  problems.addEventListener('change', () => {
    problemsOnly = problems.checked;
    apply();
  });
  filters.append(h(doc, 'label', null, problems, fmt(d, 'replayProblemsOnly')));
  const search = h(doc, 'input', { type: 'search', 'data-filter': 'search', placeholder: fmt(d, 'replaySearch'), 'aria-label': fmt(d, 'replaySearch') });
  search.addEventListener('input', () => {
    query = search.value.trim().toLowerCase();
    apply();
  });
  filters.append(search, shown);
  apply();

  return section(
    doc,
    'timeline',
    fmt(d, 'replaySectionTimeline'),
    h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayTimelineHint')),
    filters,
    rows.length > 1
      ? h(
          doc,
          'table',
          { class: 'tmn-tl', 'data-part': 'timeline' },
          h(doc, 'thead', null, h(doc, 'tr', null, ...['replayColRel', 'replayColClock', 'replayColKind', 'replayColEvent'].map((k) => h(doc, 'th', { scope: 'col' }, fmt(d, k))))),
          tbody,
        )
      : h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayNoEvents')),
  );
}

function rtcSection(doc: Document, r: unknown, d: Dict, lang: ReplayLang): HTMLElement {
  const rows = rtcStatsRows(r, lang);
  return section(
    doc,
    'webrtc',
    fmt(d, 'replaySectionWebrtc'),
    rows.length
      ? table(
          doc,
          ['replayColRel', 'replayRtcPc', 'replayRtcRtt', 'replayRtcJitterCol', 'replayRtcLostCol', 'replayRtcReceived', 'replayRtcSentCol', 'replayRtcCandidate'].map((k) => fmt(d, k)),
          rows.map((x) => [x.rel, x.pc, x.rtt, x.jitter, x.lost, x.received, x.sent, x.candidate]),
          { 'data-part': 'rtcstats' },
        )
      : h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayNoRtc')),
  );
}

function precheckSection(doc: Document, r: Record<string, unknown>, d: Dict, lang: ReplayLang): HTMLElement {
  const lines = precheckLines(r, d);
  const skew = skewLine(r, d, lang);
  const own = isObj(r['ownSide']) ? r['ownSide'] : null;
  const list = h(doc, 'ul', { class: 'tmn-checks' });
  const raw = own && Array.isArray(own['prechecks']) ? own['prechecks'] : [];
  lines.forEach((l, i) => {
    const item = h(doc, 'li', { class: `tmn-${l.status}`, 'data-check': l.id, 'data-status': l.status }, `${statusMark(l.status)} ${l.text}`);
    if (l.advice.length) item.append(h(doc, 'ul', null, ...l.advice.map((a) => h(doc, 'li', null, a))));
    const detail = isObj(raw[i]) ? raw[i]['detail'] : undefined;
    if (isObj(detail) && Object.keys(detail).length) item.append(lazyDetails(doc, fmt(d, 'replayDetails'), () => pretty(detail)));
    list.append(item);
  });
  if (skew) list.append(h(doc, 'li', { class: `tmn-${skew.status}`, 'data-check': 'clock', 'data-status': skew.status }, `${statusMark(skew.status)} ${skew.text}`));
  return section(
    doc,
    'prechecks',
    fmt(d, 'replaySectionPrechecks'),
    own ? h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayPrecheckOrigin', text(own['origin'], 300))) : null,
    list.childElementCount ? list : h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayNoPrechecks')),
  );
}

const statusMark = (s: string) => (s === 'pass' ? '✔' : s === 'fail' ? '✖' : '⚠');

function envSection(doc: Document, r: unknown, d: Dict, lang: ReplayLang): HTMLElement {
  const rows = envRows(r, d);
  const frames = frameRows(r, d, lang);
  return section(
    doc,
    'environment',
    fmt(d, 'replaySectionEnvironment'),
    rows.length ? dl(doc, rows) : h(doc, 'p', { class: 'tmn-muted' }, fmt(d, 'replayNone')),
    frames.length
      ? h(
          doc,
          'div',
          null,
          h(doc, 'h2', null, fmt(d, 'replayFrames')),
          table(doc, ['replayFrameId', 'replaySurface', 'replayUrl', 'replayFrameState', 'replayFrameCounts'].map((k) => fmt(d, k)), frames, { 'data-part': 'frames' }),
        )
      : null,
  );
}

function footer(doc: Document, r: Record<string, unknown>, d: Dict): HTMLElement {
  const gen = isObj(r['generator']) ? r['generator'] : {};
  return h(doc, 'p', { class: 'tmn-muted', 'data-section': 'footer' }, fmt(d, 'replayFooter', text(gen['name'], 40), text(gen['version'], 40), text(r['schemaVersion'], 10), text(r['id'], 60)));
}

// ------------------------------------------------------------------------------------------ entry

/** Renders the report into `root` (its content is replaced). */
export function renderReport(root: HTMLElement, input: RenderInput): Rendered {
  const doc = root.ownerDocument;
  const r: Record<string, unknown> = isObj(input.report) ? input.report : {};
  let current: HTMLElement | null = null;
  const draw = (lang: ReplayLang) => {
    const d = input.dicts[lang] ?? input.dicts.fr;
    const shell = h(
      doc,
      'div',
      { class: 'tmn-report', lang },
      header(doc, r, d, lang, input, draw),
      ...(input.notices ?? []).map((n) => h(doc, 'p', { class: 'tmn-notice', role: 'note', 'data-notice': '' }, n)),
      countsSection(doc, r, d),
      descriptionSection(doc, r, d),
      screenshotsSection(doc, r, d, input.shots),
      timelineSection(doc, r, d, lang),
      rtcSection(doc, r, d, lang),
      precheckSection(doc, r, d, lang),
      envSection(doc, r, d, lang),
      footer(doc, r, d),
    );
    if (current) current.replaceWith(shell);
    else root.replaceChildren(shell);
    current = shell;
    if (doc.documentElement && root === doc.body) doc.documentElement.lang = lang;
  };
  draw(input.lang);
  return {
    setLang: draw,
    destroy: () => {
      current?.remove();
      current = null;
    },
  };
}
