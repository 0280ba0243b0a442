import { defineUnlistedScript } from '#imports';
import { openInbox, whenPageSettled } from '../lib/capture/inbox';

/** The extension API namespace of this isolated world (chrome in Chromium; Firefox has both). */
const runtime = (globalThis as unknown as { chrome: { runtime: { getURL(path: string): string } } }).chrome.runtime;

// The document_start half of the bridge (isolated world, every frame of the Axialys hosts). It is
// declared in the manifest by wxt.config.ts rather than as a WXT content script: WXT's content-
// script wrapper brings its context and the webextension-polyfill (~13 KB) into every frame's load,
// where this needs one runtime.getURL. It keeps the hook's batches; once the page has loaded it
// imports the heavy half (entrypoints/frame-agent.ts), which takes them.
export default defineUnlistedScript(() => {
  // Plain listeners, not WXT's context: a page can forge the DOM event that invalidates it.
  openInbox();
  whenPageSettled(() => void import(/* @vite-ignore */ runtime.getURL('/frame-agent.js')));
});
