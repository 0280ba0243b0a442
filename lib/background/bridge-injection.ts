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

/** Whether a frame's URL is on one of the hosts (the same test as the browser's webNavigation filter). */
export function onHosts(url: string, filters: readonly HostFilter[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return filters.some((f) => u.hostname === f.hostEquals && f.schemes.includes(u.protocol.slice(0, -1)));
}

const inject = (tabId: number, frameId: number): void => {
  // A frame that navigated away or closed meanwhile: nothing to do. Injected twice, the bridge
  // finds its inbox open (entrypoints/page-bridge.ts).
  browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [BRIDGE_FILE] }).catch(() => undefined);
};

/**
 * Frames that finished loading before the worker listened (the extension just installed, updated
 * or enabled, its worker still starting) get no onCompleted: they get the bridge now.
 */
async function injectIntoOpenFrames(filters: readonly HostFilter[]): Promise<void> {
  for (const tab of await browser.tabs.query({})) {
    // A tab still loading gets its onCompleted, now that the worker listens: injecting now would
    // put the isolated world into its load.
    if (tab.id === undefined || tab.status !== 'complete') continue;
    const frames = await browser.webNavigation.getAllFrames({ tabId: tab.id }).catch(() => null);
    for (const f of frames ?? []) if (onHosts(f.url, filters)) inject(tab.id, f.frameId);
  }
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
  const filters = hostFilters(AXIALYS_MATCHES);
  browser.webNavigation.onCompleted.addListener(({ tabId, frameId }) => inject(tabId, frameId), { url: filters });
  const sweep = () => void injectIntoOpenFrames(filters).catch(() => undefined);
  browser.runtime.onInstalled.addListener(sweep);
  browser.runtime.onStartup.addListener(sweep);
}
