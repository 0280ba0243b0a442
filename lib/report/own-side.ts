import type { Environment } from '../capture/env';
import { runPrechecks, type FetchLike, type PeerConnectionCtor, type PrecheckResult } from '../capture/prechecks';
import type { TabSnapshot } from '../capture/snapshot';
import { measureSkew, type SkewFetch, type SkewResult } from '../time/skew';

/** Where the pre-checks measure when the tab shows no Axialys surface. */
export const DEFAULT_CHECK_ORIGIN = 'https://voice-management.axialys.com';

/** What the user's own side looks like (seed §1): the pre-checks and the clock offset. */
export interface OwnSide {
  origin: string;
  prechecks: PrecheckResult[];
  skew: SkewResult;
}

/** The origin of the surface the report is about: the top frame's, else the embedded surface's. */
export function surfaceOrigin(snap: Pick<TabSnapshot, 'frames'>): string {
  const live = snap.frames.filter((f) => f.live && f.surface !== 'other');
  const frame = live.find((f) => f.frameId === 0) ?? live[0];
  try {
    return frame ? new URL(frame.url).origin : DEFAULT_CHECK_ORIGIN;
  } catch {
    return DEFAULT_CHECK_ORIGIN;
  }
}

export interface OwnSideInputs {
  origin: string;
  /** The page's environment (online state and microphone permission are the page's, not the popup's). */
  env: Environment | null;
  stunServer: string;
  fetchImpl: FetchLike & SkewFetch;
  RTCPeerConnection: PeerConnectionCtor | undefined;
  now?: () => number;
}

/**
 * Runs the pre-checks from an extension page (the popup: it has RTCPeerConnection and the host
 * permissions that make the Date header readable) and estimates the clock offset. Never throws.
 */
export async function checkOwnSide(inp: OwnSideInputs): Promise<OwnSide> {
  const now = inp.now ?? Date.now;
  const mic = inp.env?.microphonePermission ?? null;
  const [prechecks, skew] = await Promise.all([
    runPrechecks({
      navigator: {
        ...(typeof inp.env?.online === 'boolean' ? { onLine: inp.env.online } : {}),
        permissions: { query: async () => ({ state: mic ?? 'unknown' }) },
      },
      origin: inp.origin,
      fetchImpl: inp.fetchImpl,
      now,
      RTCPeerConnection: inp.RTCPeerConnection,
      stunServer: inp.stunServer,
    }),
    measureSkew(new URL('/api/ping', inp.origin).href, inp.fetchImpl, now),
  ]);
  return { origin: inp.origin, prechecks, skew };
}
