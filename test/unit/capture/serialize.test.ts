import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, serializeArgs } from '../../../lib/capture/serialize';

describe('serializeArgs', () => {
  it('keeps primitives and marks undefined', () => {
    expect(serializeArgs(['a', 1, true, null, undefined, 10n])).toEqual(['a', 1, true, null, '[undefined]', '10n']);
  });

  it('cuts cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    expect(serializeArgs([a])).toEqual([{ name: 'a', self: '[circular]' }]);
  });

  it('bounds depth, keys and string length', () => {
    const deep = { l1: { l2: { l3: { l4: 1 } } } };
    expect(serializeArgs([deep])).toEqual([{ l1: { l2: { l3: '[Object]' } } }]);
    const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const out = serializeArgs([wide])[0] as Record<string, unknown>;
    expect(Object.keys(out)).toHaveLength(DEFAULT_LIMITS.keys + 1);
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const s = serializeArgs([huge])[0] as string;
    expect(s.length).toBeLessThan(DEFAULT_LIMITS.stringLength + 20);
  });

  it('survives throwing getters and Proxies', () => {
    const evil = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new Error('no'); } });
    expect(serializeArgs([evil])).toEqual([{ boom: '[throws]' }]);
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
    el.className = 'btn primary big';
    expect(serializeArgs([el])).toEqual(['<button#raccrocher.btn.primary>']);
  });

  it('stays within the total budget for many large arguments', () => {
    const out = serializeArgs(Array.from({ length: 15 }, () => 'y'.repeat(2000)));
    expect(JSON.stringify(out).length).toBeLessThan(DEFAULT_LIMITS.total + 500);
  });
});
