/**
 * Peer: @sentry/browser with its default integrations (console breadcrumbs among them).
 * A DSN is needed for the integrations to be set up; the transport is a stub, nothing is sent.
 */
import * as Sentry from '@sentry/browser';

Sentry.init({
  dsn: 'https://0123456789abcdef0123456789abcdef@o0.ingest.sentry.invalid/1',
  transport: (options) => Sentry.createTransport(options, () => Promise.resolve({})),
});
(window as { __benchPeer?: string }).__benchPeer = `sentry ${Sentry.SDK_VERSION}`;
