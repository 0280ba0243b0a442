import { describe, expect, it } from 'vitest';
import { FrameCapture } from '../../../lib/capture/frame-capture';
import { REDACTED, scrubDeep } from '../../../lib/capture/scrub';
import { mergeSnapshots, type FrameSnapshot } from '../../../lib/capture/snapshot';

const meta = { invalid: 0, dropped: 0, ok: 0 };

describe('FrameCapture', () => {
  it('scrubs every string of every event before keeping it', () => {
    const c = new FrameCapture();
    c.add(
      [
        { k: 'net', t: 1, method: 'GET', url: 'https://voice-management.axialys.com/api?token_session=abc123', status: 500, ms: 3, failed: false },
        { k: 'console', l: 'error', t: 2, a: ['Authorization: Bearer abc123def', { nested: ['https://x.test/?password=hunter22'] }] },
      ],
      meta,
    );
    const json = JSON.stringify(c.events(10));
    expect(json).not.toContain('abc123');
    expect(json).not.toContain('hunter22');
    expect(json.split(REDACTED).length - 1).toBe(3);
  });

  it('gives console.info/log their own, smaller budget', () => {
    const c = new FrameCapture({ maxBytes: 1_000_000, maxPerKind: 100, maxRatePerKind: 1000, maxAgeMs: 600_000 });
    for (let i = 0; i < 200; i++) c.add([{ k: 'console', l: 'log', t: 1000 + i, a: [`log ${i}`] }], meta);
    for (let i = 0; i < 5; i++) c.add([{ k: 'console', l: 'error', t: 2000 + i, a: [`err ${i}`] }], meta);
    const events = c.events(3000);
    expect(events.filter((e) => e.k === 'console' && e.l === 'log')).toHaveLength(20);
    expect(events.filter((e) => e.k === 'console' && e.l === 'error')).toHaveLength(5);
  });

  it('adds up the counters it is given', () => {
    const c = new FrameCapture();
    c.add([], { invalid: 2, dropped: 3, ok: 4 });
    c.add([], { invalid: 1, dropped: 0, ok: 1 });
    expect(c.stats()).toMatchObject({ invalid: 3, droppedInPage: 3, okRequests: 5, kept: 0 });
  });
});

describe('scrubDeep', () => {
  it('keeps non-string values and structure', () => {
    expect(scrubDeep({ a: 1, b: [true, null], url: 'https://u:p@x.test/' })).toEqual({ a: 1, b: [true, null], url: 'https://x.test/' });
  });
});

describe('mergeSnapshots', () => {
  const snap = (surface: 'bar' | 'other', ts: number[]): FrameSnapshot => ({
    url: 'u',
    topOrigin: null,
    surface,
    fields: { surface: 'other' },
    events: ts.map((t) => ({ k: 'rejection', t, r: null })),
    stats: { kept: ts.length, bytes: 0, evicted: 0, rateLimited: 0, invalid: 0, droppedInPage: 0, okRequests: 0 },
  });
  it('merges frames into one sorted timeline tagged with frame and surface', () => {
    const m = mergeSnapshots([{ frameId: 0, snap: snap('other', [5, 1]) }, { frameId: 3, snap: snap('bar', [2, 9]) }, { frameId: 4, snap: null }], 10);
    expect(m.timeline.map((e) => [e.t, e.frameId, e.surface])).toEqual([[1, 0, 'other'], [2, 3, 'bar'], [5, 0, 'other'], [9, 3, 'bar']]);
    expect(m.unreachable).toEqual([4]);
    expect(m.frames.map((f) => f.frameId)).toEqual([0, 3]);
  });
});
