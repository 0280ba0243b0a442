import { describe, expect, it } from 'vitest';
import { describeMoment, formatInZone, moment, PARIS, parseFaultTime } from '../../../lib/report/time';

// 27/11/2026 15:45:02.123 in Paris (winter: UTC+01:00).
const T = Date.UTC(2026, 10, 27, 14, 45, 2, 123);

describe('formatInZone', () => {
  it('writes Paris time to the millisecond with the zone spelled out', () => {
    expect(formatInZone(T, PARIS, 'fr')).toBe('27/11/2026 15:45:02,123 (heure de Paris, UTC+01:00)');
    expect(formatInZone(T, PARIS, 'en')).toBe('27/11/2026 15:45:02.123 (Paris time, UTC+01:00)');
  });
  it('follows summer time', () => {
    expect(formatInZone(Date.UTC(2026, 6, 1, 10, 0, 0, 5), PARIS, 'fr')).toBe('01/07/2026 12:00:00,005 (heure de Paris, UTC+02:00)');
  });
  it('names other zones', () => {
    expect(formatInZone(T, 'America/Martinique', 'fr')).toBe('27/11/2026 10:45:02,123 (America/Martinique, UTC-04:00)');
  });
});

describe('moment', () => {
  it('stores UTC, Paris and the user zone; a corrected time only beyond 2 s of skew', () => {
    const m = moment(T, 'Indian/Reunion', 61_000);
    expect(m).toEqual({ ms: T, utc: '2026-11-27T14:45:02.123Z', paris: '2026-11-27T15:45:02.123+01:00', userZone: 'Indian/Reunion', correctedMs: T + 61_000 });
    expect(moment(T, PARIS, 1500).correctedMs).toBeNull();
    expect(moment(T, PARIS, null).correctedMs).toBeNull();
  });
  it('shows both zones when the user is not in Paris, and the corrected time when there is one', () => {
    expect(describeMoment(moment(T, PARIS), 'fr')).toEqual({ paris: '27/11/2026 15:45:02,123 (heure de Paris, UTC+01:00)', user: null, corrected: null });
    const d = describeMoment(moment(T, 'Indian/Reunion', -3000), 'fr');
    expect(d.user).toBe('27/11/2026 18:45:02,123 (Indian/Reunion, UTC+04:00)');
    expect(d.corrected).toBe('27/11/2026 15:44:59,123 (heure de Paris, UTC+01:00)');
  });
});

describe('parseFaultTime', () => {
  it.each([
    ['5', T - 5 * 60_000],
    ['5 min', T - 5 * 60_000],
    ['il y a 5 minutes', T - 5 * 60_000],
    ['10 minutes ago', T - 10 * 60_000],
    ['2 h', T - 2 * 3_600_000],
    ['30 s', T - 30_000],
    ['15:42', Date.UTC(2026, 10, 27, 14, 42)],
    ['15h42', Date.UTC(2026, 10, 27, 14, 42)],
    ['15:42:10,250', Date.UTC(2026, 10, 27, 14, 42, 10, 250)],
    ['23:50', Date.UTC(2026, 10, 26, 22, 50)],
    ['26/11/2026 09:05:07', Date.UTC(2026, 10, 26, 8, 5, 7)],
  ])('%s', (text, expected) => {
    expect(parseFaultTime(text, T, PARIS)).toBe(expected);
  });
  it.each(['', 'hier', '25:00', '31/02/2026 10:00', '28/11/2026 10:00', 'vers 15h'])('refuses %s', (text) => {
    expect(parseFaultTime(text, T, PARIS)).toBeNull();
  });
});
