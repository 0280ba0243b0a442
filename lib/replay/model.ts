import { fmt, has, type Dict, type ReplayLang } from './i18n';
import { formatInZone, PARIS, parisClock, relTime, signedSeconds } from './time';

/**
 * The replay's view model: pure functions from a report to the texts and rows that report.html,
 * the viewer and the ticket summary show. Every value is read defensively (report.html does not
 * validate: it renders what the builder validated, and must not break on anything else) and every
 * result is plain text, to be put in the DOM as text or HTML-escaped.
 *
 * Only type imports from the schema: this module is part of the report.html renderer (no zod).
 */

type Obj = Record<string, unknown>;
/** A timeline event as the renderer sees it: the schema's shape, but every field may be missing. */
export type LooseEvent = Obj & { k?: unknown; t?: unknown };

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Any value as display text, bounded: strings as they are, the rest as compact JSON. */
export function text(v: unknown, max = 20_000): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (v === null || v === undefined) s = '';
  else if (typeof v === 'number' || typeof v === 'boolean') s = String(v);
  else {
    try {
      s = JSON.stringify(v) ?? '';
    } catch {
      s = String(v);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Pretty JSON for details blocks; strings stay as they are. */
export function pretty(v: unknown, max = 50_000): string {
  if (typeof v === 'string') return text(v, max);
  try {
    return text(JSON.stringify(v, null, 2) ?? '', max);
  } catch {
    return text(v, max);
  }
}

const oneLine = (s: string, max = 400) => text(s.replace(/\s+/g, ' ').trim(), max);

// ------------------------------------------------------------------------------------------ kinds

/** Every event kind, in the order the filters list them. */
export const EVENT_KINDS = ['console', 'error', 'rejection', 'net', 'resource', 'csp', 'ws', 'rtc', 'rtcstats', 'click', 'submit', 'nav', 'page'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const isKind = (k: unknown): k is EventKind => typeof k === 'string' && (EVENT_KINDS as readonly string[]).includes(k);

export type Severity = 'bad' | 'warn' | 'info';

export function isFailedRequest(e: LooseEvent): boolean {
  if (e.k !== 'net') return false;
  const status = num(e['status']);
  return e['failed'] === true || status === null || status === 0 || status >= 400;
}

/** A WebSocket that closed other than by a clean, normal close (1000/1001). */
export function isWsDrop(e: LooseEvent): boolean {
  if (e.k !== 'ws' || e['e'] !== 'close') return false;
  const code = num(e['code']);
  return !(e['clean'] === true && (code === 1000 || code === 1001));
}

export function severity(e: LooseEvent): Severity {
  switch (e.k) {
    case 'console':
      return e['l'] === 'error' ? 'bad' : e['l'] === 'warn' ? 'warn' : 'info';
    case 'error':
    case 'rejection':
    case 'resource':
    case 'csp':
      return 'bad';
    case 'net': {
      const status = num(e['status']) ?? 0;
      // Only failed or slow requests are kept: a server error or no answer is bad, the rest (4xx, slow) a warning.
      return e['failed'] === true || status === 0 || status >= 500 ? 'bad' : 'warn';
    }
    case 'ws':
      return e['e'] === 'error' || isWsDrop(e) ? 'bad' : 'info';
    case 'rtc': {
      const s = e['s'];
      return s === 'failed' ? 'bad' : s === 'disconnected' || s === 'closed' ? 'warn' : 'info';
    }
    default:
      return 'info';
  }
}

// ---------------------------------------------------------------------------------------- counts

export interface IssueCounts {
  consoleErrors: number;
  /** Uncaught errors and unhandled rejections. */
  uncaught: number;
  failedRequests: number;
  failedResources: number;
  wsDrops: number;
  cspViolations: number;
}

export function timelineOf(report: unknown): LooseEvent[] {
  const tl = isObj(report) ? report['timeline'] : null;
  return Array.isArray(tl) ? (tl.filter(isObj) as LooseEvent[]) : [];
}

export function issueCounts(report: unknown): IssueCounts {
  const c: IssueCounts = { consoleErrors: 0, uncaught: 0, failedRequests: 0, failedResources: 0, wsDrops: 0, cspViolations: 0 };
  for (const e of timelineOf(report)) {
    if (e.k === 'console' && e['l'] === 'error') c.consoleErrors++;
    else if (e.k === 'error' || e.k === 'rejection') c.uncaught++;
    else if (isFailedRequest(e)) c.failedRequests++;
    else if (e.k === 'resource') c.failedResources++;
    else if (isWsDrop(e)) c.wsDrops++;
    else if (e.k === 'csp') c.cspViolations++;
  }
  return c;
}

// ------------------------------------------------------------------------------------- labels

export function surfaceLabel(dict: Dict, surface: unknown): string {
  const key = `surface_${text(surface, 40)}`;
  return has(dict, key) ? fmt(dict, key) : text(surface, 40);
}

/** An optional enumerated value's label (`ctx_status_change`…), else the value itself. */
function optLabel(dict: Dict, prefix: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const key = `${prefix}${text(value, 40).replace(/-/g, '_')}`;
  return has(dict, key) ? fmt(dict, key) : text(value, 100);
}

export interface MomentLines {
  paris: string;
  utc: string;
  /** The workstation's own zone, when not Paris. */
  user: string | null;
  /** Paris time on the server's clock, when the workstation's was off. */
  corrected: string | null;
  /** correctedMs − ms, when corrected. */
  skewMs: number | null;
}

export function momentLines(m: unknown, dict: Dict, lang: ReplayLang): MomentLines {
  const o = isObj(m) ? m : {};
  const ms = num(o['ms']);
  const zone = typeof o['userZone'] === 'string' ? o['userZone'] : PARIS;
  const corrected = num(o['correctedMs']);
  return {
    paris: formatInZone(ms, PARIS, lang, dict),
    utc: formatInZone(ms, 'UTC', lang, dict),
    user: zone === PARIS || ms === null ? null : formatInZone(ms, zone, lang, dict),
    corrected: corrected === null ? null : formatInZone(corrected, PARIS, lang, dict),
    skewMs: corrected === null || ms === null ? null : corrected - ms,
  };
}

/**
 * The corrected time with the clock's offset: `… (horloge du poste décalée de +3,2 s)` (`replayCorrected`,
 * under a "corrected time" label) or, standalone, `Heure corrigée : … (…)` (`replayCorrectedLine`).
 */
export function correctedLine(lines: MomentLines, dict: Dict, lang: ReplayLang, key: 'replayCorrected' | 'replayCorrectedLine' = 'replayCorrected'): string | null {
  if (!lines.corrected || lines.skewMs === null) return null;
  return fmt(dict, key, lines.corrected, signedSeconds(lines.skewMs, lang));
}

export function faultMs(report: unknown): number | null {
  const fault = isObj(report) && isObj(report['fault']) ? report['fault'] : null;
  return fault && isObj(fault['at']) ? num(fault['at']['ms']) : null;
}

export function browserLine(report: unknown): string {
  const env = isObj(report) && isObj(report['env']) ? report['env'] : null;
  if (!env) return '';
  const b = isObj(env['browser']) ? env['browser'] : null;
  const os = isObj(env['os']) ? env['os'] : null;
  const browser = b ? [text(b['name'], 100), text(b['version'], 60)].filter(Boolean).join(' ') : '';
  const system = os ? text(os['label'] ?? os['name'], 100) : '';
  return [browser, system].filter(Boolean).join(' · ');
}

/** The value of a checklist entry by id (e.g. `company`), or ''. */
export function checklistValue(report: unknown, id: string): string {
  const list = isObj(report) && Array.isArray(report['checklist']) ? report['checklist'] : [];
  for (const c of list) if (isObj(c) && c['id'] === id) return text(c['value'], 500);
  return '';
}

// ----------------------------------------------------------------------------------- description

/** Description fields as [label, value] rows, in the popup's order; empty ones left out. */
export function descriptionRows(report: unknown, dict: Dict): [string, string][] {
  const d = isObj(report) && isObj(report['description']) ? report['description'] : {};
  const rows: [string, string][] = [
    [fmt(dict, 'descWhat'), text(d['what'], 5000)],
    [fmt(dict, 'descContext'), optLabel(dict, 'ctx_', d['context'])],
    [fmt(dict, 'descButton'), text(d['button'], 300)],
    [fmt(dict, 'descClickNoEffect'), d['clickNoEffect'] === true ? fmt(dict, 'replayYes') : ''],
    [fmt(dict, 'descMissing'), text(d['missing'], 300)],
    [fmt(dict, 'descAffected'), optLabel(dict, 'affected_', d['affected'])],
    [fmt(dict, 'descReproducible'), optLabel(dict, 'repro_', d['reproducible'])],
    [fmt(dict, 'descSteps'), text(d['steps'], 3000)],
  ];
  return rows.filter(([, v]) => v !== '');
}

export interface ChecklistRow {
  label: string;
  value: string;
  required: boolean;
  prefilled: boolean;
}

export function checklistRows(report: unknown): ChecklistRow[] {
  const list = isObj(report) && Array.isArray(report['checklist']) ? report['checklist'] : [];
  return list.filter(isObj).map((c) => ({
    label: text(c['label'] || c['id'], 200),
    value: text(c['value'], 500),
    required: c['required'] === true,
    prefilled: c['prefilled'] === true,
  }));
}

/** The page's extracted fields (`fields`), flattened to dotted paths: `call.idAppel` → value. */
export function fieldRows(report: unknown, max = 200): [string, string][] {
  const fields = isObj(report) && isObj(report['fields']) ? report['fields'] : {};
  const out: [string, string][] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= max) return;
    if (Array.isArray(v)) {
      if (v.length === 0 || depth > 6) out.push([path, text(v, 1000)]);
      else v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
    } else if (isObj(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 || depth > 6) out.push([path, text(v, 1000)]);
      else for (const k of keys) walk(v[k], path ? `${path}.${k}` : k, depth + 1);
    } else if (v !== null && v !== undefined && v !== '') out.push([path, text(v, 1000)]);
  };
  walk(fields, '', 0);
  return out.filter(([p]) => p !== 'surface');
}

// ------------------------------------------------------------------------------------ prechecks

export interface PrecheckLine {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'unknown';
  text: string;
  advice: string[];
}

export function precheckLines(report: unknown, dict: Dict): PrecheckLine[] {
  const own = isObj(report) && isObj(report['ownSide']) ? report['ownSide'] : null;
  const list = own && Array.isArray(own['prechecks']) ? own['prechecks'] : [];
  return list.filter(isObj).map((p) => {
    const status = p['status'] === 'pass' || p['status'] === 'warn' || p['status'] === 'fail' ? p['status'] : 'unknown';
    const key = text(p['messageKey'], 100);
    const params = Array.isArray(p['params']) ? p['params'].map((x) => text(x, 300)) : [];
    const msg = has(dict, key) ? fmt(dict, key, ...params) : [key, ...params].join(' ');
    const advice = Array.isArray(p['advice']) ? p['advice'].map((a) => (has(dict, text(a, 100)) ? fmt(dict, text(a, 100)) : text(a, 100))) : [];
    return { id: text(p['id'], 30), status, text: msg, advice };
  });
}

/** The clock check (pre-check of the workstation's clock) as one line, or null when absent. */
export function skewLine(report: unknown, dict: Dict, lang: ReplayLang): { status: 'pass' | 'warn'; text: string } | null {
  const own = isObj(report) && isObj(report['ownSide']) ? report['ownSide'] : null;
  const s = own && isObj(own['skew']) ? own['skew'] : null;
  if (!s) return null;
  if (s['ok'] !== true) return { status: 'warn', text: fmt(dict, 'replaySkewUnknown', text(s['reason'], 40)) };
  const offset = num(s['offsetMs']) ?? 0;
  const unc = num(s['uncertaintyMs']) ?? 0;
  const flagged = s['flagged'] === true;
  return {
    status: flagged ? 'warn' : 'pass',
    text: fmt(dict, flagged ? 'replaySkewFlagged' : 'replaySkewOk', signedSeconds(offset, lang), signedSeconds(unc, lang).replace(/^\+/, '±')),
  };
}

// --------------------------------------------------------------------------------- environment

export function envRows(report: unknown, dict: Dict): [string, string][] {
  const env = isObj(report) && isObj(report['env']) ? report['env'] : null;
  if (!env) return [];
  const o = (v: unknown) => (isObj(v) ? v : {});
  const yesNo = (v: unknown) => (v === true ? fmt(dict, 'replayYes') : v === false ? fmt(dict, 'replayNo') : '');
  const screen = o(env['screen']);
  const win = o(env['window']);
  const conn = o(env['connection']);
  const devices = Array.isArray(env['mediaDevices']) ? env['mediaDevices'].filter(isObj) : [];
  const rows: [string, string][] = [
    [fmt(dict, 'replayEnvBrowser'), browserLine(report)],
    [fmt(dict, 'replayEnvExtension'), text(env['extensionVersion'], 40)],
    [fmt(dict, 'replayEnvLanguage'), [text(env['language'], 40), Array.isArray(env['languages']) ? env['languages'].map((l) => text(l, 40)).join(', ') : ''].filter(Boolean).join(' · ')],
    [fmt(dict, 'replayEnvZone'), [text(env['timeZone'], 100), num(env['utcOffsetMinutes']) !== null ? `UTC${signedMinutes(num(env['utcOffsetMinutes'])!)}` : ''].filter(Boolean).join(' · ')],
    [fmt(dict, 'replayEnvScreen'), num(screen['width']) !== null ? `${text(screen['width'])} × ${text(screen['height'])}` : ''],
    [fmt(dict, 'replayEnvWindow'), num(win['innerWidth']) !== null ? `${text(win['innerWidth'])} × ${text(win['innerHeight'])}` : ''],
    [fmt(dict, 'replayEnvPixelRatio'), text(env['devicePixelRatio'])],
    [fmt(dict, 'replayEnvOnline'), yesNo(env['online'])],
    [
      fmt(dict, 'replayEnvConnection'),
      [text(conn['effectiveType'], 20), num(conn['rtt']) !== null ? `RTT ${text(conn['rtt'])} ms` : '', num(conn['downlink']) !== null ? `${text(conn['downlink'])} Mb/s` : '']
        .filter(Boolean)
        .join(' · '),
    ],
    [fmt(dict, 'replayEnvMemory'), num(env['deviceMemory']) !== null ? fmt(dict, 'replayEnvMemoryValue', text(env['deviceMemory'])) : ''],
    [fmt(dict, 'replayEnvCores'), text(env['hardwareConcurrency'])],
    [fmt(dict, 'replayEnvMic'), text(env['microphonePermission'], 20)],
    [fmt(dict, 'replayEnvDevices'), devices.map((d) => `${text(d['kind'], 20)}${d['label'] ? ` « ${text(d['label'], 200)} »` : ''}`).join(' ; ')],
    [fmt(dict, 'replayEnvUserAgent'), text(env['userAgent'], 1000)],
    [fmt(dict, 'replayEnvFailedProbes'), Array.isArray(env['failedProbes']) ? env['failedProbes'].map((p) => text(p, 100)).join(', ') : ''],
  ];
  return rows.filter(([, v]) => v !== '');
}

function signedMinutes(m: number): string {
  const sign = m < 0 ? '-' : '+';
  const a = Math.abs(m);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------- frames

export function frameRows(report: unknown, dict: Dict, lang: ReplayLang): string[][] {
  const frames = isObj(report) && Array.isArray(report['frames']) ? report['frames'].filter(isObj) : [];
  return frames.map((f) => {
    const st = isObj(f['stats']) ? f['stats'] : {};
    return [
      text(f['frameId'], 20),
      surfaceLabel(dict, f['surface']),
      text(f['url'], 4000),
      f['live'] === true ? fmt(dict, 'replayFrameLive') : fmt(dict, 'replayFrameEnded', parisClock(f['endedAt'], lang)),
      fmt(dict, 'replayFrameStats', text(st['kept'] ?? 0), text(st['okRequests'] ?? 0), text((num(st['evicted']) ?? 0) + (num(st['rateLimited']) ?? 0) + (num(st['droppedInPage']) ?? 0)), text(st['invalid'] ?? 0)),
    ];
  });
}

// -------------------------------------------------------------------------------------- timeline

export interface TimelineRow {
  /** Position in the sorted timeline (the fault marker has none: -1). */
  index: number;
  k: EventKind | 'fault' | 'other';
  t: number | null;
  /** `-00:12.345` from the fault. */
  rel: string;
  /** Paris clock. */
  clock: string;
  severity: Severity;
  /** The event kind's label. */
  kindLabel: string;
  /** One line. */
  title: string;
  /** Stack, arguments, full reason: shown on demand; null when the title says it all. */
  detail: string | null;
  /** Frame / surface tag when the report has more than one frame. */
  frame: string;
  /** Lower-cased text the search box matches. */
  search: string;
}

const kindLabel = (dict: Dict, k: string) => (has(dict, `replayKind_${k}`) ? fmt(dict, `replayKind_${k}`) : k);

function rejectionReason(r: unknown): { title: string; detail: string | null } {
  if (isObj(r)) {
    const name = text(r['name'], 100);
    const message = text(r['message'], 2000);
    const stack = typeof r['stack'] === 'string' ? r['stack'] : null;
    const title = [name, message].filter(Boolean).join(': ') || oneLine(text(r));
    return { title, detail: stack ?? pretty(r) };
  }
  const s = text(r, 5000);
  return { title: s, detail: s.length > 300 || s.includes('\n') ? s : null };
}

function consoleArgs(a: unknown): { title: string; detail: string | null } {
  const args = Array.isArray(a) ? a : [a];
  const title = args.map((x) => (typeof x === 'string' ? x : text(x, 2000))).join(' ');
  const complex = args.some((x) => typeof x === 'object' && x !== null);
  const detail = complex ? args.map((x) => pretty(x)).join('\n\n') : title.length > 300 || title.includes('\n') ? title : null;
  return { title, detail };
}

function netTitle(e: LooseEvent, dict: Dict): string {
  const status = num(e['status']);
  const ms = num(e['ms']);
  const outcome = e['failed'] === true || !status ? fmt(dict, 'replayNetFailed') : `HTTP ${status}`;
  return `${text(e['method'], 20)} ${text(e['url'], 2000)} → ${outcome}${ms !== null ? ` (${Math.round(ms)} ms)` : ''}`;
}

function wsTitle(e: LooseEvent, dict: Dict, lang: ReplayLang): string {
  const url = text(e['url'], 2000);
  if (e['e'] === 'open') return fmt(dict, 'replayWsOpen', url);
  if (e['e'] === 'error') return fmt(dict, 'replayWsError', url);
  const parts = [`code ${text(e['code'] ?? '?')}`];
  if (e['reason']) parts.push(`« ${text(e['reason'], 300)} »`);
  parts.push(e['clean'] === true ? fmt(dict, 'replayWsClean') : fmt(dict, 'replayWsUnclean'));
  if (num(e['rx']) !== null || num(e['tx']) !== null) parts.push(fmt(dict, 'replayWsFrames', text(e['rx'] ?? 0), text(e['tx'] ?? 0)));
  if (num(e['ms']) !== null) parts.push(fmt(dict, 'replayWsLasted', decimal((num(e['ms']) ?? 0) / 1000, lang)));
  return `${fmt(dict, 'replayWsClose', url)} (${parts.join(', ')})`;
}

/** One decimal, with the language's separator. */
const decimal = (v: number, lang: ReplayLang) => (lang === 'fr' ? v.toFixed(1).replace('.', ',') : v.toFixed(1));

/** getStats RTT and jitter come in seconds. */
const secToMs = (v: unknown) => (num(v) === null ? null : Math.round((num(v) ?? 0) * 10_000) / 10);

export function rtcStatsText(s: unknown, dict: Dict): string {
  const o = isObj(s) ? s : {};
  const pair = isObj(o['pair']) ? o['pair'] : {};
  const inb = isObj(o['in']) ? o['in'] : {};
  const out = isObj(o['out']) ? o['out'] : {};
  const parts: string[] = [];
  const rtt = secToMs(pair['rtt']);
  if (rtt !== null) parts.push(`RTT ${rtt} ms`);
  const jitter = secToMs(inb['jitter']);
  if (jitter !== null) parts.push(fmt(dict, 'replayRtcJitter', jitter));
  if (num(inb['lost']) !== null) parts.push(fmt(dict, 'replayRtcLost', text(inb['lost']), text(inb['received'] ?? 0)));
  if (num(out['packets']) !== null) parts.push(fmt(dict, 'replayRtcSent', text(out['packets']), text(out['bytes'] ?? 0)));
  const local = isObj(pair['local']) ? pair['local'] : null;
  if (local) parts.push(`${text(local['type'], 20)}/${text(local['protocol'], 10)}${local['relay'] ? ` relay ${text(local['relay'], 10)}` : ''}`);
  return parts.join(', ');
}

export function eventText(e: LooseEvent, dict: Dict, lang: ReplayLang = 'fr'): { title: string; detail: string | null } {
  switch (e.k) {
    case 'console': {
      const { title, detail } = consoleArgs(e['a']);
      return { title: `console.${text(e['l'], 10)} ${oneLine(title, 600)}`, detail };
    }
    case 'error': {
      const where = e['src'] ? ` (${text(e['src'], 2000)}:${text(e['line'])}:${text(e['col'])})` : '';
      const st = text(e['st'], 10_000);
      return { title: `${oneLine(text(e['m'], 5000), 600)}${where}`, detail: st || null };
    }
    case 'rejection': {
      const r = rejectionReason(e['r']);
      return { title: `${fmt(dict, 'replayRejection')} ${oneLine(r.title, 600)}`, detail: r.detail };
    }
    case 'resource':
      return { title: fmt(dict, 'replayResource', text(e['tag'], 20), text(e['url'], 2000)), detail: null };
    case 'csp':
      return {
        title: fmt(dict, 'replayCsp', text(e['dir'], 100), text(e['url'], 2000)) + (e['src'] ? ` (${text(e['src'], 2000)}:${text(e['line'])})` : ''),
        detail: null,
      };
    case 'net':
      return { title: netTitle(e, dict), detail: null };
    case 'ws':
      return { title: wsTitle(e, dict, lang), detail: null };
    case 'rtc':
      return { title: fmt(dict, 'replayRtc', text(e['id']), text(e['e'], 20), text(e['s'], 30)), detail: null };
    case 'rtcstats':
      return { title: `#${text(e['id'])} ${rtcStatsText(e['s'], dict)}`, detail: null };
    case 'click': {
      const name = text(e['name'], 100);
      const role = e['role'] ? ` [${text(e['role'], 50)}]` : '';
      return { title: `${fmt(dict, 'replayClick', text(e['tag'], 30) + role, name ? `« ${name} »` : '')} — ${text(e['sel'], 200)}`, detail: null };
    }
    case 'submit':
      return { title: fmt(dict, 'replaySubmit', text(e['sel'], 200), text(e['action'], 600)), detail: null };
    case 'nav':
      return { title: fmt(dict, 'replayNav', text(e['how'], 30), text(e['url'], 2000)), detail: null };
    case 'page':
      return {
        title: fmt(dict, e['e'] === 'end' ? 'replayPageEnd' : 'replayPageStart', text(e['how'], 30), text(e['url'], 2000)),
        detail: null,
      };
    default: {
      const rest = { ...e };
      return { title: oneLine(text(rest, 600)), detail: pretty(rest) };
    }
  }
}

/**
 * The merged timeline, sorted by time (stable), each event as a row, with a marker row at the
 * fault's time. Times are relative to the fault (its `at.ms`, on the workstation's clock like the events').
 */
export function timelineRows(report: unknown, dict: Dict, lang: ReplayLang): TimelineRow[] {
  const events = timelineOf(report)
    .map((e, i) => ({ e, i, t: num(e.t) }))
    .sort((a, b) => (a.t ?? Infinity) - (b.t ?? Infinity) || a.i - b.i);
  const fault = faultMs(report);
  const frames = new Set(events.map(({ e }) => text(e['frameId'])));
  const multiFrame = frames.size > 1;
  const rows: TimelineRow[] = [];
  const rel = (t: number | null) => (t === null || fault === null ? '—' : relTime(t - fault, lang));
  let faultDone = fault === null;
  const faultRow = (): TimelineRow => {
    const title = fmt(dict, 'replayFaultMarker');
    const label = isObj(report) && isObj(report['fault']) ? text(report['fault']['label'], 200) : '';
    const full = label ? `${title} — ${label}` : title;
    return { index: -1, k: 'fault', t: fault, rel: rel(fault), clock: parisClock(fault, lang), severity: 'bad', kindLabel: fmt(dict, 'replayKind_fault'), title: full, detail: null, frame: '', search: full.toLowerCase() };
  };
  events.forEach(({ e, t }, index) => {
    if (!faultDone && t !== null && t > fault!) {
      rows.push(faultRow());
      faultDone = true;
    }
    const k = isKind(e.k) ? e.k : 'other';
    const { title, detail } = eventText(e, dict, lang);
    const frame = multiFrame ? `${surfaceLabel(dict, e['surface'])} #${text(e['frameId'])}` : '';
    const kl = kindLabel(dict, k);
    rows.push({
      index,
      k,
      t,
      rel: rel(t),
      clock: parisClock(t, lang),
      severity: severity(e),
      kindLabel: kl,
      title,
      detail,
      frame,
      search: `${kl} ${title} ${detail ?? ''} ${frame}`.toLowerCase(),
    });
  });
  if (!faultDone) rows.push(faultRow());
  return rows;
}

// ------------------------------------------------------------------------------ WebRTC statistics

export interface RtcStatsRow {
  rel: string;
  pc: string;
  rtt: string;
  jitter: string;
  lost: string;
  received: string;
  sent: string;
  candidate: string;
}

export function rtcStatsRows(report: unknown, lang: ReplayLang): RtcStatsRow[] {
  const fault = faultMs(report);
  return timelineOf(report)
    .filter((e) => e.k === 'rtcstats')
    .map((e) => {
      const s = isObj(e['s']) ? e['s'] : {};
      const pair = isObj(s['pair']) ? s['pair'] : {};
      const inb = isObj(s['in']) ? s['in'] : {};
      const out = isObj(s['out']) ? s['out'] : {};
      const local = isObj(pair['local']) ? pair['local'] : {};
      const remote = isObj(pair['remote']) ? pair['remote'] : {};
      const t = num(e.t);
      const ms = (v: unknown) => (secToMs(v) === null ? '' : `${secToMs(v)} ms`);
      return {
        rel: t === null || fault === null ? '—' : relTime(t - fault, lang),
        pc: `#${text(e['id'])}`,
        rtt: ms(pair['rtt']),
        jitter: ms(inb['jitter']),
        lost: text(inb['lost']),
        received: text(inb['received']),
        sent: num(out['packets']) !== null ? `${text(out['packets'])} / ${text(out['bytes'])}` : '',
        candidate: [local['type'], local['protocol'], remote['type']].filter((x) => x !== undefined && x !== null && x !== '').map((x) => text(x, 20)).join(' → '),
      };
    });
}

// ----------------------------------------------------------------------------------- screenshots

const DATA_IMAGE = /^data:image\/(?:png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

/** The URL itself when it is a base64 PNG, JPEG or WebP data URL; null for anything else (no SVG, no links). */
export function safeImageDataUrl(url: unknown): string | null {
  return typeof url === 'string' && url.length < 30_000_000 && DATA_IMAGE.test(url) ? url : null;
}

export function shapesSummary(shapes: unknown, redactions: unknown, dict: Dict): string {
  const list = Array.isArray(shapes) ? shapes.filter(isObj) : [];
  const count = (k: string) => list.filter((s) => s['kind'] === k).length;
  const parts: string[] = [];
  const hl = count('highlight');
  const ar = count('arrow');
  const rd = Math.max(count('redact'), num(redactions) ?? 0);
  if (hl) parts.push(fmt(dict, 'replayShotHighlights', hl));
  if (ar) parts.push(fmt(dict, 'replayShotArrows', ar));
  if (rd) parts.push(fmt(dict, 'replayShotRedactions', rd));
  return parts.length ? parts.join(', ') : fmt(dict, 'replayShotNoAnnotations');
}
