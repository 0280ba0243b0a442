import { chromium, expect, test as base, type Browser, type BrowserContext, type Page, type Worker } from '@playwright/test';
import net from 'node:net';
import { chromiumArgs, chromiumEnv, CHROMIUM_PATH } from '../../dev/chromium';
import { clickToolbar, openPopup } from '../../dev/popup-driver';
import { startDevServer, type DevServer } from '../../dev/server';
import type { FrameInfo } from '../../lib/frames/registry';
import { tabIdOf } from './report-flow';

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
    await use((page) => clickToolbar(context, extensionId, page));
  },
  openPopup: async ({ context, debugPort, extensionId }, use) => {
    const remotes: Browser[] = [];
    await use(async (page) => {
      const { popup, remote } = await openPopup(context, extensionId, debugPort, page);
      remotes.push(remote);
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
    await use((urlPart) => tabIdOf(serviceWorker, urlPart));
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
