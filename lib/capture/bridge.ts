import type { ContentScriptContext } from '#imports';
import { EVENTS } from './channel';
import { parseBatch, type HookEvent } from './events';

export interface BridgeOptions {
  /** Called once, when the page hook has answered the handshake. */
  onHookReady(): void;
  onEvents(events: HookEvent[], meta: { invalid: number; dropped: number; ok: number }): void;
  /** Sent to the hook with the handshake: capture console.info/log too. */
  verbose?: boolean;
}

/**
 * The isolated-world end of the hook channel: handshake, then validated batches.
 * Only events dispatched on this window with our namespace are considered, and every batch is
 * parsed with zod (a page can forge them).
 */
export function connectHook(ctx: ContentScriptContext, opts: BridgeOptions): { requestRtcStats(): void; enableVerbose(): void; flush(): void } {
  let hookSeen = false;
  let verbose = opts.verbose === true;
  const announce = () =>
    window.dispatchEvent(new CustomEvent(EVENTS.bridgeReady, { detail: JSON.stringify({ verbose }) }));

  ctx.addEventListener(window, EVENTS.hookReady as 'load', () => {
    if (hookSeen) return;
    hookSeen = true;
    announce();
    opts.onHookReady();
  });
  ctx.addEventListener(window, EVENTS.data as 'load', (ev: Event) => {
    if (!hookSeen) return;
    const batch = parseBatch((ev as CustomEvent<unknown>).detail);
    if (batch) opts.onEvents(batch.events, { invalid: batch.invalid, dropped: batch.dropped, ok: batch.ok });
  });
  announce();
  return {
    requestRtcStats: () => window.dispatchEvent(new CustomEvent(EVENTS.statsRequest, { detail: '' })),
    enableVerbose: () => {
      verbose = true;
      announce();
    },
    /** Has the hook hand over what it holds now (its batches otherwise go out at the end of a task). */
    flush: announce,
  };
}
