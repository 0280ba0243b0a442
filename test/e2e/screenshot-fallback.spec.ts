import type { Page } from '@playwright/test';
import { URLS } from '../../dev/hosts';
import { expect, test } from './fixtures';
import { openBar } from './timeline';

/** Mean and spread of the brightness of a screenshot shown in the popup (a blank image has no spread). */
function stats(popup: Page, source: string): Promise<{ mean: number; spread: number; width: number }> {
  return popup.evaluate(async (source) => {
    const fig = document.querySelector(`[data-testid="screenshot"][data-source="${source}"]`)!;
    const shown = fig.querySelector('canvas')!;
    const ctx = shown.getContext('2d')!;
    const d = ctx.getImageData(0, 0, shown.width, shown.height).data;
    let sum = 0;
    let sq = 0;
    const n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i]! + d[i + 1]! + d[i + 2]!) / 3;
      sum += v;
      sq += v * v;
    }
    const mean = sum / n;
    return { mean, spread: Math.sqrt(sq / n - mean * mean), width: shown.width };
  }, source);
}

test('when the browser refuses the screenshot, the page is redrawn from its DOM and marked as such', async ({ context, openPopup }) => {
  const page = await context.newPage();
  await page.goto(`${URLS.bar}?demo_appel_auto=0`);
  await expect(page.locator('#cti-etat')).toHaveAttribute('data-etat', 'connecte');
  const popup = await openPopup(page);
  await popup.getByTestId('triage-fault').check();
  await expect(popup.locator('[data-testid="screenshot"][data-source="tab"]')).toHaveCount(1);

  // Navigating to another site revokes the toolbar click's activeTab grant: a new native
  // capture is refused by the browser.
  await page.goto(URLS.extranet);
  await expect(page.locator('body[data-vm-interface="administrateur"]')).toHaveCount(1);
  await expect.poll(() => popup.evaluate(() => chrome.tabs.query({ active: true }).then((t) => t.some((x) => x.url?.includes('admin.axialys.net'))))).toBe(true);
  await popup.getByRole('button', { name: 'Reprendre la capture' }).click();

  const rendered = popup.locator('[data-testid="screenshot"][data-source="page-render"]');
  await expect(rendered).toHaveCount(1, { timeout: 30_000 });
  await expect(rendered).toContainText('redessinée à partir de la page');
  await expect(popup.locator('[data-testid="screenshot"][data-source="tab"]')).toHaveCount(0);
  await expect(popup.getByTestId('shot-status')).toHaveCount(0);
  // A real drawing of the page, not a blank canvas.
  const s = await stats(popup, 'page-render');
  expect(s.spread).toBeGreaterThan(10);
});

test('during a live call the redrawing waits for the user, who is told why', async ({ context, openPopup }) => {
  const page = await context.newPage();
  await openBar(page);
  // The demo bar rings an incoming call 4 s after login.
  await expect(page.locator('#fiche-appel')).toBeVisible({ timeout: 15_000 });
  const popup = await openPopup(page);
  await popup.getByTestId('triage-fault').check();
  await expect(popup.locator('[data-testid="screenshot"][data-source="tab"]')).toHaveCount(1);
  await page.goto(URLS.extranet);
  await expect(page.locator('body[data-vm-interface="administrateur"]')).toHaveCount(1);
  await popup.getByRole('button', { name: 'Reprendre la capture' }).click();

  const offer = popup.getByTestId('fallback-offer');
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('Un appel est en cours');
  await expect(popup.locator('[data-testid="screenshot"][data-source="page-render"]')).toHaveCount(0);
  await offer.getByTestId('render-fallback').click();
  await expect(popup.locator('[data-testid="screenshot"][data-source="page-render"]')).toHaveCount(1, { timeout: 30_000 });
  await expect(offer).toHaveCount(0);
});
