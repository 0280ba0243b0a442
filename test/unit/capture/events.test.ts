import { describe, expect, it } from 'vitest';
import { HOOK_FIELDS, HookEventSchema, MAX_BATCH_CHARS, hookEventObject, isBoundedJson, jsonDepthExceeds, parseBatch, summarizeStats } from '../../../lib/capture/events';

/** A batch as the hook sends it: short keys, each event [kind, time, …fields]. */
const batch = (events: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ v: 1, d: 0, e: events, ...extra });

describe('parseBatch', () => {
  it('accepts well-formed events, turning each array into its object', () => {
    const r = parseBatch(batch([['console', 1, 'error', ['x', { y: 1 }]], ['rejection', 2, 'nope'], ['ws', 3, 'open', 'wss://x.test/'], ['net', 4, 'post', 'https://x.test/', 500, 12, false]]));
    expect(r?.events).toEqual([
      { k: 'console', t: 1, l: 'error', a: ['x', { y: 1 }] },
      { k: 'rejection', t: 2, r: 'nope' },
      { k: 'ws', t: 3, e: 'open', url: 'wss://x.test/' },
      { k: 'net', t: 4, method: 'POST', url: 'https://x.test/', status: 500, ms: 12, failed: false },
    ]);
    expect(r?.invalid).toBe(0);
  });

  it('drops forged or malformed events one by one', () => {
    const r = parseBatch(
      batch([
        ['console', 1, 'evil', []],
        ['error', 1],
        ['console', 3, 'warn', []],
        { k: 'console', l: 'warn', t: 3, a: [] },
        ['nope', 1],
        ['nav', 1, 'pushState', 'u', 'one too many'],
        ['console', 4, 'warn', ['x'.repeat(20_001)]],
        'x',
      ]),
    );
    expect(r?.events).toEqual([{ k: 'console', t: 3, l: 'warn', a: [] }]);
    expect(r?.invalid).toBe(7);
  });

  it.each([
    ['not a string', { v: 1 }],
    ['not JSON', '{'],
    ['wrong version', JSON.stringify({ v: 2, e: [] })],
    ['oversized', 'x'.repeat(MAX_BATCH_CHARS + 1)],
    ['too many events', batch(Array.from({ length: 1001 }, () => ['rejection', 1, null]))],
    ['without events', JSON.stringify({ v: 1 })],
  ])('rejects a batch that is %s', (_name, detail) => {
    expect(parseBatch(detail)).toBeNull();
  });

  it('maps every kind of event the schema knows', () => {
    expect(Object.keys(HOOK_FIELDS).sort()).toEqual(HookEventSchema.options.map((o) => o.shape.k.value).sort());
    expect(hookEventObject(['click', 5, 'button', '', 'OK', 'button#ok'])).toEqual({ k: 'click', t: 5, tag: 'button', role: '', name: 'OK', sel: 'button#ok' });
    expect(hookEventObject(['toString', 5])).toBeUndefined();
  });
});

describe('parseBatch against forged batches', () => {
  it('refuses deep nesting before zod sees it, and absurd counters', () => {
    const deep = `{"v":1,"e":[["rejection",1,${'['.repeat(5000)}${']'.repeat(5000)}]]}`;
    expect(jsonDepthExceeds(deep, 24)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 24)).toBe(false);
    expect(parseBatch(deep)).toBeNull();
    expect(parseBatch(JSON.stringify({ v: 1, d: Number.MAX_SAFE_INTEGER, e: [] }))).toBeNull();
    expect(parseBatch(JSON.stringify({ v: 1, d: 3, r: 5, o: 2, e: [] }))).toEqual({ events: [], invalid: 0, dropped: 3, rl: 5, ok: 2 });
  });
});

describe('isBoundedJson', () => {
  it('accepts bounded JSON values only', () => {
    expect(isBoundedJson({ a: [1, 'x', null, true, { b: -2.5 }] })).toBe(true);
    expect(isBoundedJson('x'.repeat(20_001))).toBe(false);
    expect(isBoundedJson(Array.from({ length: 51 }, () => 0))).toBe(false);
    expect(isBoundedJson({ ['k'.repeat(201)]: 1 })).toBe(false);
    expect(isBoundedJson(Infinity)).toBe(false);
    expect(isBoundedJson(undefined)).toBe(false);
    expect(isBoundedJson(new Date())).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(isBoundedJson(deep)).toBe(false);
  });
});

describe('summarizeStats', () => {
  it('summarises the entries of a getStats() report, and leaves anything else to the schema', () => {
    const entries = [
      { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP1' },
      { id: 'CP1', type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', currentRoundTripTime: 0.012 },
      { id: 'L1', type: 'local-candidate', candidateType: 'relay', protocol: 'udp', relayProtocol: 'tls' },
      { id: 'R1', type: 'remote-candidate', candidateType: 'host', protocol: 'udp' },
      { id: 'IA', type: 'inbound-rtp', kind: 'audio', jitter: 0.002, packetsLost: 3, packetsReceived: 900, audioLevel: 0.1 },
      { id: 'OA', type: 'outbound-rtp', kind: 'audio', bytesSent: 12000, packetsSent: 950 },
      'junk',
      null,
    ];
    expect(summarizeStats(entries)).toEqual({
      pair: { rtt: 0.012, local: { type: 'relay', protocol: 'udp', relay: 'tls' }, remote: { type: 'host', protocol: 'udp' } },
      in: { jitter: 0.002, lost: 3, received: 900, level: 0.1 },
      out: { bytes: 12000, packets: 950 },
    });
    const summary = { in: { jitter: 1 } };
    expect(summarizeStats(summary)).toBe(summary);
    const r = parseBatch(batch([['rtcstats', 1, 2, entries]]));
    expect(r?.events[0]).toMatchObject({ k: 'rtcstats', id: 2, s: { pair: { rtt: 0.012 } } });
  });
});
