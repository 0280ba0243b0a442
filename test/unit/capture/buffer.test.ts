import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../../lib/capture/buffer';

const limits = { maxBytes: 1000, maxPerKind: 5, maxRatePerKind: 3, maxAgeMs: 60_000 };

describe('EventBuffer', () => {
  it('keeps at most maxPerKind of a kind, dropping the oldest', () => {
    const b = new EventBuffer<string>({ ...limits, maxRatePerKind: 100 });
    for (let i = 0; i < 8; i++) b.push('console', 1000 + i, `e${i}`);
    b.push('net', 1010, 'n0');
    expect(b.snapshot(1020).map((e) => e.value)).toEqual(['e3', 'e4', 'e5', 'e6', 'e7', 'n0']);
    expect(b.stats().evicted).toBe(3);
  });

  it('refuses over the per-kind rate and counts it', () => {
    const b = new EventBuffer<string>(limits);
    const accepted = Array.from({ length: 10 }, (_, i) => b.push('console', 5000 + i, `x${i}`));
    expect(accepted.filter(Boolean)).toHaveLength(3);
    expect(b.push('error', 5005, 'other kind')).toBe(true);
    expect(b.push('console', 6001, 'next second')).toBe(true);
    expect(b.stats().rateLimited).toBe(7);
  });

  it('stays within the byte budget', () => {
    const b = new EventBuffer<string>({ ...limits, maxPerKind: 1000, maxRatePerKind: 1000 });
    for (let i = 0; i < 100; i++) b.push('console', 1000 + i, 'y'.repeat(98));
    expect(b.stats().bytes).toBeLessThanOrEqual(1000);
    expect(b.snapshot(1200).at(-1)?.t).toBe(1099);
  });

  it('refuses an event larger than the whole budget', () => {
    const b = new EventBuffer<string>(limits);
    expect(b.push('console', 1, 'z'.repeat(2000))).toBe(false);
    expect(b.stats().kept).toBe(0);
  });

  it('forgets events older than maxAgeMs', () => {
    const b = new EventBuffer<string>(limits);
    b.push('a', 0, 'old');
    b.push('b', 30_000, 'mid');
    expect(b.snapshot(70_000).map((e) => e.value)).toEqual(['mid']);
  });

  it('holds a 100k flood within bounds', () => {
    const b = new EventBuffer<string>({ maxBytes: 1_000_000, maxPerKind: 500, maxRatePerKind: 50, maxAgeMs: 600_000 });
    for (let i = 0; i < 100_000; i++) b.push('console', 1_000_000 + Math.floor(i / 10), `flood message ${i}`);
    const s = b.stats();
    expect(s.kept).toBeLessThanOrEqual(500);
    expect(s.bytes).toBeLessThanOrEqual(1_000_000);
    expect(s.kept + s.evicted + s.rateLimited).toBe(100_000);
  });
});
