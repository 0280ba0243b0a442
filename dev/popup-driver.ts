/**
 * Drives the real extension UI from outside, as a user would: the real toolbar button (CDP
 * `Extensions.triggerAction`, which also grants activeTab; needs `--enable-unsafe-extension-debugging`)
 * and the real popup (reached through a second CDP connection, since the popup is not a page of
 * the launching context). Shared by the e2e fixtures and `npm start -- --smoke`.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Clicks Témoin's toolbar button on the page's tab. */
export async function clickToolbar(context: BrowserContext, extensionId: string, page: Page): Promise<void> {
  await page.bringToFront();
  const cdp = await context.browser()!.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets', { filter: [{ type: 'tab' }] } as never)) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const tab = targetInfos.find((t) => t.type === 'tab' && t.url === page.url());
    if (!tab) throw new Error(`no tab target for ${page.url()}`);
    await cdp.send('Extensions.triggerAction' as never, { id: extensionId, targetId: tab.targetId } as never);
  } finally {
    await cdp.detach();
  }
}

/**
 * Clicks the toolbar button and returns the real popup. Close `remote` when done with it.
 * The popup target is awaited before connecting: a connection made earlier does not pick it up.
 */
export async function openPopup(context: BrowserContext, extensionId: string, debugPort: number, page: Page): Promise<{ popup: Page; remote: Browser }> {
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;
  await clickToolbar(context, extensionId, page);
  const cdp = await context.browser()!.newBrowserCDPSession();
  try {
    await until('the popup target', async () => {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] };
      return targetInfos.some((t) => t.url === popupUrl);
    });
  } finally {
    await cdp.detach();
  }
  const remote = await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`);
  const popup = remote.contexts()[0]?.pages().find((p) => p.url() === popupUrl);
  if (!popup) {
    await remote.close();
    throw new Error('popup target exists but is not reachable over CDP');
  }
  await popup.waitForLoadState('domcontentloaded');
  return { popup, remote };
}

/**
 * Files a fault through the open popup: triage, description, the given checklist fields,
 * review, Send; waits for the outbox to say "sent". Returns the report's marker and ticket number.
 */
export async function fileFault(popup: Page, opts: { description: string; fields?: Record<string, string>; timeoutMs?: number }): Promise<{ marker: string; ticket: string }> {
  await popup.getByTestId('triage-fault').check();
  await popup.getByTestId('screenshot').first().waitFor();
  await popup.getByTestId('description').fill(opts.description);
  for (const [id, value] of Object.entries(opts.fields ?? {})) await popup.getByTestId(`field-${id}`).fill(value);
  await popup.locator('form button[type="submit"]').click();
  const preview = popup.getByTestId('preview');
  await preview.waitFor();
  const marker = await until('the report marker', async () => {
    await preview.locator('button[aria-expanded="false"]').first().click().catch(() => undefined);
    const json = await popup.getByTestId('preview-json').textContent().catch(() => null);
    return json ? ((JSON.parse(json) as { id?: string }).id ?? null) : null;
  });
  await popup.getByTestId('send').click();
  const item = popup.locator(`[data-testid="outbox-item"][data-id="${marker}"]`);
  await until('the ticket', async () => (await item.getAttribute('data-state').catch(() => null)) === 'sent', opts.timeoutMs ?? 60_000);
  const ticket = ((await item.getByTestId('ticket-number').textContent()) ?? '').replace(/\D+/g, '');
  return { marker, ticket };
}
