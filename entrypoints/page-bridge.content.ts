import '../lib/zod-setup';
import { defineContentScript } from '#imports';
import { connectHook } from '../lib/capture/bridge';
import { AXIALYS_MATCHES } from '../lib/identity';
import { sendMessage } from '../lib/messaging';
import { scrubUrl } from '../lib/capture/scrub';
import { surfaceOfUrl } from '../lib/surfaces/rules';

export default defineContentScript({
  matches: AXIALYS_MATCHES,
  runAt: 'document_start',
  allFrames: true,
  main(ctx) {
    const topOrigin = window === window.top ? location.origin : (location.ancestorOrigins?.[location.ancestorOrigins.length - 1] ?? null);
    connectHook(ctx, {
      onHookReady: () => {
        void sendMessage('frameHello', { url: scrubUrl(location.href), topOrigin, surface: surfaceOfUrl(location.href), hook: true }).catch(() => undefined);
      },
      onEvents: () => {
        /* buffering arrives with the capture issue */
      },
    });
  },
});
