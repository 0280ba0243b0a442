import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, makeSerializer, serializeArgs, trackProxies } from '../../../lib/capture/serialize';

type Win = Window & typeof globalThis;

describe('serializeArgs', () => {
  it('keeps primitives and marks undefined', () => {
    expect(serializeArgs(['a', 1, true, null, undefined, 10n, NaN, -Infinity, Symbol('s')])).toEqual(['a', 1, true, null, '[undefined]', '10n', 'NaN', '-Infinity', 'Symbol(s)']);
  });

  it('cuts cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    expect(serializeArgs([a])).toEqual([{ name: 'a', self: '[circular]' }]);
    const list: unknown[] = [1];
    list.push(list);
    expect(serializeArgs([list])).toEqual([[1, '[circular]']]);
  });

  it('bounds depth, keys and string length', () => {
    const deep = { l1: { l2: { l3: { l4: 1 } } } };
    expect(serializeArgs([deep])).toEqual([{ l1: { l2: { l3: '[Object]' } } }]);
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const out = serializeArgs([wide])[0] as Record<string, unknown>;
    expect(Object.keys(out)).toHaveLength(DEFAULT_LIMITS.keys + 1);
    expect(out['…']).toBe('more keys');
    const long = serializeArgs([Array.from({ length: 30 }, (_, i) => i)])[0] as unknown[];
    expect(long).toHaveLength(DEFAULT_LIMITS.keys + 1);
    expect(long[DEFAULT_LIMITS.keys]).toBe('…[+10]');
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const s = serializeArgs([huge])[0] as string;
    expect(s.length).toBeLessThan(DEFAULT_LIMITS.stringLength + 20);
    expect(serializeArgs([new Uint8Array(10_000_000)])).toEqual(['[binary]']);
    const many = serializeArgs(Array.from({ length: 30 }, (_, i) => i));
    expect(many).toHaveLength(DEFAULT_LIMITS.keys + 1);
    expect(many[DEFAULT_LIMITS.keys]).toBe('…[+10]');
  });

  it('never calls getters: accessors are marked, inherited properties are not read', () => {
    let calls = 0;
    const evil = Object.defineProperty({ plain: 1 }, 'boom', {
      enumerable: true,
      get: () => {
        calls++;
        throw new Error('no');
      },
    });
    const proto = Object.defineProperty({}, 'inherited', { enumerable: true, get: () => calls++ });
    const child = Object.create(proto) as object;
    const arr = [1];
    Object.defineProperty(arr, 1, { enumerable: true, get: () => calls++ });
    const fn = Object.defineProperty(function named() {}, 'name', { get: () => calls++ });
    expect(serializeArgs([evil, child, arr, fn])).toEqual([{ plain: 1, boom: '[getter]' }, {}, [1, '[getter]'], '[function anonymous]']);
    expect(calls).toBe(0);
  });

  it('tolerates an untracked Proxy whose traps throw', () => {
    const trap = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(serializeArgs([trap])).toEqual(['[unserializable]']);
  });

  it('turns errors into name, message and stack, and DOM nodes into a short tag', () => {
    const [e] = serializeArgs([new TypeError('bad thing')]) as [{ name: string; message: string; stack: string }];
    expect(e.name).toBe('TypeError');
    expect(e.message).toBe('bad thing');
    expect(e.stack).toContain('bad thing');
    const el = document.createElement('button');
    el.id = 'raccrocher';
    el.className = 'btn   primary big';
    expect(serializeArgs([el])).toEqual(['<button#raccrocher.btn.primary>']);
  });

  it("reads an Error's own getters as '[getter]', without calling them", () => {
    let calls = 0;
    const err = new Error('real');
    // stack first: replacing it makes V8 format the old one, which reads name and message.
    for (const k of ['stack', 'name', 'message']) Object.defineProperty(err, k, { get: () => ++calls });
    expect(serializeArgs([err])).toEqual([{ name: '[getter]', message: '[getter]', stack: '[getter]' }]);
    expect(calls).toBe(0);
  });

  it('stays within the total budget for many large arguments', () => {
    const out = serializeArgs(Array.from({ length: 15 }, () => 'y'.repeat(2000)));
    expect(JSON.stringify(out).length).toBeLessThan(DEFAULT_LIMITS.total + 500);
  });

  it('escapes what JSON must escape', () => {
    const tricky = 'quote " backslash \\ newline \n nul \u0000 lone \ud800';
    expect(serializeArgs([{ [tricky]: tricky }])).toEqual([{ [tricky]: tricky }]);
  });
});

