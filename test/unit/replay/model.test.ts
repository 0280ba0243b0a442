import { describe, expect, it } from 'vitest';
import { formatInZone as luxonFormat } from '../../../lib/report/time';
import { fmt, pickLang } from '../../../lib/replay/i18n';
import { replayDict } from '../../../lib/replay/messages';
import {
  descriptionRows,
  envRows,
  issueCounts,
  isWsDrop,
  momentLines,
  precheckLines,
  rtcStatsRows,
  safeImageDataUrl,
  skewLine,
  timelineRows,
} from '../../../lib/replay/model';
import { formatInZone, relTime } from '../../../lib/replay/time';
import { barFaultReport } from '../../fixtures/reports/hostile';

const fr = replayDict('fr');
const en = replayDict('en');

describe('replay time', () => {
  it('writes Paris time like the popup does (luxon), to the millisecond, both languages, winter and summer', () => {
    for (const ms of [Date.UTC(2026, 10, 27, 14, 45, 2, 123), Date.UTC(2026, 6, 14, 8, 5, 9, 7), Date.UTC(2026, 2, 29, 1, 0, 0, 999)]) {
      expect(formatInZone(ms, 'Europe/Paris', 'fr', fr)).toBe(luxonFormat(ms, 'Europe/Paris', 'fr'));
      expect(formatInZone(ms, 'Europe/Paris', 'en', en)).toBe(luxonFormat(ms, 'Europe/Paris', 'en'));
    }
    expect(formatInZone(Date.UTC(2026, 10, 27, 14, 45, 2, 123), 'UTC', 'fr', fr)).toBe('27/11/2026 14:45:02,123 (UTC)');
    expect(formatInZone(Date.UTC(2026, 10, 27, 14, 45, 2, 123), 'America/Montreal', 'en', en)).toBe('27/11/2026 09:45:02.123 (America/Montreal, UTC-05:00)');
  });

  it('reads an unknown zone as UTC and a non-time as a dash', () => {
    expect(formatInZone(0, '<img src=x onerror=alert(1)>', 'fr', fr)).toBe('01/01/1970 00:00:00,000 (UTC)');
    expect(formatInZone('x', 'Europe/Paris', 'fr', fr)).toBe('—');
    expect(formatInZone(Number.NaN, 'Europe/Paris', 'fr', fr)).toBe('—');
  });

  it('counts time from the fault, signed, with hours only when needed', () => {
    expect(relTime(-12_345, 'en')).toBe('-00:12.345');
    expect(relTime(-12_345, 'fr')).toBe('-00:12,345');
    expect(relTime(0, 'en')).toBe('±00:00.000');
    expect(relTime(3_723_004, 'en')).toBe('+1:02:03.004');
    expect(relTime(59_999.6, 'en')).toBe('+01:00.000');
  });

  it('picks English for en-* readers, French for everyone else', () => {
    expect(pickLang('en-US')).toBe('en');
    expect(pickLang('EN')).toBe('en');
    expect(pickLang('fr-FR')).toBe('fr');
    expect(pickLang('de-DE')).toBe('fr');
    expect(pickLang('english')).toBe('fr');
    expect(pickLang(undefined)).toBe('fr');
  });

  it('substitutes positional parameters as text, once', () => {
    expect(fmt({ a: 'x $1 y $2 $$ $3' }, 'a', '$2', 'b')).toBe('x $2 y b $ ');
    expect(fmt({}, 'missing')).toBe('missing');
  });
});

