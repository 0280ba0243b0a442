import { describe, expect, it } from 'vitest';
import {
  ADVICE,
  checkLatency,
  checkMicrophone,
  checkOnline,
  checkStun,
  DEFAULT_STUN_SERVER,
  median,
  parseCandidate,
  PrecheckResultSchema,
  runPrechecks,
  type FetchLike,
  type PeerConnectionCtor,
  type PeerConnectionLike,
} from '../../../lib/capture/prechecks';

// ---------------------------------------------------------------------------------------------
// A scripted RTCPeerConnection. Candidate lines are the ones Chromium 156 really produced
// against coturn (see test/e2e/stun.spec.ts for the real thing).

const HOST4 = 'candidate:1996876190 1 udp 2113937151 4ded0831-0963-45ad-b35d-156f00b19244.local 41603 typ host generation 0 ufrag UEc5 network-cost 999';
const HOST6 = 'candidate:3160615038 1 udp 2113942271 30bb83ca-8d85-4749-ac30-5c4f0da0f571.local 35176 typ host generation 0 ufrag UEc5 network-cost 999';
const SRFLX = 'candidate:1832996909 1 udp 1677729535 203.0.113.7 41603 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag UEc5 network-cost 999';
const HOST_PLAIN = 'candidate:2837587410 1 udp 2113937151 192.0.2.2 39316 typ host generation 0 ufrag V3yX network-cost 999';
const TCP_HOST = 'candidate:2729850374 1 tcp 1509959935 192.0.2.2 9 typ host tcptype active generation 0';

type Step =
  | { cand: string }
  | { end: true }
  | { error: { errorCode: number; errorText: string; url: string; address?: string; port?: number } }
  | { complete: true }
  | { wait: number };

interface Made {
  config: unknown;
  closed: boolean;
}

function fakePeerConnection(steps: Step[], opts: { errorEvent?: boolean; made?: Made[] } = {}): PeerConnectionCtor {
  class FakePC implements PeerConnectionLike {
    iceGatheringState = 'new';
    private listeners = new Map<string, ((ev: Event) => void)[]>();
    private record: Made;
    constructor(config: unknown) {
      this.record = { config, closed: false };
      opts.made?.push(this.record);
    }
    addEventListener(type: string, l: (ev: Event) => void): void {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
    }
    private emit(type: string, ev: object): void {
      for (const l of this.listeners.get(type) ?? []) l(ev as Event);
    }
    createDataChannel(): unknown {
      return {};
    }
    async createOffer(): Promise<RTCSessionDescriptionInit> {
      return { type: 'offer', sdp: 'v=0' };
    }
    async setLocalDescription(): Promise<void> {
      this.iceGatheringState = 'gathering';
      void (async () => {
        for (const s of steps) {
          await new Promise((r) => setTimeout(r, 'wait' in s ? s.wait : 1));
          if (this.record.closed) return;
          if ('cand' in s) this.emit('icecandidate', { candidate: { candidate: s.cand, type: / typ (\w+)/.exec(s.cand)?.[1] } });
          else if ('end' in s) this.emit('icecandidate', { candidate: null });
          else if ('error' in s) this.emit('icecandidateerror', s.error);
          else if ('complete' in s) {
            this.iceGatheringState = 'complete';
            this.emit('icegatheringstatechange', {});
          }
        }
      })();
    }
    close(): void {
      this.record.closed = true;
    }
  }
  if (opts.errorEvent !== false) Object.defineProperty(FakePC.prototype, 'onicecandidateerror', { value: null, writable: true });
  return FakePC;
}

const err701 = (text: string, address = '0.0.0.x') => ({ error: { errorCode: 701, errorText: text, url: 'stun:stun.axialys.net:3478', address, port: 41603 } });