describe('makeSerializer', () => {
  const saved: [object, string | symbol, PropertyDescriptor][] = [];
  const replace = (o: object, k: string | symbol, value: unknown) => {
    saved.push([o, k, Object.getOwnPropertyDescriptor(o, k)!]);
    Object.defineProperty(o, k, { configurable: true, writable: true, value });
  };
  const restore = () => {
    for (const [o, k, d] of saved.splice(0).reverse()) {
      if (d) Object.defineProperty(o, k, d);
      else delete (o as Record<string | symbol, unknown>)[k];
    }
  };
  afterEach(restore);

  it('uses only the built-ins it saved: a page that replaces them later is never called', () => {
    const ser = makeSerializer(window as Win);
    let active = false;
    const called: Record<string, number> = {};
    // Replacements that still work (the test runner uses them too) and count calls made while the serializer runs.
    const rApply = Reflect.apply;
    const count = (o: object, k: string | symbol) => {
      const orig = (o as Record<string | symbol, unknown>)[k] as ((...a: unknown[]) => unknown) | undefined;
      const name = String(k);
      replace(o, k, function (this: unknown, ...a: unknown[]) {
        if (active) called[name] = (called[name] ?? 0) + 1;
        return orig ? rApply(orig, this, a) : this;
      });
    };
    count(Array.prototype, 'push');
    count(Array.prototype, 'includes');
    count(Array.prototype, Symbol.iterator);
    count(Array, 'isArray');
    count(String.prototype, 'slice');
    count(JSON, 'stringify');
    count(Object, 'keys');
    count(Object, 'getOwnPropertyDescriptor');
    count(Object.prototype, 'toJSON');
    count(Object.prototype, 'isPrototypeOf');
    count(Function.prototype, 'call');
    count(Reflect, 'apply');
    count(Error, Symbol.hasInstance);
    count(Node, Symbol.hasInstance);
    const err = new Error('e');
    // Formatted now: in the test runner, formatting a stack runs its source-map code (a page could
    // set Error.prepareStackTrace too; the engine calls it, as it would for the page's own reads).
    void err.stack;
    const values = ['x'.repeat(2000), { a: [1, { b: 'c' }] }, err, document.body, [undefined, 2n]];
    active = true;
    const text = ser.value(values, undefined, -1);
    active = false;
    restore();
    expect(called).toEqual({});
    const [s, obj, e, node, arr] = JSON.parse(text) as [string, unknown, { message: string }, string, unknown];
    expect(s.startsWith('x'.repeat(1000))).toBe(true);
    expect(obj).toEqual({ a: [1, { b: 'c' }] });
    expect(e.message).toBe('e');
    expect(node).toBe('<body>');
    expect(arr).toEqual(['[undefined]', '2n']);
  });

  it("snap reads an Error at once: later changes by the page do not show, other values are kept by reference", () => {
    const ser = makeSerializer(window as Win);
    const err = new Error('first');
    const obj = { v: 1 };
    const snapped = [ser.snap(err), ser.snap(obj), ser.snap('s')];
    err.message = 'changed';
    obj.v = 2;
    expect(snapped[1]).toBe(obj);
    expect(JSON.parse(ser.value(snapped, undefined, -1))).toEqual([expect.objectContaining({ message: 'first' }), { v: 2 }, 's']);
    expect(ser.stackOf(err)).toContain('first');
    expect(ser.stackOf({ stack: 'fake' })).toBe('');
  });

  it('never looks into a Proxy the page created (no trap runs)', () => {
    const fakeWin = { Proxy, Reflect, WeakSet } as unknown as Win;
    const [isProxy, [wrapper, original]] = trackProxies(fakeWin);
    const ser = makeSerializer(window as Win, isProxy);
    let traps = 0;
    const handler = new Proxy({}, { get: () => () => { traps++; throw new Error('trap'); } });
    const PageProxy = fakeWin.Proxy;
    const obj = new PageProxy({ a: 1 }, handler);
    const fn = new PageProxy(function f() {}, handler);
    const revoked = new PageProxy({}, {});
    expect(JSON.parse(ser.value([obj, fn, [obj], { nested: obj }, revoked], undefined, -1))).toEqual(['[Proxy]', '[Proxy]', ['[Proxy]'], { nested: '[Proxy]' }, '[Proxy]']);
    expect(traps).toBe(0);
    expect(isProxy({})).toBe(false);
    // The wrapper stands in for Proxy, and forwards what it does not trap.
    expect(wrapper).toBe(fakeWin.Proxy);
    expect(original).toBe(Proxy);
    expect(fakeWin.Proxy.name).toBe('Proxy');
    expect(() => (fakeWin.Proxy as unknown as () => void)()).toThrow(TypeError);
  });

  it('words() collapses whitespace and keeps the first words', () => {
    const { words } = makeSerializer(window as Win);
    expect(words('  Décrocher \n\t l’appel  ', ' ', 1e9)).toBe('Décrocher l’appel');
    expect(words(' btn  primary big', '.', 2)).toBe('btn.primary');
    expect(words('x'.repeat(500), ' ', 1e9)).toHaveLength(120);
  });
});
