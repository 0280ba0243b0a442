/**
 * The one typed message protocol between Témoin's contexts (bridge, background, popup, options).
 * Payloads are validated with zod where they are received (see the `*Schema` exports).
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import { z } from 'zod';
import type { FrameSnapshot, TabSnapshot } from './capture/snapshot';
import type { FrameArchive } from './frames/history';
import type { FrameInfo } from './frames/registry';
import { SurfaceSchema, type SurfaceRule } from './surfaces/rules';

export const FrameHelloSchema = z.object({
  url: z.string().max(4000),
  topOrigin: z.string().max(300).nullable(),
  surface: SurfaceSchema,
  hook: z.boolean(),
});
export type FrameHello = z.infer<typeof FrameHelloSchema>;

/** background → bridge, in answer to its hello: the capture settings in force (user ← policy). */
export interface FrameConfig {
  rules: SurfaceRule[];
  verbose: boolean;
  maskContactData: boolean;
}

export const SnapshotRequestSchema = z.object({ env: z.boolean() });

export const TabRefSchema = z.object({ tabId: z.number().int().nonnegative() });
export const ScreenshotRequestSchema = z.object({ windowId: z.number().int() });
export const ZammadProbeSchema = z.object({ url: z.string().url(), token: z.string().min(1).max(500) });
/** A report of the outbox, by its marker. */
export const OutboxRefSchema = z.object({ id: z.string().regex(/^TMN-[0-9a-f-]{36}$/) });

export interface TabState {
  frames: FrameInfo[];
}

export type ScreenshotResult = { ok: true; dataUrl: string; bytes: number } | { ok: false; error: string };
export type ZammadProbeResult = { ok: true; name: string; login: string } | { ok: false; status: number | null; error: string };

interface ProtocolMap {
  /** bridge → background: this frame runs Témoin's page scripts; answers the capture settings. */
  frameHello(data: FrameHello): FrameConfig;
  /** bridge → background: a document's new events (every few seconds, and at pagehide). */
  frameArchive(data: FrameArchive): void;
  /** popup → background: what Témoin knows of a tab. */
  getTabState(data: z.infer<typeof TabRefSchema>): TabState;
  /** popup → one frame's agent: re-draw the frame from its DOM (when the native capture is refused). */
  renderPage(data: Record<string, never>): ScreenshotResult;
  /** popup → background: capture the visible tab of a window (needs the activeTab grant). */
  captureScreenshot(data: z.infer<typeof ScreenshotRequestSchema>): ScreenshotResult;
  /** background → one frame's bridge: its buffered, scrubbed events (with fresh WebRTC stats). */
  snapshot(data: z.infer<typeof SnapshotRequestSchema>): FrameSnapshot;
  /** popup → background: every frame of a tab, merged into one timeline. */
  getSnapshot(data: z.infer<typeof TabRefSchema>): TabSnapshot;
  /** options → background: GET /api/v1/users/me with the given URL and token. */
  probeZammad(data: z.infer<typeof ZammadProbeSchema>): ZammadProbeResult;
  // Delivery (issue 5; lib/background/delivery.ts). The outbox lives in IndexedDB
  // (lib/delivery/outbox.ts); pages read it directly and hear changes on its BroadcastChannel.
  /** popup / outbox list → background: deliver what is due now (answers at once; delivery runs on). */
  flushOutbox(data: undefined): void;
  /** outbox list → background: try this report again now (backoff reset), then flush. */
  outboxRetry(data: z.infer<typeof OutboxRefSchema>): void;
  /** outbox list → background: forget this report (its ticket, if any, stays in Zammad). */
  outboxDelete(data: z.infer<typeof OutboxRefSchema>): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
