import { browser } from '#imports';
import { AXIALYS_MATCHES } from '../identity';

/** The bridge's light half (entrypoints/page-bridge.ts), injected into each Axialys frame once it has loaded. */
export const BRIDGE_FILE = '/page-bridge.js';

export interface HostFilter {
  hostEquals: string;
  schemes: string[];
}

/**
 * webNavigation URL filters for match patterns of the form `scheme://host/*` (the Axialys
 * hosts: exact hosts, no wildcard, any path). Anything else is refused, loudly: a pattern this
 * cannot express would silently leave frames without a bridge.
 */
export function hostFilters(matches: readonly string[]): HostFilter[] {
  return matches.map((m) => {
    const hit = /^(https?):\/\/([a-z0-9.-]+)\/\*$/.exec(m);
    if (!hit) throw new Error(`unsupported match pattern for the bridge: ${m}`);
    return { hostEquals: hit[2]!, schemes: [hit[1]!] };
  });
}

/**
 * The page hook (MAIN world, document_start) is declared in the manifest; the bridge that carries
 * its events into the extension is not. Any script in the extension's isolated world makes the
 * browser create that world for the frame, which costs the page's load several milliseconds on a
 * small machine, and Chromium runs even document_idle scripts before the load event
 * (bench/results.md, page load). So the background injects the bridge once the frame's load has
 * completed; until then the hook holds what it captures.
 */
export function registerBridgeInjection(): void {
  browser.webNavigation.onCompleted.addListener(
    ({ tabId, frameId }) => {
      // A frame that navigated away or closed meanwhile: nothing to do.
      browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [BRIDGE_FILE] }).catch(() => undefined);
    },
    { url: hostFilters(AXIALYS_MATCHES) },
  );
}
