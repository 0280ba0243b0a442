import '../lib/zod-setup';
import { defineUnlistedScript } from '#imports';
import { CaptureContext } from '../lib/capture/context';
import { runFrameAgent } from '../lib/capture/frame-agent';

// Imported by page-bridge (isolated world) once the page has loaded: zod, the scrubber and the
// extension messaging are evaluated then, not during the page's parse. It also answers the
// fallback screenshot's snapshot requests (lib/screenshot/page-snapshot.ts).
export default defineUnlistedScript(() => {
  const ctx = new CaptureContext('frame-agent');
  void runFrameAgent(ctx);
});
