import { describe, expect, it } from 'vitest';
import { MAX_BATCH_CHARS, parseBatch } from '../../../lib/capture/events';

const batch = (events: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ v: 1, dropped: 0, events, ...extra });

describe('parseBatch', () => {
  it('accepts well-formed events', () => {
    const r = parseBatch(batch([{ k: 'console', l: 'error', t: 1, a: ['x', { y: 1 }] }, { k: 'rejection', t: 2, r: 'nope' }]));
    expect(r?.events).toHaveLength(2);
    expect(r?.invalid).toBe(0);
  });

  it('drops forged or malformed events one by one', () => {
    const r = parseBatch(batch([{ k: 'console', l: 'evil', t: 1, a: [] }, { k: 'error', t: 1 }, { k: 'console', l: 'warn', t: 3, a: [] }]));
    expect(r?.events).toEqual([{ k: 'console', l: 'warn', t: 3, a: [] }]);
    expect(r?.invalid).toBe(2);
  });

  it.each([
    ['not a string', { v: 1 }],
    ['not JSON', '{'],
    ['wrong version', JSON.stringify({ v: 2, events: [] })],
    ['oversized', 'x'.repeat(MAX_BATCH_CHARS + 1)],
    ['too many events', batch(Array.from({ length: 1001 }, () => ({})))],
  ])('rejects a batch that is %s', (_name, detail) => {
    expect(parseBatch(detail)).toBeNull();
  });
});

describe('parseBatch against forged batches', () => {
  it('refuses deep nesting before zod sees it, and absurd counters', async () => {
    const { parseBatch, jsonDepthExceeds } = await import('../../../lib/capture/events');
    const deep = `{"v":1,"events":[{"k":"rejection","t":1,"r":${'['.repeat(5000)}${']'.repeat(5000)}}]}`;
    expect(jsonDepthExceeds(deep, 24)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 24)).toBe(false);
    expect(parseBatch(deep)).toBeNull();
    expect(parseBatch(JSON.stringify({ v: 1, dropped: Number.MAX_SAFE_INTEGER, events: [] }))).toBeNull();
    expect(parseBatch(JSON.stringify({ v: 1, dropped: 3, ok: 2, events: [] }))).toEqual({ events: [], invalid: 0, dropped: 3, ok: 2 });
  });
});
