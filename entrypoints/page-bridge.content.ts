import '../lib/zod-setup';
import { defineContentScript } from '#imports';
import { runFrameAgent } from '../lib/capture/frame-agent';
import { AXIALYS_MATCHES } from '../lib/identity';

export default defineContentScript({
  matches: AXIALYS_MATCHES,
  runAt: 'document_start',
  allFrames: true,
  main: runFrameAgent,
});
