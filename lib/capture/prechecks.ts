import { z } from 'zod';
import { queryMicrophonePermission, type PermissionStateValue, type PermissionsLike } from './env';

/**
 * Checks of the user's own side, run before a report is sent (Axialys support asks customers to rule
 * out their own infrastructure first; a wrongly reported fault may be billed). Each check yields a
 * status, a raw value, a message key with positional parameters (for `t(key, ...params)`), and
 * advice keys for what to try. Nothing here returns UI text, and no check throws.
 *
 * Prerequisites (axialys-surfaces.md §6): latency to Axialys < 150 ms; STUN stun.axialys.net:3478;
 * audio over UDP 10000–20000, always initiated by the client.
 */

export const PRECHECK_IDS = ['online', 'latency', 'udp', 'microphone'] as const;
export type PrecheckId = (typeof PRECHECK_IDS)[number];
export type PrecheckStatus = 'pass' | 'warn' | 'fail';

/** Message keys are _locales names: ASCII letters, digits and underscores. */
const messageKey = z.string().regex(/^[A-Za-z0-9_]+$/).max(100);
const scalar = z.union([z.number(), z.string().max(500), z.boolean(), z.null()]);

export const PrecheckResultSchema = z.object({
  id: z.enum(PRECHECK_IDS),
  status: z.enum(['pass', 'warn', 'fail']),
  /** The measured value: ms, a state, an outcome; null when nothing could be measured. */
  value: scalar,
  messageKey,
  /** Positional substitutions ($1, $2…) for messageKey. */
  params: z.array(z.string().max(300)).max(9),
  /** What the user can try, most useful first (message keys without parameters). */
  advice: z.array(messageKey).max(10),
  /** Raw details for support (samples, error codes…). */
  detail: z.record(z.string().max(50), z.union([scalar, z.array(z.number()).max(10)])),
});
export type PrecheckResult = z.infer<typeof PrecheckResultSchema>;

// ---------------------------------------------------------------------------------------------
// Advice keys

export const ADVICE = {
  checkCable: 'advice_check_connection',
  wired: 'advice_wired_connection',
  vpnOff: 'advice_vpn_off',
  bandwidth: 'advice_free_bandwidth',
  firewallHttps: 'advice_firewall_https',
  firewallUdp: 'advice_firewall_udp',
  contactIt: 'advice_contact_it',
  micAllow: 'advice_mic_allow',
  micSystem: 'advice_mic_system',
} as const;

function result(
  id: PrecheckId,
  status: PrecheckStatus,
  value: PrecheckResult['value'],
  messageKey: string,
  params: (string | number)[] = [],
  advice: string[] = [],
  detail: PrecheckResult['detail'] = {},
): PrecheckResult {
  return { id, status, value, messageKey, params: params.map(String), advice, detail };
}

function errorText(e: unknown): string {
  return (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);
}

// ---------------------------------------------------------------------------------------------
// Online state

export function checkOnline(nav: { onLine?: boolean } | undefined): PrecheckResult {
  const online = nav?.onLine;
  if (online === true) return result('online', 'pass', true, 'precheck_online_pass');
  if (online === false)
    return result('online', 'fail', false, 'precheck_online_fail', [], [ADVICE.checkCable, ADVICE.wired, ADVICE.contactIt]);
  return result('online', 'warn', null, 'precheck_online_unknown');
}

// ---------------------------------------------------------------------------------------------
// HTTP latency to the surface's origin

/** Axialys prerequisite: latency under 150 ms. */
export const LATENCY_PASS_MS = 150;
/** Above this the telephony is very likely degraded. */
export const LATENCY_WARN_MS = 400;

export type FetchLike = (url: string, init: RequestInit) => Promise<unknown>;

