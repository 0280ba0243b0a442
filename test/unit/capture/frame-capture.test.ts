import { describe, expect, it } from 'vitest';
import { FrameCapture } from '../../../lib/capture/frame-capture';
import { REDACTED, scrubDeep } from '../../../lib/capture/scrub';
import { mergeSnapshots, type FrameSnapshot } from '../../../lib/capture/snapshot';

const meta = { invalid: 0, dropped: 0, ok: 0 };

describe('FrameCapture', () => {
  it('scrubs every string of every event before keeping it', () => {
    const c = new FrameCapture(undefined, {});
    c.add(
      [
        { k: 'net', t: 1, method: 'GET', url: 'https://voice-management.axialys.com/api?token_session=abc123', status: 500, ms: 3, failed: false },
        { k: 'console', l: 'error', t: 2, a: ['Authorization: Bearer abc123def', { nested: ['https://x.test/?password=hunter22'] }] },
      ],
      meta,
      1000,
    );
    const json = JSON.stringify(c.events(10));
    expect(json).not.toContain('abc123');
    expect(json).not.toContain('hunter22');
    expect(json.split(REDACTED).length - 1).toBe(3);
  });

  it('drops console.info/log unless the setting asks for them', () => {
    const c = new FrameCapture(undefined, {});
    c.add([{ k: 'console', l: 'log', t: 1, a: ['hello'] }, { k: 'console', l: 'info', t: 2, a: ['i'] }, { k: 'console', l: 'warn', t: 3, a: ['w'] }], meta, 1000);
    expect(c.events(10).map((e) => e.k === 'console' && e.l)).toEqual(['warn']);
  });

  it('masks e-mails and phone numbers when the setting asks for it', () => {
    const line = 'rappel 06 12 34 56 78 a@b.fr';
    const plain = new FrameCapture(undefined, {});
    plain.add([{ k: 'console', l: 'error', t: 1, a: [line] }], meta, 1000);
    expect(plain.events(10).map((e) => e.k === 'console' && e.a[0])).toEqual([line]);
    const masked = new FrameCapture(undefined, { maskContactData: true });
    masked.add([{ k: 'console', l: 'error', t: 1, a: [line] }], meta, 1000);
    expect(masked.events(10).map((e) => e.k === 'console' && e.a[0])).toEqual([`rappel ${REDACTED} ${REDACTED}`]);
  });

  it('holds what arrives before the settings, then applies them to it too (bounded)', () => {
    const c = new FrameCapture();
    c.add([{ k: 'console', l: 'log', t: 1, a: ['a@b.fr'] }, { k: 'console', l: 'error', t: 2, a: ['0612345678'] }], meta, 1000);
    expect(c.configured).toBe(false);
    expect(c.events(10)).toEqual([]);
    c.configure({ verbose: true, maskContactData: true });
    expect(c.events(10).map((e) => e.k === 'console' && [e.l, e.a[0]])).toEqual([['log', REDACTED], ['error', REDACTED]]);

    const flooded = new FrameCapture();
    for (let i = 0; i < 5100; i++) flooded.add([{ k: 'rejection', t: 1, r: i }], meta, 1000);
    expect(flooded.stats().droppedInPage).toBe(100);
  });

  it('drains each kept event once, in time order, and records its own page events', () => {
    const c = new FrameCapture(undefined, {});
    c.note({ k: 'page', t: 1, e: 'start', how: 'reload', url: 'https://x.test/?token=secret12' });
    c.add([{ k: 'rejection', t: 3, r: 'a' }, { k: 'rejection', t: 2, r: 'b' }], meta, 1000);
    expect(c.drain(10).events.map((e) => e.t)).toEqual([1, 2, 3]);
    expect(c.drain(10).events).toEqual([]);
    c.add([{ k: 'rejection', t: 4, r: 'c' }], meta, 1000);
    const failed = c.drain(10);
    expect(failed.events).toEqual([{ k: 'rejection', t: 4, r: 'c' }]);
    failed.rewind();
    c.add([{ k: 'rejection', t: 5, r: 'd' }], meta, 1000);
    expect(c.drain(10).events.map((e) => e.t)).toEqual([4, 5]);
    expect(c.events(10)).toHaveLength(5);
    expect(JSON.stringify(c.events(10))).not.toContain('secret12');
  });

  it('gives console.info/log their own, smaller budget', () => {
    const c = new FrameCapture({ maxBytes: 1_000_000, maxPerKind: 100, maxRatePerKind: 1000, maxAgeMs: 600_000 }, { verbose: true });
    for (let i = 0; i < 200; i++) c.add([{ k: 'console', l: 'log', t: 1000 + i, a: [`log ${i}`] }], meta, 1000);
    for (let i = 0; i < 5; i++) c.add([{ k: 'console', l: 'error', t: 2000 + i, a: [`err ${i}`] }], meta, 1000);
    const events = c.events(3000);
    expect(events.filter((e) => e.k === 'console' && e.l === 'log')).toHaveLength(20);
    expect(events.filter((e) => e.k === 'console' && e.l === 'error')).toHaveLength(5);
  });

  it('refuses events whose time the hook cannot have written (forged far future or past)', () => {
    const c = new FrameCapture(undefined, {});
    const now = 1_800_000_000_000;
    c.add([{ k: 'rejection', t: 1e15, r: 'future' }, { k: 'rejection', t: now - 3_600_000, r: 'old' }, { k: 'rejection', t: now - 5, r: 'real' }], meta, now);
    expect(c.events(now).map((e) => e.k === 'rejection' && e.r)).toEqual(['real']);
    expect(c.stats().invalid).toBe(2);
  });

  it('when the settings are late, drops the oldest held events, not the newest', () => {
    const c = new FrameCapture();
    // 50 a second (the rate limit), over 102 s; the buffer then keeps the newest 500.
    for (let i = 0; i < 5100; i++) c.add([{ k: 'rejection', t: 1000 + i * 20, r: i }], meta, 100_000);
    c.configure({});
    const kept = c.events(110_000).map((e) => e.k === 'rejection' && e.r);
    expect(kept).toContain(5099);
    expect(kept).not.toContain(0);
    expect(c.stats().droppedInPage).toBe(100);
  });

  it('adds up the counters it is given', () => {
    const c = new FrameCapture(undefined, {});
    c.add([], { invalid: 2, dropped: 3, ok: 4 }, 1000);
    c.add([], { invalid: 1, dropped: 0, ok: 1 }, 1000);
    expect(c.stats()).toMatchObject({ invalid: 3, droppedInPage: 3, okRequests: 5, kept: 0 });
  });
});

