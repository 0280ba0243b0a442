import '../lib/zod-setup';
import { browser, defineUnlistedScript } from '#imports';
import { CaptureContext } from '../lib/capture/context';
import { runFrameAgent } from '../lib/capture/frame-agent';
import { onMessage } from '../lib/messaging';
import { renderWithLoadedScript } from '../lib/screenshot/page-render';

// Imported by page-bridge (isolated world) once the page has loaded: zod, the scrubber and the
// extension messaging are evaluated then, not during the page's parse.
export default defineUnlistedScript(() => {
  const ctx = new CaptureContext('frame-agent');
  void runFrameAgent(ctx);
  // The fallback screenshot of this frame (popup → this frame, when captureVisibleTab is refused).
  ctx.onInvalidated(
    onMessage('renderPage', async () => {
      try {
        const dataUrl = await renderWithLoadedScript(browser.runtime.getURL('/page-render.js'));
        return { ok: true, dataUrl, bytes: Math.round((dataUrl.length * 3) / 4) };
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
});
