/**
 * Event names shared by the page hook (MAIN world) and the page bridge (ISOLATED world).
 * The namespace is random per build (see wxt.config.ts), so a page cannot know it in advance;
 * the bridge still validates everything it receives, since a page can read our events.
 * This module must stay dependency-free: the page hook imports it.
 */
declare const __TEMOIN_NS__: string;

export const NAMESPACE: string = typeof __TEMOIN_NS__ === 'string' ? __TEMOIN_NS__ : 'tmn-test';

export const EVENTS = {
  /** hook → bridge: "I am installed" (sent at start and again when the bridge announces itself). */
  hookReady: `${NAMESPACE}:hook-ready`,
  /** bridge → hook: "I am listening" (sent at start and again when the hook announces itself). */
  bridgeReady: `${NAMESPACE}:bridge-ready`,
  /** hook → bridge: a batch of captured events, as one JSON string. */
  data: `${NAMESPACE}:data`,
  /** bridge → hook: call getStats() on the live peer connections and report them. */
  statsRequest: `${NAMESPACE}:stats`,
} as const;

export const HOOK_PROTOCOL_VERSION = 1;
