import '../lib/zod-setup';
import { defineUnlistedScript } from '#imports';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { runFrameAgent } from '../lib/capture/frame-agent';

// Imported by page-bridge (isolated world) once the page has loaded: zod, the scrubber and the
// extension messaging are evaluated then, not during the page's parse.
export default defineUnlistedScript(() => {
  void runFrameAgent(new ContentScriptContext('frame-agent', { noScriptStartedPostMessage: true }));
});