describe('checkStun (Chromium behaviour, scripted)', () => {
  it('passes on a server-reflexive candidate, with only the configured server, and closes the connection', async () => {
    const made: Made[] = [];
    const r = await checkStun({ RTCPeerConnection: fakePeerConnection([{ cand: HOST4 }, { cand: HOST6 }, { cand: SRFLX }, { complete: true }, { end: true }], { made }), timeoutMs: 2000 });
    expect(PrecheckResultSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({ id: 'udp', status: 'pass', value: 'srflx', messageKey: 'precheck_udp_pass', params: [DEFAULT_STUN_SERVER], advice: [] });
    expect(r.detail).toMatchObject({ mappedAddress: '203.0.113.7', mappedPort: 41603 });
    expect(made).toHaveLength(1);
    expect(made[0]!.config).toEqual({ iceServers: [{ urls: 'stun:stun.axialys.net:3478' }] });
    expect(made[0]!.closed).toBe(true);
  });

  it('fails on timeout when the server never answers (Chromium stays silent for ~39 s)', async () => {
    const made: Made[] = [];
    const t0 = Date.now();
    const r = await checkStun({ RTCPeerConnection: fakePeerConnection([{ cand: HOST4 }, { cand: HOST6 }], { made }), server: 'stun:127.0.0.1:9', timeoutMs: 80 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(r).toMatchObject({ status: 'fail', value: 'timeout', messageKey: 'precheck_udp_fail_timeout', params: ['stun:127.0.0.1:9', '0'] });
    expect(r.advice).toContain(ADVICE.firewallUdp);
    expect(made[0]!.closed).toBe(true);
  });

  it('fails on icecandidateerror 701 (binding timed out) even when gathering then completes', async () => {
    const r = await checkStun({
      RTCPeerConnection: fakePeerConnection([{ cand: HOST4 }, { cand: HOST6 }, err701('STUN binding request timed out.'), { complete: true }, { end: true }]),
      timeoutMs: 2000,
    });
    expect(r).toMatchObject({ status: 'fail', value: 'error', messageKey: 'precheck_udp_fail_error' });
    expect(r.params).toEqual([DEFAULT_STUN_SERVER, '701', 'STUN binding request timed out.']);
    expect(r.detail).toMatchObject({ errorCode: 701 });
    expect(r.advice).toEqual([ADVICE.firewallUdp, ADVICE.vpnOff, ADVICE.wired, ADVICE.contactIt]);
  });

  it('fails fast when the STUN host does not resolve (701 per socket, then complete)', async () => {
    const r = await checkStun({
      RTCPeerConnection: fakePeerConnection([{ cand: HOST4 }, { cand: HOST6 }, err701('STUN host lookup received error.', '[0:0:0:x:x:x:x:x]'), err701('STUN host lookup received error.'), { complete: true }]),
      timeoutMs: 5000,
    });
    expect(r).toMatchObject({ status: 'fail', value: 'error', params: [DEFAULT_STUN_SERVER, '701', 'STUN host lookup received error.'] });
  });

  it('decides on an error after a grace period even if gathering never completes', async () => {
    const t0 = Date.now();
    const r = await checkStun({
      RTCPeerConnection: fakePeerConnection([{ cand: HOST4 }, err701('STUN host lookup received error.')]),
      timeoutMs: 5000,
      errorGraceMs: 50,
    });
    expect(r).toMatchObject({ status: 'fail', value: 'error' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('passes when one socket errors (IPv6) but the other gets its srflx', async () => {
    const r = await checkStun({
      RTCPeerConnection: fakePeerConnection([{ cand: HOST4 }, { cand: HOST6 }, err701('STUN binding request timed out.', '[0:0:0:x:x:x:x:x]'), { wait: 30 }, { cand: SRFLX }]),
      timeoutMs: 2000,
      errorGraceMs: 300,
    });
    expect(r).toMatchObject({ status: 'pass', value: 'srflx' });
  });

  it('passes when gathering completes without srflx nor error (mapped address = host address, not hidden by mDNS)', async () => {
    const r = await checkStun({ RTCPeerConnection: fakePeerConnection([{ cand: HOST_PLAIN }, { cand: TCP_HOST }, { complete: true }, { end: true }]), timeoutMs: 2000 });
    expect(r).toMatchObject({ status: 'pass', value: 'bound', messageKey: 'precheck_udp_pass' });
    expect(r.detail).toMatchObject({ hostUdpCandidates: 1, errors: 0 });
  });

  it('does not count TCP host candidates nor TCP srflx as UDP', async () => {
    const r = await checkStun({ RTCPeerConnection: fakePeerConnection([{ cand: TCP_HOST }, { cand: SRFLX.replace(' udp ', ' tcp ') }, { complete: true }]), timeoutMs: 2000 });
    expect(r).toMatchObject({ status: 'fail', value: 'no-udp', messageKey: 'precheck_udp_fail_no_udp' });
  });

  it('is inconclusive (warn), not pass, where icecandidateerror does not exist and no srflx came', async () => {
    const r = await checkStun({ RTCPeerConnection: fakePeerConnection([{ cand: HOST_PLAIN }, { complete: true }], { errorEvent: false }), timeoutMs: 2000 });
    expect(r).toMatchObject({ status: 'warn', value: 'inconclusive', messageKey: 'precheck_udp_inconclusive' });
    const ok = await checkStun({ RTCPeerConnection: fakePeerConnection([{ cand: HOST_PLAIN }, { cand: SRFLX }, { complete: true }], { errorEvent: false }), timeoutMs: 2000 });
    expect(ok).toMatchObject({ status: 'pass', value: 'srflx' });
  });

  it('warns when RTCPeerConnection is missing (service worker) or throws', async () => {
    expect(await checkStun({ RTCPeerConnection: undefined })).toMatchObject({ status: 'warn', value: 'unsupported', messageKey: 'precheck_udp_unavailable' });
    class Throwing {
      constructor() {
        throw new SyntaxError("Failed to construct 'RTCPeerConnection': bad URL");
      }
    }
    const r = await checkStun({ RTCPeerConnection: Throwing as unknown as PeerConnectionCtor, server: 'stun:' });
    expect(r).toMatchObject({ status: 'warn', value: 'unsupported' });
    expect(String(r.detail['error'])).toContain('bad URL');
  });

  it('parses candidate lines', () => {
    expect(parseCandidate({ candidate: SRFLX })).toEqual({ type: 'srflx', protocol: 'udp', address: '203.0.113.7', port: 41603 });
    expect(parseCandidate({ candidate: `a=${TCP_HOST}` })).toMatchObject({ type: 'host', protocol: 'tcp', port: 9 });
  });
});

// ---------------------------------------------------------------------------------------------

/** A fetch that advances a virtual clock by the next scripted duration (or rejects/hangs). */
function scriptedFetch(durations: (number | 'reject' | 'hang')[]) {
  let clock = 1000;
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const d = durations[calls.length - 1];
    if (d === 'reject') throw new TypeError('Failed to fetch');
    if (d === 'hang') return new Promise(() => {});
    clock += d ?? 0;
    return {};
  };
  return { fetchImpl, now: () => clock, calls };
}

describe('checkLatency', () => {
  it('takes the median of 3 HEAD requests to the origin, without cache nor credentials', async () => {
    const f = scriptedFetch([300, 40, 60]);
    const r = await checkLatency({ origin: 'https://bandeau.axialys.com/some/page', fetchImpl: f.fetchImpl, now: f.now });
    expect(PrecheckResultSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({ id: 'latency', status: 'pass', value: 60, messageKey: 'precheck_latency_pass', params: ['60', 'bandeau.axialys.com', '150'], advice: [] });
    expect(r.detail).toMatchObject({ samplesMs: [300, 40, 60], failures: 0 });
    expect(f.calls).toHaveLength(3);
    for (const c of f.calls) {
      expect(c.url).toBe('https://bandeau.axialys.com/api/ping');
      expect(c.init).toMatchObject({ method: 'HEAD', cache: 'no-store', credentials: 'omit' });
    }
  });

  it.each([
    [[149, 149, 149], 'pass', 149],
    [[150, 150, 150], 'warn', 150],
    [[200, 180, 250], 'warn', 200],
    [[399, 10, 900], 'warn', 399],
    [[400, 400, 400], 'fail', 400],
    [[500, 450, 900], 'fail', 500],
  ] as const)('%j ms → %s (median %d) against the 150 ms prerequisite', async (d, status, ms) => {
    const f = scriptedFetch([...d]);
    const r = await checkLatency({ origin: 'https://x.axialys.com', fetchImpl: f.fetchImpl, now: f.now });
    expect(r.status).toBe(status);
    expect(r.value).toBe(ms);
    expect(r.messageKey).toBe(`precheck_latency_${status}`);
    if (status !== 'pass') expect(r.advice).toEqual([ADVICE.wired, ADVICE.vpnOff, ADVICE.bandwidth, ADVICE.contactIt]);
  });

  it('fails when no request gets an answer', async () => {
    const f = scriptedFetch(['reject', 'reject', 'reject']);
    const r = await checkLatency({ origin: 'https://x.axialys.com', fetchImpl: f.fetchImpl, now: f.now });
    expect(r).toMatchObject({ status: 'fail', value: null, messageKey: 'precheck_latency_unreachable', params: ['x.axialys.com', 'TypeError: Failed to fetch'] });
    expect(r.advice).toContain(ADVICE.firewallHttps);
  });

  it('warns on a lost request even when the median is fast, and times out a hanging one', async () => {
    const f = scriptedFetch([30, 'hang', 50]);
    const r = await checkLatency({ origin: 'https://x.axialys.com', fetchImpl: f.fetchImpl, now: f.now, timeoutMs: 40 });
    expect(r).toMatchObject({ status: 'warn', value: 40, messageKey: 'precheck_latency_lossy', params: ['40', 'x.axialys.com', '150', '1', '3'] });
    expect(f.calls[1]!.init.signal?.aborted).toBe(true);
  });

  it('computes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('checkOnline / checkMicrophone', () => {
  it('maps the online state', () => {
    expect(checkOnline({ onLine: true })).toMatchObject({ status: 'pass', value: true });
    expect(checkOnline({ onLine: false })).toMatchObject({ status: 'fail', value: false, messageKey: 'precheck_online_fail', advice: [ADVICE.checkCable, ADVICE.wired, ADVICE.contactIt] });
    expect(checkOnline({})).toMatchObject({ status: 'warn', value: null });
  });

  it('maps granted / prompt / denied / unknown to pass / warn / fail / warn with advice', () => {
    expect(checkMicrophone('granted')).toMatchObject({ status: 'pass', messageKey: 'precheck_mic_granted', advice: [] });
    expect(checkMicrophone('prompt')).toMatchObject({ status: 'warn', messageKey: 'precheck_mic_prompt', advice: [ADVICE.micAllow] });
    expect(checkMicrophone('denied')).toMatchObject({ status: 'fail', messageKey: 'precheck_mic_denied', advice: [ADVICE.micAllow, ADVICE.micSystem] });
    expect(checkMicrophone(null)).toMatchObject({ status: 'warn', value: null, messageKey: 'precheck_mic_unknown' });
  });
});

describe('runPrechecks', () => {
  it('runs every check in order and never throws, whatever the inputs do', async () => {
    const results = await runPrechecks({
      navigator: {
        onLine: true,
        permissions: {
          query: () => {
            throw new TypeError('not supported');
          },
        },
      },
      origin: 'https://bandeau.axialys.com',
      fetchImpl: () => {
        throw new Error('sync boom');
      },
      now: () => 0,
      RTCPeerConnection: undefined,
    });
    expect(results.map((r) => r.id)).toEqual(['online', 'latency', 'udp', 'microphone']);
    expect(results.map((r) => r.status)).toEqual(['pass', 'fail', 'warn', 'warn']);
    for (const r of results) expect(PrecheckResultSchema.safeParse(r).success).toBe(true);
  });

  it('passes the STUN server through', async () => {
    const made: Made[] = [];
    const f = scriptedFetch([10, 10, 10]);
    const results = await runPrechecks({
      navigator: { onLine: true, permissions: { query: async () => ({ state: 'granted' }) } },
      origin: 'https://bandeau.axialys.com',
      fetchImpl: f.fetchImpl,
      now: f.now,
      RTCPeerConnection: fakePeerConnection([{ cand: HOST4 }, { cand: SRFLX }], { made }),
      stunServer: 'stun:stun2.axialys.net:3478',
    });
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(made[0]!.config).toEqual({ iceServers: [{ urls: 'stun:stun2.axialys.net:3478' }] });
  });
});
