import { URLS } from '../../dev/hosts';
import { expect, test } from './fixtures';

test('the real toolbar button opens the real popup on the operator bar, which can capture the tab', async ({ context, openPopup, framesOf }) => {
  const page = await context.newPage();
  await page.goto(URLS.bar);
  await expect.poll(async () => (await framesOf('voice-management.axialys.com')).length).toBeGreaterThan(0);

  const popup = await openPopup(page);
  // The popup sees the page's tab as the active one (a real popup, not a tab of its own).
  const [active] = await popup.evaluate(() => chrome.tabs.query({ active: true, currentWindow: true }));
  expect(active?.url).toBe(URLS.bar);
  await expect(popup.getByTestId('surface')).toHaveText('Surface : Bandeau opérateur');
  await expect(popup.getByTestId('capture-status')).toHaveText('Témoin est actif sur cet onglet.');

  // The click granted activeTab: captureVisibleTab works with the production manifest.
  await popup.getByRole('button', { name: "Capturer l'écran" }).click();
  await expect(popup.getByTestId('shot-status')).toHaveText(/^Capture d'écran prise \(\d+ Ko\)$/);
  const src = await popup.locator('img').getAttribute('src');
  expect(src).toMatch(/^data:image\/jpeg;base64,/);
});

test('the popup names the CRM that embeds the bar', async ({ context, openPopup, framesOf }) => {
  const page = await context.newPage();
  await page.goto(URLS.crm);
  await expect.poll(async () => (await framesOf('voice-management.axialys.com')).length).toBeGreaterThan(0);
  const popup = await openPopup(page);
  await expect(popup.getByTestId('surface')).toHaveText('Surface : Bandeau opérateur (intégré dans crm.example.test)');
});

test('without the toolbar click, capture is refused (activeTab is the only grant)', async ({ context, serviceWorker }) => {
  const page = await context.newPage();
  await page.goto(URLS.bar);
  const result = await serviceWorker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    try {
      await chrome.tabs.captureVisibleTab(tab!.windowId, { format: 'jpeg' });
      return 'captured';
    } catch (e) {
      return String(e);
    }
  });
  expect(result).toContain('activeTab');
});