export interface LatencyOptions {
  /** The surface's origin, e.g. "https://bandeau.axialys.com". */
  origin: string;
  fetchImpl: FetchLike;
  /** Monotonic clock in ms (performance.now). */
  now: () => number;
  /** Default 3. */
  samples?: number;
  /** Default "/api/ping". Any HTTP answer (even 404) is a round trip. */
  path?: string;
  /** Per request. Default 3000 ms. */
  timeoutMs?: number;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function latencyStatus(ms: number): PrecheckStatus {
  if (ms < LATENCY_PASS_MS) return 'pass';
  if (ms < LATENCY_WARN_MS) return 'warn';
  return 'fail';
}

/**
 * Median of `samples` sequential HEAD requests to the origin. `no-cors` keeps it working without
 * host permission (an opaque answer is still a round trip); `no-store` and `omit` keep it from the
 * cache and from the session.
 */
export async function checkLatency(opts: LatencyOptions): Promise<PrecheckResult> {
  const n = Math.max(1, Math.min(opts.samples ?? 3, 10));
  const timeoutMs = opts.timeoutMs ?? 3000;
  let url: string;
  try {
    url = new URL(opts.path ?? '/api/ping', opts.origin).href;
  } catch (e) {
    return result('latency', 'warn', null, 'precheck_latency_unavailable', [errorText(e)]);
  }
  const host = new URL(url).host;
  const samples: number[] = [];
  let lastError = '';
  for (let i = 0; i < n; i++) {
    const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = setTimeout(() => ctrl?.abort(), timeoutMs);
    const t0 = opts.now();
    try {
      await Promise.race([
        opts.fetchImpl(url, {
          method: 'HEAD',
          cache: 'no-store',
          credentials: 'omit',
          mode: 'no-cors',
          redirect: 'manual',
          ...(ctrl ? { signal: ctrl.signal } : {}),
        }),
        new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs + 50)),
      ]);
      samples.push(Math.max(0, opts.now() - t0));
    } catch (e) {
      lastError = errorText(e);
    } finally {
      clearTimeout(timer);
    }
  }
  const failures = n - samples.length;
  const med = median(samples);
  const detail = { samplesMs: samples.map((s) => Math.round(s)), failures, thresholdMs: LATENCY_PASS_MS };
  if (med === null) {
    return result(
      'latency',
      'fail',
      null,
      'precheck_latency_unreachable',
      [host, lastError],
      [ADVICE.checkCable, ADVICE.vpnOff, ADVICE.firewallHttps, ADVICE.contactIt],
      { ...detail, error: lastError },
    );
  }
  const ms = Math.round(med);
  let status = latencyStatus(ms);
  // A lost request on a fast link is still a warning.
  if (failures > 0 && status === 'pass') status = 'warn';
  const key = failures > 0 ? 'precheck_latency_lossy' : `precheck_latency_${status}`;
  const params = failures > 0 ? [ms, host, LATENCY_PASS_MS, failures, n] : [ms, host, LATENCY_PASS_MS];
  const advice = status === 'pass' ? [] : [ADVICE.wired, ADVICE.vpnOff, ADVICE.bandwidth, ADVICE.contactIt];
  return result('latency', status, ms, key, params, advice, failures > 0 ? { ...detail, error: lastError } : detail);
}

// ---------------------------------------------------------------------------------------------
// UDP reachability: a STUN binding request through RTCPeerConnection

export const DEFAULT_STUN_SERVER = 'stun:stun.axialys.net:3478';
export const DEFAULT_STUN_TIMEOUT_MS = 5000;

/** The parts of RTCPeerConnection the check uses (the real constructor fits). */
export interface PeerConnectionLike {
  readonly iceGatheringState: string;
  addEventListener(type: string, listener: (ev: Event) => void): void;
  createDataChannel(label: string): unknown;
  createOffer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(desc: RTCSessionDescriptionInit): Promise<void>;
  close(): void;
}
export type PeerConnectionCtor = new (config: { iceServers: { urls: string }[]; iceCandidatePoolSize?: number }) => PeerConnectionLike;

export interface StunOptions {
  /** `RTCPeerConnection` of an extension page (not available in a service worker). */
  RTCPeerConnection: PeerConnectionCtor | undefined;
  /** Default "stun:stun.axialys.net:3478". */
  server?: string;
  /** Default 5000 ms (a binding answers within one RTT; Chromium itself gives up after ~39 s). */
  timeoutMs?: number;
  /** After the first icecandidateerror, how long another socket may still bring a srflx. Default 1000 ms. */
  errorGraceMs?: number;
}