describe('replay view model on a real capture', () => {
  const report = barFaultReport();

  it('counts console errors, uncaught errors, failed requests and WebSocket drops', () => {
    expect(issueCounts(report)).toEqual({ consoleErrors: 1, uncaught: 2, failedRequests: 1, failedResources: 3, wsDrops: 1, cspViolations: 1 });
  });

  it('tells a drop from a normal close', () => {
    expect(isWsDrop({ k: 'ws', e: 'close', code: 1000, clean: true })).toBe(false);
    expect(isWsDrop({ k: 'ws', e: 'close', code: 1001, clean: true })).toBe(false);
    expect(isWsDrop({ k: 'ws', e: 'close', code: 1006, clean: false })).toBe(true);
    expect(isWsDrop({ k: 'ws', e: 'close', code: 1000, clean: false })).toBe(true);
    expect(isWsDrop({ k: 'ws', e: 'open' })).toBe(false);
  });

  it('merges the timeline in time order with the fault marker at its place, times relative to it', () => {
    const rows = timelineRows(report, fr, 'fr');
    expect(rows).toHaveLength(report.timeline.length + 1);
    const times = rows.map((r) => r.t!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const faultAt = rows.findIndex((r) => r.k === 'fault');
    const error = rows.findIndex((r) => r.k === 'error');
    expect(faultAt).toBe(error + 1); // the fault is the error's time: after it, before anything later
    expect(rows[faultAt]!.rel).toBe('±00:00,000');
    expect(rows[error]!.rel).toBe('±00:00,000');
    expect(rows[0]!.rel).toMatch(/^-00:\d\d,\d{3}$/);
    expect(rows[error]!.title).toContain("Cannot read properties of undefined (reading 'id_appel')");
    expect(rows[error]!.detail).toContain('at rappelerDernierTransfert');
    const net = rows.find((r) => r.k === 'net')!;
    expect(net.title).toBe('POST /api/operateur/statut?fault=500 → HTTP 500 (' + report.timeline.find((e) => e.k === 'net')!.ms + ' ms)');
    expect(net.severity).toBe('bad');
    expect(rows.find((r) => r.k === 'ws' && r.severity === 'bad')!.title).toContain('code 1006');
  });

  it('shows the fault time in Paris and UTC and the corrected time when the clock was off', () => {
    const lines = momentLines(report.fault.at, en, 'en');
    expect(lines.paris).toMatch(/^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d\.\d{3} \(Paris time, UTC\+0[12]:00\)$/);
    expect(lines.utc).toMatch(/\(UTC\)$/);
    expect(lines.skewMs).toBe(3240);
    expect(lines.corrected).not.toBeNull();
    expect(skewLine(report, en, 'en')).toEqual({ status: 'warn', text: 'The workstation clock is off by +3.2 s (within ±0.5 s): the corrected times account for it.' });
  });

  it('writes the pre-checks from their message keys and parameters', () => {
    const lines = precheckLines(report, fr);
    expect(lines.map((l) => l.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(lines[1]!.text).toBe('Latence vers voice-management.axialys.com : 38 ms (prérequis Axialys : moins de 150 ms).');
    expect(lines[2]!.text).toContain('stun.axialys.net:3478');
  });

  it('lists description, environment and WebRTC statistics', () => {
    const d = descriptionRows(report, fr);
    expect(d.map(([k]) => k)).toEqual(['Que s’est-il passé ?', 'Contexte', 'Bouton ou élément concerné', 'Un clic n’a eu aucun effet', 'Qui est touché ?', 'Le problème se reproduit-il ?', 'Étapes pour le reproduire']);
    expect(d[1]![1]).toBe('Pendant un appel');
    const env = Object.fromEntries(envRows(report, en));
    expect(env['Browser and OS']).toBe('Chromium 156.0.8078.108 · Linux');
    expect(env['Memory']).toBe('16 GB');
    const rtc = rtcStatsRows(report, 'fr');
    expect(rtc.length).toBe(report.timeline.filter((e) => e.k === 'rtcstats').length);
    expect(rtc[0]).toMatchObject({ pc: '#1', rtt: '12 ms', candidate: 'host → udp → host', sent: '400 / 31878' });
  });

  it('lets only base64 PNG, JPEG and WebP data URLs through as image sources', () => {
    expect(safeImageDataUrl('data:image/png;base64,iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(safeImageDataUrl('data:image/jpeg;base64,/9j/4AAQ')).not.toBeNull();
    for (const bad of [
      'javascript:alert(1)',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:text/html;base64,PHNjcmlwdD4=',
      'data:image/png,<svg onload=alert(1)>',
      'data:image/png;base64,AAA" onerror="alert(1)',
      'https://example.test/x.png',
      ' data:image/png;base64,AAAA',
      'DATA:image/png;base64,AAAA',
      '',
      null,
      42,
    ]) {
      expect(safeImageDataUrl(bad), String(bad)).toBeNull();
    }
  });
});
