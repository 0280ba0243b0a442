import { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * WXT's content-script context, minus its "a newer copy of this script started" listener: that
 * listener takes a DOM event whose name derives from our public extension id, so any page could
 * dispatch it and switch capture off. Nor does it announce itself (a DOM event the page sees). The context is still invalidated when the extension goes
 * away (runtime.id gone), which is what the timers and listeners rely on.
 */
export class CaptureContext extends ContentScriptContext {
  constructor(name: string) {
    super(name, { noScriptStartedPostMessage: true });
  }
  override listenForNewerScripts(): void {
    /* deliberately nothing: see above */
  }
  override stopOldScripts(): void {
    /* nothing */
  }
}