interface CandidateLike {
  candidate?: string;
  type?: string | null;
  protocol?: string | null;
  address?: string | null;
  port?: number | null;
}

/** Type, protocol, address and port of a candidate, from its fields or its SDP line. */
export function parseCandidate(c: CandidateLike): { type: string | null; protocol: string | null; address: string | null; port: number | null } {
  const line = typeof c.candidate === 'string' ? c.candidate : '';
  // candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> …
  const parts = line.replace(/^a=/, '').split(/\s+/);
  const typIdx = parts.indexOf('typ');
  const fromLine = {
    protocol: parts[2]?.toLowerCase() ?? null,
    address: parts[4] ?? null,
    port: parts[5] !== undefined && /^\d+$/.test(parts[5]) ? Number(parts[5]) : null,
    type: typIdx >= 0 ? (parts[typIdx + 1] ?? null) : null,
  };
  return {
    type: c.type ?? fromLine.type,
    protocol: c.protocol?.toLowerCase() ?? fromLine.protocol,
    address: c.address ?? fromLine.address,
    port: typeof c.port === 'number' ? c.port : fromLine.port,
  };
}

const UDP_ADVICE = [ADVICE.firewallUdp, ADVICE.vpnOff, ADVICE.wired, ADVICE.contactIt];

/**
 * Sends a STUN binding request to the configured server only, by gathering ICE candidates with it.
 *
 * pass  — a server-reflexive (srflx) candidate arrived: only an answer from that server creates one;
 *       — or gathering completed with a UDP host candidate and no `icecandidateerror`: libwebrtc
 *         reports every failed binding as error 701 before completing, and completes without a srflx
 *         only when the answer's mapped address equals the local one (no NAT, host IPs not hidden).
 * fail  — `icecandidateerror` (701: host lookup failed / binding timed out) and no srflx within
 *         `errorGraceMs` nor before completion; no timely answer (timeout); or no UDP socket at all.
 * warn  — gathering completed without srflx in a browser without `icecandidateerror` (inconclusive),
 *         or RTCPeerConnection is unavailable here.
 */
