import { Window as HappyWindow } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENTS } from '../../../lib/capture/channel';
import { parseBatch, type ParsedBatch } from '../../../lib/capture/events';
import { FLUSH_AT, HOLD_MAX_BATCHES, installHook } from '../../../lib/capture/hook';

/**
 * The page hook before its bridge exists: the bridge is injected once the frame has loaded
 * (lib/background/bridge-injection.ts), so what the hook captures during the load waits in the
 * hook, bounded, and goes out in order when the bridge announces itself.
 */
const happy = new HappyWindow({ url: 'https://voice-management.axialys.com/operateurs/index.htm' });
type Win = Window & typeof globalThis;
const win = happy as unknown as Win;
Object.assign(win, { Proxy, WeakRef, WeakSet, WeakMap, Reflect, Object, Promise, String, JSON, Error, Array, ArrayBuffer, Function });
const { console, CustomEvent } = win;
const batches: ParsedBatch[] = [];
const hookReady: number[] = [];

beforeAll(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T10:00:00.100Z') });
  Object.assign(win, { Date, setTimeout });
  console.error = function error() {};
  win.addEventListener(EVENTS.hookReady, () => hookReady.push(batches.length));
  win.addEventListener(EVENTS.data, (ev) => {
    const b = parseBatch((ev as CustomEvent<string>).detail);
    if (!b) throw new Error('malformed batch');
    batches.push(b);
  });
  installHook(win);
});
afterAll(async () => {
  vi.useRealTimers();
  await happy.happyDOM.close();
});

describe('the hook before the bridge connects', () => {
  it('holds full batches, bounded, counts what did not fit, and sends them in order once the bridge says ready', () => {
    // A second per round of FLUSH_AT calls, so that the rate limit (50 a second) admits them all.
    const rounds = HOLD_MAX_BATCHES + 3;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < FLUSH_AT; i++) console.error(`r${r} e${i}`);
      vi.advanceTimersByTime(1000);
    }
    console.error('pending, not yet a full batch');
    // Nothing reached the page's window while no bridge listened, not even an announcement.
    expect(batches).toHaveLength(0);
    expect(hookReady).toEqual([]);

    win.dispatchEvent(new CustomEvent(EVENTS.bridgeReady, { detail: '' }));
    // The hook answered the handshake, once, before sending anything.
    expect(hookReady).toEqual([0]);
    // The held batches, then one with what was pending.
    expect(batches).toHaveLength(HOLD_MAX_BATCHES + 1);
    const events = batches.flatMap((b) => b.events) as unknown as { a: string[] }[];
    expect(events).toHaveLength(HOLD_MAX_BATCHES * FLUSH_AT + 1);
    expect(events[0]!.a[0]).toBe('r0 e0');
    expect(events[HOLD_MAX_BATCHES * FLUSH_AT - 1]!.a[0]).toBe(`r${HOLD_MAX_BATCHES - 1} e${FLUSH_AT - 1}`);
    expect(events.at(-1)!.a[0]).toBe('pending, not yet a full batch');
    // The three batches that did not fit are counted, in the first batch made after them.
    expect(batches.reduce((n, b) => n + b.dropped, 0)).toBe(3 * FLUSH_AT);
    expect(batches.at(-1)!.dropped).toBe(3 * FLUSH_AT);
  });

  it('once connected, sends batches as they fill, holding nothing', () => {
    batches.length = 0;
    vi.advanceTimersByTime(1000);
    for (let i = 0; i < FLUSH_AT; i++) console.error(`live ${i}`);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.events).toHaveLength(FLUSH_AT);
    expect(batches[0]!.dropped).toBe(0);
  });
});
