/** Peer: rrweb recording with its console record plugin (default options), events kept in memory. */
import { getRecordConsolePlugin } from '@rrweb/rrweb-plugin-console-record';
import { record } from 'rrweb';

let events: unknown[] = [];
record({
  emit(e) {
    events.push(e);
    // A recorder keeps a bounded look-back buffer; drop it wholesale now and then.
    if (events.length >= 10_000) events = [];
  },
  plugins: [getRecordConsolePlugin()],
});
(window as { __benchPeer?: string }).__benchPeer = 'rrweb';
