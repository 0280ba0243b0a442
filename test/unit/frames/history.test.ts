import { describe, expect, it } from 'vitest';
import type { CapturedEvent } from '../../../lib/capture/events';
import { addToHistory, FrameArchiveSchema, type FrameArchive } from '../../../lib/frames/history';

const stats = { kept: 0, bytes: 0, evicted: 0, rateLimited: 0, invalid: 0, droppedInPage: 0, okRequests: 0 };
const ev = (t: number, text = 'x'): CapturedEvent => ({ k: 'console', l: 'error', t, a: [text] });
const handOver = (life: string, events: CapturedEvent[], ended = false): FrameArchive => ({
  life,
  startedAt: events[0]?.t ?? 0,
  url: 'https://voice-management.axialys.com/operateurs/index.htm',
  topOrigin: 'https://voice-management.axialys.com',
  surface: 'bar',
  ended,
  events,
  stats,
});

describe('tab history', () => {
  it('appends hand-overs to their document and marks its end', () => {
    let h = addToHistory([], 0, handOver('life-aaaa-1', [ev(1), ev(2)]), 10);
    h = addToHistory(h, 0, handOver('life-aaaa-1', [ev(3)], true), 11);
    h = addToHistory(h, 0, handOver('life-bbbb-2', [ev(12)]), 13);
    expect(h.map((l) => [l.life, l.events.map((e) => e.t), l.endedAt])).toEqual([
      ['life-aaaa-1', [1, 2, 3], 11],
      ['life-bbbb-2', [12], null],
    ]);
  });

  it('drops events beyond the age and the byte budget, oldest first, and empty documents', () => {
    const limits = { maxBytes: 200, maxAgeMs: 1000, maxLives: 20 };
    let h = addToHistory([], 0, handOver('life-old-0001', [ev(0)], true), 10, limits);
    h = addToHistory(h, 0, handOver('life-new-0001', [ev(1500), ev(1600, 'y'.repeat(100)), ev(1700, 'z'.repeat(100))]), 1700, limits);
    expect(h.map((l) => l.life)).toEqual(['life-new-0001']);
    expect(h[0]!.events.map((e) => e.t)).toEqual([1700]);
  });

  it('remembers a bounded number of documents', () => {
    let h = addToHistory([], 0, handOver('life-0000-0', [ev(0)]), 0);
    for (let i = 1; i < 30; i++) h = addToHistory(h, 0, handOver(`life-0000-${i}`, [ev(i)]), i);
    expect(h).toHaveLength(20);
    expect(h[0]!.life).toBe('life-0000-10');
  });

  it('refuses malformed hand-overs (forged ids, page-forged kinds)', () => {
    expect(FrameArchiveSchema.safeParse(handOver('life-aaaa-1', [ev(1)])).success).toBe(true);
    expect(FrameArchiveSchema.safeParse(handOver('../../x', [ev(1)])).success).toBe(false);
    expect(FrameArchiveSchema.safeParse({ ...handOver('life-aaaa-1', []), events: [{ k: 'bogus', t: 1 }] }).success).toBe(false);
  });
});
