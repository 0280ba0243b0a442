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
import { MAX_CANVAS_CHARS, MAX_SIDE_IMAGES, type SnapshotPart, type SnapshotStart } from './screenshot/page-snapshot';
import { CHUNK_CHARS, MAX_HTML_CHARS } from './screenshot/serialize-dom';

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

// The fallback screenshot (popup → the surface frame's agent; lib/screenshot/page-snapshot.ts).
// The agent checks the requests; the popup checks the answers, which come from the page's process.
export const SnapshotPageRequestSchema = z.object({}).strict();
export const SnapshotPartRequestSchema = z.object({ id: z.string().uuid(), kind: z.enum(['html', 'image']), index: z.number().int().min(0).max(1000) }).strict();
const webUrl = z
  .string()
  .max(8192)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'http(s) URL');
const count = z.number().int().nonnegative();
export const SnapshotStartSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    id: z.string().uuid(),
    chunks: z.number().int().min(1).max(Math.ceil(MAX_HTML_CHARS / CHUNK_CHARS)),
    images: z.array(z.object({ url: webUrl.nullable(), ok: z.boolean() })).max(MAX_SIDE_IMAGES),
    viewport: z.object({ width: z.number().int().min(1).max(16384), height: z.number().int().min(1).max(16384) }),
    scroll: z.object({ x: z.number().min(0).max(1e7), y: z.number().min(0).max(1e7) }),
    dpr: z.number().min(0.25).max(8),
    baseUrl: webUrl,
    standards: z.boolean(),
    chars: count.max(MAX_HTML_CHARS),
    stats: z.object({ nodes: count, tooDeep: count, slices: count, longestSliceMs: z.number().nonnegative(), ms: z.number().nonnegative(), sideChars: count }),
  }),
  z.object({ ok: z.literal(false), code: z.enum(['too-large', 'not-html', 'failed']), error: z.string().max(2000), limit: count.optional() }),
]);
export const SnapshotPartSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), text: z.string().max(Math.max(CHUNK_CHARS, MAX_CANVAS_CHARS)) }),
  z.object({ ok: z.literal(false), error: z.string().max(2000) }),
]);

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
  /**
   * popup → the surface frame's agent, when the native capture is refused: write the document out
   * (in time slices) and hold it; answers its size and the view (viewport, scroll, device pixel ratio).
   */
  snapshotPage(data: z.infer<typeof SnapshotPageRequestSchema>): SnapshotStart;
  /** popup → the same agent: one HTML chunk or one side image of the held snapshot. */
  snapshotPart(data: z.infer<typeof SnapshotPartRequestSchema>): SnapshotPart;
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
