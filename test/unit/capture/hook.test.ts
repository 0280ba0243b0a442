import { Window as HappyWindow } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENTS } from '../../../lib/capture/channel';
import { parseBatch, type ParsedBatch } from '../../../lib/capture/events';
import { FLUSH_AT, installHook } from '../../../lib/capture/hook';

/**
 * The page hook installed in a window of its own (happy-dom's, at an Axialys URL, with the
 * JavaScript built-ins it lacks taken from this realm), with fake timers (installed first: the hook
 * saves Date.now and setTimeout as it finds them); the test plays the bridge's side of the channel.
 */
const happy = new HappyWindow({ url: 'https://voice-management.axialys.com/operateurs/index.htm' });
type Win = Window & typeof globalThis;
const win = happy as unknown as Win;
Object.assign(win, { Proxy, WeakRef, WeakSet, WeakMap, Reflect, Object, Promise, String, JSON, Error, Array, ArrayBuffer, Function });
const { console, document, history, History, CustomEvent } = win;
const batches: ParsedBatch[] = [];
const logged: unknown[][] = [];
const fnToString = Function.prototype.toString;
let nativeErrorSource = '';
let originalError: { fn: unknown; name: string; length: number; keys: string[] };
let originalPushState: { length: number; keys: string[] };
const bridgeReady = (detail = '') => win.dispatchEvent(new CustomEvent(EVENTS.bridgeReady, { detail }));
const received = () => batches.flatMap((b) => b.events);
const take = () => {
  const events = received();
  batches.length = 0;
  return events;
};

beforeAll(() => {
  vi.useFakeTimers({ now: new Date('2026-11-27T10:00:00.100Z') });
  // The hook takes Date.now and setTimeout from its window: this realm's, faked.
  Object.assign(win, { Date, setTimeout });
  // The hook wraps whatever console.error it finds: a recording one, so that the test output stays clean.
  console.error = function error(...a: unknown[]) {
    logged.push(a);
  };
  console.warn = () => undefined;
  nativeErrorSource = fnToString.call(console.error);
  originalError = { fn: console.error, name: console.error.name, length: console.error.length, keys: Object.getOwnPropertyNames(console.error) };
  originalPushState = { length: History.prototype.pushState.length, keys: Object.getOwnPropertyNames(History.prototype.pushState) };
  win.addEventListener(EVENTS.data, (ev) => {
    const b = parseBatch((ev as CustomEvent<string>).detail);
    if (!b) throw new Error(`malformed batch: ${(ev as CustomEvent<string>).detail}`);
    batches.push(b);
  });
  installHook(win);
  bridgeReady();
});
afterAll(async () => {
  vi.useRealTimers();
  await happy.happyDOM.close();
});

describe('installHook', () => {
  it('wraps console.error with a Proxy that looks like what it wraps and passes calls through', () => {
    const { fn, ...original } = originalError;
    expect(console.error).not.toBe(fn);
    expect({ name: console.error.name, length: console.error.length, keys: Object.getOwnPropertyNames(console.error) }).toEqual(original);
    expect(Function.prototype.toString.call(console.error)).toBe(nativeErrorSource);
    expect(String(console.error)).toBe(nativeErrorSource);
    // The patched toString shows its own native source too.
    expect(Function.prototype.toString.call(Function.prototype.toString)).toBe(fnToString.call(fnToString));
    const self = { me: 1 };
    expect(console.error.call(self, 'pass', 2)).toBeUndefined();
    expect(logged.at(-1)).toEqual(['pass', 2]);
    bridgeReady();
    take();
  });

  it('batches events: nothing until the bridge asks or FLUSH_AT are pending, and no timer of its own', () => {
    const timers = vi.getTimerCount();
    console.error('one', { a: [1, 'b'] });
    console.warn('two');
    expect(vi.getTimerCount()).toBe(timers);
    vi.advanceTimersByTime(60_000);
    expect(received()).toEqual([]);
    bridgeReady();
    expect(batches).toHaveLength(1);
    expect(take()).toEqual([
      expect.objectContaining({ k: 'console', l: 'error', a: ['one', { a: [1, 'b'] }] }),
      expect.objectContaining({ k: 'console', l: 'warn', a: ['two'] }),
    ]);
    vi.advanceTimersByTime(1000); // a new second for the rate limit
    for (let i = 0; i < FLUSH_AT - 1; i++) console.error(`n${i}`);
    expect(received()).toEqual([]);
    console.error('last');
    expect(batches).toHaveLength(1);
    expect(take()).toHaveLength(FLUSH_AT);
    vi.advanceTimersByTime(1000); // this second's rate budget is spent
  });

  it("reads an Error's message and stack in the call; other arguments when the batch is made", () => {
    const err = new TypeError('first');
    const obj = { v: 1 };
    console.error(err, obj);
    err.message = 'changed';
    obj.v = 2;
    bridgeReady();
    const [e] = take() as unknown as [{ a: [{ name: string; message: string; stack: string }, unknown] }];
    expect(e.a[0]).toMatchObject({ name: 'TypeError', message: 'first' });
    expect(e.a[0].stack).toContain('first');
    expect(e.a[1]).toEqual({ v: 2 });
  });

  it('applies the rate limit before serializing: beyond 50 a second, a call is only counted', () => {
    vi.advanceTimersByTime(1000);
    take();
    let reads = 0;
    const watched = Object.defineProperty({}, 'x', { enumerable: true, get: () => ++reads });
    for (let i = 0; i < 120; i++) console.error(`flood ${i}`, watched);
    // 50 pending: the batch went out at once, the other 70 calls were refused.
    const events = take();
    expect(events).toHaveLength(50);
    expect(events[49]).toMatchObject({ a: ['flood 49', { x: '[getter]' }] });
    expect(reads).toBe(0);
    bridgeReady();
    const rl = batches.reduce((n, b) => n + b.rl, 0);
    expect(rl).toBe(70);
    take();
    // The next second admits again.
    vi.advanceTimersByTime(1000);
    console.error('next second');
    bridgeReady();
    expect(take()).toEqual([expect.objectContaining({ a: ['next second'] })]);
  });

  it('patches pushState on History.prototype, not on the instance, and records navigations', () => {
    expect(Object.prototype.hasOwnProperty.call(history, 'pushState')).toBe(false);
    expect(History.prototype.pushState).toBe(history.pushState);
    expect(history.pushState.name).toBe('pushState');
    expect({ length: history.pushState.length, keys: Object.getOwnPropertyNames(history.pushState) }).toEqual(originalPushState);
    history.pushState(null, '', '#hooked');
    bridgeReady();
    expect(take()).toContainEqual(expect.objectContaining({ k: 'nav', how: 'pushState', url: expect.stringContaining('#hooked') }));
  });

  it('records clicks without values, with a short selector', () => {
    document.body.innerHTML = '<div id="barre"><button class="btn  btn--succes big" aria-label="Décrocher l’appel">x</button></div><input id="q" value="secret">';
    document.querySelector('button')!.click();
    (document.querySelector('#q') as HTMLInputElement).click();
    bridgeReady();
    const clicks = take().filter((e) => e.k === 'click');
    expect(clicks).toEqual([
      expect.objectContaining({ tag: 'button', name: 'Décrocher l’appel', sel: '#barre > button.btn.btn--succes' }),
      expect.objectContaining({ tag: 'input', sel: 'input#q' }),
    ]);
    expect(JSON.stringify(clicks)).not.toContain('secret');
  });

  it('never installs twice', () => {
    const wrapped = console.error;
    installHook(win);
    expect(console.error).toBe(wrapped);
  });
});
