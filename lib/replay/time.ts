import { fmt, type Dict } from './i18n';

/**
 * Times as support reads them, with Intl only (no luxon: this module is part of report.html).
 * Same text as lib/report/time.ts formatInZone: `27/11/2026 15:45:02,123 (heure de Paris, UTC+01:00)`.
 */

export const PARIS = 'Europe/Paris';

export interface ClockParts {
  /** dd/MM/yyyy */
  date: string;
  /** HH:mm:ss,SSS (fr) or HH:mm:ss.SSS (en) */
  time: string;
  /** UTC+01:00 */
  offset: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** A zone Intl knows, else UTC (a report could carry anything in userZone). */
export function safeZone(zone: unknown): string {
  if (typeof zone !== 'string' || !zone) return 'UTC';
  try {
    formatter(zone);
    return zone;
  } catch {
    return 'UTC';
  }
}

/** The parts of an epoch-ms instant in a zone; null for a value that is not a finite time. */
export function clockParts(ms: unknown, zone: string, lang: 'fr' | 'en'): ClockParts | null {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const parts: Record<string, string> = {};
  for (const p of formatter(safeZone(zone)).formatToParts(ms)) parts[p.type] = p.value;
  const milli = String(((Math.floor(ms) % 1000) + 1000) % 1000).padStart(3, '0');
  const gmt = parts['timeZoneName'] ?? 'GMT';
  const offset = gmt === 'GMT' || gmt === 'UTC' ? 'UTC+00:00' : gmt.replace(/^(GMT|UTC)/, 'UTC');
  return {
    date: `${parts['day']}/${parts['month']}/${parts['year']}`,
    time: `${parts['hour']}:${parts['minute']}:${parts['second']}${lang === 'fr' ? ',' : '.'}${milli}`,
    offset,
  };
}

/** `27/11/2026 15:45:02,123 (heure de Paris, UTC+01:00)`; `…(UTC)` for UTC; the zone's name otherwise. */
export function formatInZone(ms: unknown, zone: string, lang: 'fr' | 'en', dict: Dict): string {
  const z = safeZone(zone);
  const c = clockParts(ms, z, lang);
  if (!c) return '—';
  if (z === 'UTC' || z === 'Etc/UTC') return `${c.date} ${c.time} (UTC)`;
  const name = z === PARIS ? fmt(dict, 'replayParisTime') : z;
  return `${c.date} ${c.time} (${name}, ${c.offset})`;
}

/** Paris clock only, for timeline rows: `15:45:02,123`. */
export function parisClock(ms: unknown, lang: 'fr' | 'en'): string {
  return clockParts(ms, PARIS, lang)?.time ?? '—';
}

/** Time from the fault: `-00:12.345`, `+01:02:03.004`, `±00:00.000`. */
export function relTime(ms: number, lang: 'fr' | 'en'): string {
  if (!Number.isFinite(ms)) return '—';
  const sign = ms < 0 ? '-' : ms > 0 ? '+' : '±';
  let rest = Math.round(Math.abs(ms));
  const milli = rest % 1000;
  rest = Math.floor(rest / 1000);
  const s = rest % 60;
  rest = Math.floor(rest / 60);
  const m = rest % 60;
  const h = Math.floor(rest / 60);
  const sep = lang === 'fr' ? ',' : '.';
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${sep}${String(milli).padStart(3, '0')}`;
  return `${sign}${h > 0 ? `${h}:` : ''}${mmss}`;
}

/** A signed duration in seconds with one decimal: `+3,2 s`. */
export function signedSeconds(ms: number, lang: 'fr' | 'en'): string {
  const v = (ms / 1000).toFixed(1);
  const text = lang === 'fr' ? v.replace('.', ',') : v;
  return `${ms >= 0 ? '+' : ''}${text} s`;
}