export async function checkStun(opts: StunOptions): Promise<PrecheckResult> {
  const server = opts.server ?? DEFAULT_STUN_SERVER;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_STUN_TIMEOUT_MS;
  const errorGraceMs = opts.errorGraceMs ?? 1000;
  const Ctor = opts.RTCPeerConnection;
  if (typeof Ctor !== 'function') return result('udp', 'warn', 'unsupported', 'precheck_udp_unavailable', [server]);
  const errorEventSupported = 'onicecandidateerror' in (Ctor.prototype as object);

  let pc: PeerConnectionLike;
  try {
    pc = new Ctor({ iceServers: [{ urls: server }] });
  } catch (e) {
    return result('udp', 'warn', 'unsupported', 'precheck_udp_unavailable', [server], [], { error: errorText(e) });
  }

  const started = Date.now();
  const errors: { code: number | null; text: string; url: string }[] = [];
  let hostUdp = 0;

  const outcome = await new Promise<PrecheckResult>((resolve) => {
    let done = false;
    const finish = (r: PrecheckResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      resolve(r);
    };
    const base = () => ({ elapsedMs: Date.now() - started, hostUdpCandidates: hostUdp, errors: errors.length });
    const failWithError = () => {
      const first = errors[0]!;
      return result('udp', 'fail', 'error', 'precheck_udp_fail_error', [server, first.code ?? '', first.text], UDP_ADVICE, {
        ...base(),
        errorCode: first.code,
        errorText: first.text,
      });
    };
    const evaluate = (timedOut: boolean) => {
      if (errors.length > 0) return finish(failWithError());
      if (timedOut)
        return finish(result('udp', 'fail', 'timeout', 'precheck_udp_fail_timeout', [server, Math.round(timeoutMs / 1000)], UDP_ADVICE, base()));
      if (hostUdp === 0) return finish(result('udp', 'fail', 'no-udp', 'precheck_udp_fail_no_udp', [server], UDP_ADVICE, base()));
      if (!errorEventSupported) return finish(result('udp', 'warn', 'inconclusive', 'precheck_udp_inconclusive', [server], [], base()));
      return finish(result('udp', 'pass', 'bound', 'precheck_udp_pass', [server], [], base()));
    };
    const timer = setTimeout(() => evaluate(true), timeoutMs);
    let graceTimer: ReturnType<typeof setTimeout> | undefined;

    pc.addEventListener('icecandidate', (ev) => {
      const cand = (ev as unknown as { candidate: CandidateLike | null }).candidate;
      if (!cand) return evaluate(false); // end of candidates
      if (!cand.candidate) return; // Firefox's empty end-of-generation candidate
      const c = parseCandidate(cand);
      if (c.protocol !== 'udp') return;
      if (c.type === 'srflx') {
        finish(
          result('udp', 'pass', 'srflx', 'precheck_udp_pass', [server], [], {
            ...base(),
            mappedAddress: c.address,
            mappedPort: c.port,
          }),
        );
      } else if (c.type === 'host') hostUdp++;
    });
    pc.addEventListener('icecandidateerror', (ev) => {
      const e = ev as unknown as { errorCode?: number; errorText?: string; url?: string };
      errors.push({ code: typeof e.errorCode === 'number' ? e.errorCode : null, text: String(e.errorText ?? '').slice(0, 200), url: String(e.url ?? '') });
      // Errors are per local socket (IPv4, IPv6…): give the others a moment to bring a srflx, but do
      // not wait for 'complete', which may never come (seen on a loopback-only machine).
      graceTimer ??= setTimeout(() => evaluate(false), errorGraceMs);
    });
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') evaluate(false);
    });

    (async () => {
      pc.createDataChannel('temoin-stun-check');
      await pc.setLocalDescription(await pc.createOffer());
    })().catch((e: unknown) => finish(result('udp', 'warn', 'unsupported', 'precheck_udp_unavailable', [server], [], { error: errorText(e) })));
  });

  try {
    pc.close();
  } catch {
    /* already closed */
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Microphone permission

export function checkMicrophone(state: PermissionStateValue | null): PrecheckResult {
  switch (state) {
    case 'granted':
      return result('microphone', 'pass', state, 'precheck_mic_granted');
    case 'prompt':
      return result('microphone', 'warn', state, 'precheck_mic_prompt', [], [ADVICE.micAllow]);
    case 'denied':
      return result('microphone', 'fail', state, 'precheck_mic_denied', [], [ADVICE.micAllow, ADVICE.micSystem]);
    default:
      return result('microphone', 'warn', null, 'precheck_mic_unknown', [], [ADVICE.micAllow, ADVICE.micSystem]);
  }
}

// ---------------------------------------------------------------------------------------------
// All of them

export interface PrecheckInputs {
  navigator: { onLine?: boolean; permissions?: PermissionsLike };
  origin: string;
  fetchImpl: FetchLike;
  now: () => number;
  RTCPeerConnection: PeerConnectionCtor | undefined;
  stunServer?: string;
  stunTimeoutMs?: number;
  latencyTimeoutMs?: number;
}

async function guarded(id: PrecheckId, run: () => Promise<PrecheckResult> | PrecheckResult): Promise<PrecheckResult> {
  try {
    return await run();
  } catch (e) {
    return result(id, 'warn', null, 'precheck_internal_error', [id], [], { error: errorText(e) });
  }
}

/** Runs every check (latency and UDP concurrently). Never throws; results in PRECHECK_IDS order. */
export async function runPrechecks(inp: PrecheckInputs): Promise<PrecheckResult[]> {
  return Promise.all([
    guarded('online', () => checkOnline(inp.navigator)),
    guarded('latency', () =>
      checkLatency({ origin: inp.origin, fetchImpl: inp.fetchImpl, now: inp.now, ...(inp.latencyTimeoutMs ? { timeoutMs: inp.latencyTimeoutMs } : {}) }),
    ),
    guarded('udp', () =>
      checkStun({
        RTCPeerConnection: inp.RTCPeerConnection,
        ...(inp.stunServer ? { server: inp.stunServer } : {}),
        ...(inp.stunTimeoutMs ? { timeoutMs: inp.stunTimeoutMs } : {}),
      }),
    ),
    guarded('microphone', async () => checkMicrophone(await queryMicrophonePermission(inp.navigator.permissions))),
  ]);
}
