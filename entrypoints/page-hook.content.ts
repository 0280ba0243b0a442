import { defineContentScript } from '#imports';
import { installHook } from '../lib/capture/hook';
import { AXIALYS_MATCHES } from '../lib/identity';

// MAIN world, before any page script: see lib/capture/hook.ts. No extension APIs here.
export default defineContentScript({
  matches: AXIALYS_MATCHES,
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  main() {
    installHook();
  },
});
