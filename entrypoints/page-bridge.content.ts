import { browser, defineContentScript } from '#imports';
import { openInbox, whenPageSettled } from '../lib/capture/inbox';
import { AXIALYS_MATCHES } from '../lib/identity';

// The document_start half of the bridge: dependency-free, it keeps the hook's batches, and once
// the page has loaded it imports the heavy half (entrypoints/frame-agent.ts), which takes them.
export default defineContentScript({
  matches: AXIALYS_MATCHES,
  runAt: 'document_start',
  allFrames: true,
  noScriptStartedPostMessage: true,
  main() {
    // Plain listeners, not WXT's context: a page can forge the DOM event that invalidates it.
    openInbox();
    whenPageSettled(() => void import(/* @vite-ignore */ browser.runtime.getURL('/frame-agent.js')));
  },
});
