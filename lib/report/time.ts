import { DateTime } from 'luxon';
import { z } from 'zod';

/** Support reads times in Paris (seed §3.2). */
export const PARIS = 'Europe/Paris';

/** A moment as the report stores it: exact UTC, the user's zone, and, when the clock is off, the corrected time. */
export const MomentSchema = z.object({
  /** Epoch ms on the workstation's clock. */
  ms: z.number().finite(),
  /** ISO 8601 UTC with milliseconds. */
  utc: z.string().max(40),
  /** ISO 8601 in Paris, with its offset. */
  paris: z.string().max(40),
  /** The workstation's IANA zone. */
  userZone: z.string().max(100),
  /** Epoch ms on the server's clock when the workstation's is off by more than 2 s (else null). */
  correctedMs: z.number().finite().nullable(),
});
export type Moment = z.infer<typeof MomentSchema>;

const SKEW_SHOWN_MS = 2000;

export function moment(ms: number, userZone: string, offsetMs: number | null = null): Moment {
  const at = DateTime.fromMillis(ms, { zone: 'utc' });
  return {
    ms,
    utc: at.toISO() ?? '',
    paris: at.setZone(PARIS).toISO() ?? '',
    userZone,
    correctedMs: offsetMs !== null && Math.abs(offsetMs) > SKEW_SHOWN_MS ? Math.round(ms + offsetMs) : null,
  };
}

/** "UTC+01:00" for a zone at a moment. */
function offsetLabel(dt: DateTime): string {
  return `UTC${dt.toFormat('ZZ')}`;
}

export type Lang = 'fr' | 'en';

/**
 * One moment written out for people, to the millisecond, with its zone spelled out:
 * fr `27/11/2026 15:45:02,123 (heure de Paris, UTC+01:00)`, en `27/11/2026 15:45:02.123 (Paris time, UTC+01:00)`.
 */
export function formatInZone(ms: number, zone: string, lang: Lang): string {
  const dt = DateTime.fromMillis(ms, { zone });
  const sep = lang === 'fr' ? ',' : '.';
  const clock = `${dt.toFormat('dd/MM/yyyy HH:mm:ss')}${sep}${dt.toFormat('SSS')}`;
  const name = zone === PARIS ? (lang === 'fr' ? 'heure de Paris' : 'Paris time') : zone;
  return `${clock} (${name}, ${offsetLabel(dt)})`;
}

/** The lines a report shows for a moment: Paris always; the user's zone when it differs; the corrected time when the clock is off. */
export function describeMoment(m: Moment, lang: Lang): { paris: string; user: string | null; corrected: string | null } {
  return {
    paris: formatInZone(m.ms, PARIS, lang),
    user: m.userZone === PARIS ? null : formatInZone(m.ms, m.userZone, lang),
    corrected: m.correctedMs === null ? null : formatInZone(m.correctedMs, PARIS, lang),
  };
}

/**
 * Reads what a user types for "the fault happened at", relative to `now` in `zone`:
 * - "5", "5 min", "il y a 5 minutes", "5 minutes ago", "2 h", "30 s" → that long before now;
 * - "15:42", "15h42", "15:42:10", "15:42:10,250" → that time today (yesterday if it would be in the future);
 * - "27/11/2026 15:42[:10]" → that date and time.
 * Returns null when the text is not understood or lies in the future.
 */
export function parseFaultTime(text: string, now: number, zone: string): number | null {
  const s = text.trim().toLowerCase().replace(/^il y a\s+/, '').replace(/\s+ago$/, '').replace(/\s+/g, ' ');
  if (!s) return null;
  const rel = /^(\d{1,4})(?:\s*(s|sec|secondes?|seconds?|m|mn|min|minutes?|h|heures?|hours?))?$/.exec(s);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2] ?? 'min';
    const ms = unit.startsWith('s') ? n * 1000 : unit.startsWith('h') ? n * 3_600_000 : n * 60_000;
    return now - ms;
  }
  const base = DateTime.fromMillis(now, { zone });
  const full = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?$/.exec(s);
  const clock = /^(\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?$/.exec(s);
  let dt: DateTime | null = null;
  if (full) {
    const [, d, mo, y, h, mi, sec, frac] = full;
    dt = DateTime.fromObject(
      { year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: sec ? +sec : 0, millisecond: frac ? +frac.padEnd(3, '0') : 0 },
      { zone },
    );
  } else if (clock) {
    const [, h, mi, sec, frac] = clock;
    // fromObject validates the ranges (set() would roll 25:00 over to the next day).
    dt = DateTime.fromObject(
      { year: base.year, month: base.month, day: base.day, hour: +h!, minute: +mi!, second: sec ? +sec : 0, millisecond: frac ? +frac.padEnd(3, '0') : 0 },
      { zone },
    );
    if (dt.isValid && dt.toMillis() > now) dt = dt.minus({ days: 1 });
  }
  if (!dt || !dt.isValid) return null;
  const ms = dt.toMillis();
  return ms <= now ? ms : null;
}
