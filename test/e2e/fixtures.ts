import { chromium, expect, test as base, type Browser, type BrowserContext, type Page, type Worker } from '@playwright/test';
import net from 'node:net';
import { chromiumArgs, chromiumEnv, CHROMIUM_PATH } from '../../dev/chromium';
import { startDevServer, type DevServer } from '../../dev/server';
import type { FrameInfo } from '../../lib/frames/registry';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/**
 * Debian Chromium with the production build loaded and the demo hosts mapped: in French, Paris
 * time, unless told otherwise. `timeZone` is the whole browser's (TZ), extension pages included:
 * Playwright's emulation reaches only the pages it drives, not the real popup.
 */
export function launchWithExtension(devServer: DevServer, debugPort: number, opts: { lang?: 'fr' | 'en'; timeZone?: string } = {}): Promise<BrowserContext> {
  const lang = opts.lang ?? 'fr';
  const timeZone = opts.timeZone ?? 'Europe/Paris';
  return chromium.launchPersistentContext('', {
    executablePath: CHROMIUM_PATH,
    headless: true,
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
    timezoneId: timeZone,
    ignoreDefaultArgs: ['--disable-extensions'],
    env: { ...chromiumEnv(lang), TZ: timeZone },
    args: chromiumArgs({ rules: devServer.rules, debugPort }),
  });
}

export interface Fixtures {
  /** The browser's UI language (and so the extension's). */
  uiLang: 'fr' | 'en';
  /** The browser's time zone (TZ). */
  timeZone: string;
  context: BrowserContext;
  debugPort: number;
  serviceWorker: Worker;
  extensionId: string;
  /** Clicks the real toolbar button on the page's tab (CDP Extensions.triggerAction: grants activeTab). */
  clickToolbar(page: Page): Promise<void>;
  /** Clicks the toolbar button and returns the real popup as a Playwright page. */
  openPopup(page: Page): Promise<Page>;
  /** The frames of the page's tab that Témoin's page scripts registered with the background. */
  framesOf(urlPart: string): Promise<FrameInfo[]>;
  /** The tab id whose registered frames include a URL containing urlPart (waits for it). */
  tabIdOf(urlPart: string): Promise<number>;
  /** Sends one protocol message to the background from an extension page, as the popup does. */
  callBackground<T = unknown>(type: string, data: unknown): Promise<T>;
}

export const test = base.extend<Fixtures, { devServer: DevServer }>({
  devServer: [
    async ({}, use) => {
      const server = await startDevServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  uiLang: ['fr', { option: true }],
  timeZone: ['Europe/Paris', { option: true }],
  debugPort: async ({}, use) => use(await freePort()),
  context: async ({ devServer, debugPort, uiLang, timeZone }, use) => {
    const context = await launchWithExtension(devServer, debugPort, { lang: uiLang, timeZone });
    await use(context);
    await context.close();
  },
  serviceWorker: async ({ context }, use) => {
    let [sw] = context.serviceWorkers();
    if (!sw) sw = await context.waitForEvent('serviceworker', { timeout: 20_000 });
    await use(sw);
  },
  extensionId: async ({ serviceWorker }, use) => use(new URL(serviceWorker.url()).host),
  clickToolbar: async ({ context, extensionId }, use) => {
    await use(async (page) => {
      await page.bringToFront();
      const cdp = await context.browser()!.newBrowserCDPSession();
      const { targetInfos } = (await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] } as never)) as {
        targetInfos: { targetId: string; type: string; url: string }[];
      };
      const tab = targetInfos.find((t) => t.type === 'tab' && t.url === page.url());
      if (!tab) throw new Error(`no tab target for ${page.url()}`);
      await cdp.send('Extensions.triggerAction' as never, { id: extensionId, targetId: tab.targetId } as never);
      await cdp.detach();
    });
  },
  openPopup: async ({ context, clickToolbar, debugPort, extensionId }, use) => {
    const remotes: Browser[] = [];
    await use(async (page) => {
      const popupUrl = `chrome-extension://${extensionId}/popup.html`;
      await clickToolbar(page);
      // Wait for the popup target before connecting: a CDP connection made earlier does not
      // pick up the popup page created after it.
      const cdp = await context.browser()!.newBrowserCDPSession();
      await expect
        .poll(async () => {
          const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] };
          return targetInfos.some((t) => t.url === popupUrl);
        }, { timeout: 15_000 })
        .toBe(true);
      await cdp.detach();
      const remote = await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`);
      remotes.push(remote);
      const popup = remote.contexts()[0]?.pages().find((p) => p.url() === popupUrl);
      if (!popup) throw new Error('popup target exists but is not reachable over CDP');
      await popup.waitForLoadState('domcontentloaded');
      return popup;
    });
    for (const r of remotes) await r.close();
  },
  framesOf: async ({ serviceWorker }, use) => {
    await use(async (urlPart) => {
      const all = (await serviceWorker.evaluate(async () => (await chrome.storage.session.get('frames'))['frames'] ?? {})) as Record<string, FrameInfo[]>;
      return Object.values(all)
        .flat()
        .filter((f) => f.url.includes(urlPart));
    });
  },
  tabIdOf: async ({ serviceWorker }, use) => {
    await use(async (urlPart) => {
      let found: number | undefined;
      await expect
        .poll(async () => {
          const all = (await serviceWorker.evaluate(async () => (await chrome.storage.session.get('frames'))['frames'] ?? {})) as Record<string, FrameInfo[]>;
          found = Number(Object.entries(all).find(([, frames]) => frames.some((f) => f.url.includes(urlPart)))?.[0] ?? NaN);
          return Number.isInteger(found);
        })
        .toBe(true);
      return found!;
    });
  },
  callBackground: async ({ context, extensionId }, use) => {
    let page: Page | undefined;
    await use(async (type, data) => {
      if (!page || page.isClosed()) {
        page = await context.newPage();
        await page.goto(`chrome-extension://${extensionId}/viewer.html`);
      }
      // The @webext-core/messaging wire format: {id, type, data, timestamp} → {res} | {err}.
      const reply = (await page.evaluate(
        ({ type, data }) => chrome.runtime.sendMessage({ id: 1, type, data, timestamp: Date.now() }),
        { type, data },
      )) as { res?: unknown; err?: unknown };
      if (reply?.err) throw new Error(`background answered an error: ${JSON.stringify(reply.err)}`);
      return reply.res as never;
    });
  },
});

export { expect, chromium };