describe('scrubDeep', () => {
  it('keeps non-string values and structure', () => {
    expect(scrubDeep({ a: 1, b: [true, null], url: 'https://u:p@x.test/' })).toEqual({ a: 1, b: [true, null], url: 'https://x.test/' });
  });
});

describe('mergeSnapshots', () => {
  const snap = (surface: 'bar' | 'other', ts: number[], life = `life-${surface}-0001`): FrameSnapshot => ({
    life,
    startedAt: 0,
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
    expect(m.env).toBeNull();
  });

  it('adds earlier documents from the history, a live answer superseding its own copy', () => {
    const past = { ...snap('bar', [1, 2], 'life-old-0001'), frameId: 0, endedAt: 3 };
    const liveCopy = { ...snap('bar', [4], 'life-new-0001'), frameId: 0, endedAt: null };
    const m = mergeSnapshots([{ frameId: 0, snap: snap('bar', [4, 6], 'life-new-0001') }], 10, [past, liveCopy]);
    expect(m.timeline.map((e) => [e.t, e.life])).toEqual([[1, 'life-old-0001'], [2, 'life-old-0001'], [4, 'life-new-0001'], [6, 'life-new-0001']]);
    expect(m.frames.map((f) => [f.life, f.live, f.endedAt])).toEqual([['life-new-0001', true, null], ['life-old-0001', false, 3]]);
  });

  it('keeps an unanswering frame\'s events from the history', () => {
    const hung = { ...snap('bar', [1], 'life-hung-0001'), frameId: 2, endedAt: null };
    const m = mergeSnapshots([{ frameId: 2, snap: null }], 10, [hung]);
    expect(m.unreachable).toEqual([2]);
    expect(m.timeline.map((e) => [e.t, e.frameId])).toEqual([[1, 2]]);
  });
});
