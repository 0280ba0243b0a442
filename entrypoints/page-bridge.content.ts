import '../lib/zod-setup';
import { defineContentScript } from '#imports';
import { connectHook } from '../lib/capture/bridge';
import { FrameCapture } from '../lib/capture/frame-capture';
import { scrubUrl } from '../lib/capture/scrub';
import { AXIALYS_MATCHES } from '../lib/identity';
import { onMessage, sendMessage } from '../lib/messaging';
import { extractFields, surfaceOfDom } from '../lib/surfaces/extract';
import { surfaceOfUrl } from '../lib/surfaces/rules';

/** Time the bridge waits for the hook's getStats() answers before answering a snapshot. */
const RTC_STATS_WAIT_MS = 400;

export default defineContentScript({
  matches: AXIALYS_MATCHES,
  runAt: 'document_start',
  allFrames: true,
  main(ctx) {
    const topOrigin = window === window.top ? location.origin : (location.ancestorOrigins?.[location.ancestorOrigins.length - 1] ?? null);
    const capture = new FrameCapture();
    let hasRtc = false;
    const hook = connectHook(ctx, {
      onHookReady: () => {
        void sendMessage('frameHello', { url: scrubUrl(location.href), topOrigin, surface: surfaceOfUrl(location.href), hook: true }).catch(() => undefined);
      },
      onEvents: (events, meta) => {
        if (events.some((e) => e.k === 'rtc')) hasRtc = true;
        capture.add(events, meta);
      },
    });
    const stop = onMessage('snapshot', async () => {
      if (hasRtc) {
        hook.requestRtcStats();
        await new Promise((r) => setTimeout(r, RTC_STATS_WAIT_MS));
      }
      const byUrl = surfaceOfUrl(location.href);
      const surface = byUrl === 'other' ? surfaceOfDom(document) : byUrl;
      return { url: scrubUrl(location.href), topOrigin, surface, fields: extractFields(surface, document), events: capture.events(), stats: capture.stats() };
    });
    ctx.onInvalidated(stop);
  },
});
