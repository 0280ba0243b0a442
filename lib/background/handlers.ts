import { browser } from '#imports';
import { captureVisible } from '../capture/screenshot';
import { mergeSnapshots, type FrameSnapshot } from '../capture/snapshot';
import { displayName, getMe, ZammadError } from '../delivery/zammad';
import { FrameArchiveSchema } from '../frames/history';
import { archiveFrame, forgetHistory, historyOf } from '../frames/history-store';
import { forgetTab, framesOf, recordFrame } from '../frames/store';
import { FrameHelloSchema, onMessage, ScreenshotRequestSchema, sendMessage, TabRefSchema, ZammadProbeSchema, type FrameConfig } from '../messaging';
import { effectiveSettings } from '../settings/store';
import { DEFAULT_SURFACE_RULES } from '../surfaces/rules';

const FRAME_ANSWER_TIMEOUT_MS = 2000;

/**
 * Asks every registered frame of the tab for its snapshot, in parallel, each with a timeout (the
 * top frame also collects the environment), and adds the tab's earlier documents.
 */
export async function collectTabSnapshot(tabId: number) {
  const [frames, history] = await Promise.all([framesOf(tabId), historyOf(tabId)]);
  const envFrame = frames.some((f) => f.frameId === 0) ? 0 : frames[0]?.frameId;
  const answers = await Promise.all(
    frames.map(async ({ frameId }) => {
      const snap = await Promise.race([
        sendMessage('snapshot', { env: frameId === envFrame }, { tabId, frameId }).catch(() => null),
        new Promise<null>((r) => setTimeout(() => r(null), FRAME_ANSWER_TIMEOUT_MS)),
      ]);
      return { frameId, snap: (snap ?? null) as FrameSnapshot | null };
    }),
  );
  return mergeSnapshots(answers, Date.now(), history);
}

/** The capture settings a bridge applies (what the user chose, overridden by policy). */
async function frameConfig(): Promise<FrameConfig> {
  const { settings } = await effectiveSettings();
  return { rules: settings.surfaceRules ?? DEFAULT_SURFACE_RULES, verbose: settings.captureConsoleInfo, maskContactData: settings.maskContactData };
}

/** Registers every background listener. Called synchronously from the background's main(). */
export function registerBackgroundHandlers(): void {
  // Warm the settings now: the first frame's hello should not wait for the policy read.
  void effectiveSettings().catch(() => undefined);
  onMessage('frameHello', async ({ data, sender }) => {
    const hello = FrameHelloSchema.safeParse(data);
    const tabId = sender.tab?.id;
    if (hello.success && tabId !== undefined) await recordFrame(tabId, { ...hello.data, frameId: sender.frameId ?? 0, seenAt: Date.now() });
    return frameConfig();
  });

  onMessage('frameArchive', async ({ data, sender }) => {
    const archive = FrameArchiveSchema.safeParse(data);
    const tabId = sender.tab?.id;
    if (archive.success && tabId !== undefined) await archiveFrame(tabId, sender.frameId ?? 0, archive.data);
  });

  onMessage('getTabState', async ({ data }) => {
    const { tabId } = TabRefSchema.parse(data);
    return { frames: await framesOf(tabId) };
  });

  onMessage('getSnapshot', async ({ data }) => collectTabSnapshot(TabRefSchema.parse(data).tabId));

  onMessage('captureScreenshot', async ({ data }) => {
    const { windowId } = ScreenshotRequestSchema.parse(data);
    return captureVisible(windowId);
  });

  onMessage('probeZammad', async ({ data }) => {
    const parsed = ZammadProbeSchema.safeParse(data);
    if (!parsed.success) return { ok: false, status: null, error: parsed.error.issues[0]?.message ?? 'invalid' };
    try {
      const me = await getMe({ url: parsed.data.url.replace(/\/+$/, ''), token: parsed.data.token, timeoutMs: 15_000 });
      return { ok: true, name: displayName(me), login: me.login };
    } catch (e) {
      return e instanceof ZammadError
        ? { ok: false, status: e.status, error: e.message }
        : { ok: false, status: null, error: String(e) };
    }
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    void forgetTab(tabId);
    void forgetHistory(tabId);
  });
}
