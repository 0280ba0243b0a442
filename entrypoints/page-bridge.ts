import { defineUnlistedScript } from '#imports';
import { openInbox, whenPageSettled } from '../lib/capture/inbox';

/** The extension's frame-agent URL (chrome in Chromium; Firefox has both). Read when needed: the first touch of `chrome` sets up its bindings, which takes milliseconds. */
const agentUrl = () => (globalThis as unknown as { chrome: { runtime: { getURL(path: string): string } } }).chrome.runtime.getURL('/frame-agent.js');

// The light half of the bridge (isolated world), injected by the background into each Axialys
// frame once its load has completed (lib/background/bridge-injection.ts), so that creating the
// isolated world costs the page's load nothing. It is built as an unlisted script rather than a WXT
// content script: WXT's wrapper brings its context and the webextension-polyfill (~13 KB), where this
// needs one runtime.getURL. It takes the batches the hook held until then; once the page is idle it
// imports the heavy half (entrypoints/frame-agent.ts). Injected twice, it finds its inbox open and
// the agent module already imported.
export default defineUnlistedScript(() => {
  // Plain listeners, not WXT's context: a page can forge the DOM event that invalidates it.
  openInbox();
  whenPageSettled(() => void import(/* @vite-ignore */ agentUrl()));
});
