import { describe, expect, it } from 'vitest';
import { estimateSkew, measureSkew, SKEW_FLAG_MS, SkewResultSchema, type SkewFetch } from '../../../lib/time/skew';

const at = (iso: string) => Date.parse(iso);

describe('estimateSkew', () => {
  it('uses the RTT midpoint and the middle of the Date second', () => {
    // Sent 10:00:00.000, answered 10:00:00.200 (rtt 200): midpoint 10:00:00.100.
    // Server said 10:00:03 → its clock read in [03.000, 04.000), best guess 03.500.
    const r = estimateSkew({ dateHeader: 'Wed, 15 Jan 2025 10:00:03 GMT', sentAt: at('2025-01-15T10:00:00.000Z'), receivedAt: at('2025-01-15T10:00:00.200Z') });
    expect(SkewResultSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({
      ok: true,
      offsetMs: 3400,
      rttMs: 200,
      uncertaintyMs: 600,
      minOffsetMs: 2800,
      maxOffsetMs: 4000,
      resolutionMs: 1000,
      serverDate: '2025-01-15T10:00:03Z',
      sentAt: '2025-01-15T10:00:00.000Z',
      flagged: true,
      certain: true,
      thresholdMs: SKEW_FLAG_MS,
    });
  });

  it('gives a negative offset when the local clock is ahead', () => {
    const r = estimateSkew({ dateHeader: 'Wed, 15 Jan 2025 09:59:55 GMT', sentAt: at('2025-01-15T10:00:00.000Z'), receivedAt: at('2025-01-15T10:00:00.040Z') });
    expect(r).toMatchObject({ ok: true, offsetMs: -4520, uncertaintyMs: 520, flagged: true, certain: true });
  });

  it('does not flag a synchronised clock, and flags only beyond 2 s', () => {
    const ok = estimateSkew({ dateHeader: 'Wed, 15 Jan 2025 10:00:00 GMT', sentAt: at('2025-01-15T10:00:00.300Z'), receivedAt: at('2025-01-15T10:00:00.340Z') });
    expect(ok).toMatchObject({ ok: true, offsetMs: 180, flagged: false, certain: false });
    // 2 s + a little: flagged, but the Date rounding could explain it, so not certain.
    const edge = estimateSkew({ dateHeader: 'Wed, 15 Jan 2025 10:00:02 GMT', sentAt: at('2025-01-15T10:00:00.300Z'), receivedAt: at('2025-01-15T10:00:00.300Z') });
    expect(edge).toMatchObject({ ok: true, offsetMs: 2200, minOffsetMs: 1700, maxOffsetMs: 2700, flagged: true, certain: false });
    const exactly = estimateSkew({ dateHeader: 'Wed, 15 Jan 2025 10:00:02 GMT', sentAt: at('2025-01-15T10:00:00.500Z'), receivedAt: at('2025-01-15T10:00:00.500Z') });
    expect(exactly).toMatchObject({ ok: true, offsetMs: 2000, flagged: false });
  });

  it('accepts the obsolete HTTP date formats (luxon fromHTTP)', () => {
    const sentAt = at('1994-11-06T08:49:37.000Z');
    for (const h of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994']) {
      expect(estimateSkew({ dateHeader: h, sentAt, receivedAt: sentAt })).toMatchObject({ ok: true, offsetMs: 500 });
    }
  });

  it('refuses a missing or invalid Date and impossible timings', () => {
    expect(estimateSkew({ dateHeader: null, sentAt: 0, receivedAt: 1 })).toEqual({ ok: false, reason: 'no-date-header' });
    expect(estimateSkew({ dateHeader: 'yesterday', sentAt: 0, receivedAt: 1 })).toMatchObject({ ok: false, reason: 'invalid-date' });
    expect(estimateSkew({ dateHeader: 'Wed, 15 Jan 2025 10:00:00 GMT', sentAt: 10, receivedAt: 5 })).toMatchObject({ ok: false, reason: 'invalid-timing' });
  });
});

describe('measureSkew', () => {
  it('times one HEAD request and reads its Date header', async () => {
    const times = [at('2025-01-15T10:00:00.000Z'), at('2025-01-15T10:00:00.100Z')];
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchImpl: SkewFetch = async (url, init) => {
      calls.push({ url, init });
      return { headers: new Headers({ Date: 'Wed, 15 Jan 2025 10:00:05 GMT' }) };
    };
    const r = await measureSkew('https://bandeau.axialys.com/', fetchImpl, () => times.shift() ?? NaN);
    expect(r).toMatchObject({ ok: true, offsetMs: 5450, rttMs: 100, flagged: true });
    expect(calls).toEqual([{ url: 'https://bandeau.axialys.com/', init: { method: 'HEAD', cache: 'no-store', credentials: 'omit' } }]);
  });

  it('never throws: network errors and unreadable headers become reasons', async () => {
    const failing: SkewFetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await measureSkew('https://x/', failing)).toEqual({ ok: false, reason: 'network-error', detail: 'Failed to fetch' });
    const opaque: SkewFetch = async () => ({ headers: new Headers() });
    expect(await measureSkew('https://x/', opaque)).toEqual({ ok: false, reason: 'no-date-header' });
  });
});
