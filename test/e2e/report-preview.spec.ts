import { expect, test } from './fixtures';
import { auditDom, XSS_CANARY_SELECTOR, XSS_PAYLOADS } from '../fixtures/xss-payloads';
import { brightness, redactTopLeftQuarter } from './pixels';
import { fault, openBar } from './timeline';

test('the preview shows what will leave, with the redaction burned into the pixels and the toggles applied', async ({ context, openPopup, tabIdOf }) => {
  const page = await context.newPage();
  await openBar(page);
  await expect(page.locator('#operateur-login')).not.toBeEmpty();
  // The frame agent (loaded once the page has settled) has registered: the snapshot will have the bar's fields.
  await tabIdOf('/operateurs/');
  await fault(page, 'exception');
  await page.evaluate(() => console.error('a console line for the preview'));
  const popup = await openPopup(page);
  await popup.getByTestId('triage-fault').check();
  await popup.getByTestId('description').fill('Le bouton Décrocher ne répond plus.');

  // Black out the top-left quarter of the screenshot, then check it in the exported pixels.
  await expect(popup.getByTestId('screenshot')).toHaveCount(1);
  await redactTopLeftQuarter(popup);

  await popup.getByRole('button', { name: 'Vérifier avant l’envoi' }).click();
  const preview = popup.getByTestId('preview');
  await expect(preview).toBeVisible();
  await expect(preview).toContainText('Bandeau opérateur');
  await expect(preview).toContainText('Le bouton Décrocher ne répond plus.');
  await expect(preview).toContainText(await page.locator('#operateur-login').innerText());
  const files = preview.getByTestId('preview-attachments').locator('li');
  await expect(files).toHaveCount(3);
  await expect(files.nth(0)).toHaveAttribute('data-filename', 'capture-1.jpg');
  await expect(files.nth(1)).toHaveAttribute('data-filename', 'context.json');
  await expect(files.nth(2)).toHaveAttribute('data-filename', 'report.html');
  const jpegBytes = Number(await files.nth(0).getAttribute('data-bytes'));
  expect(jpegBytes).toBeGreaterThan(1000);
  expect(jpegBytes).toBeLessThanOrEqual(250 * 1024);

  // The redacted region is black in the file that will be sent; the rest of the page is not.
  await expect(popup.getByTestId('preview-shot')).toHaveCount(1);
  expect(await brightness(popup, 'capture-1.jpg', { x0: 0.05, y0: 0.05, x1: 0.45, y1: 0.45 })).toBeLessThan(8);
  expect(await brightness(popup, 'capture-1.jpg', { x0: 0.55, y0: 0.55, x1: 0.95, y1: 0.95 })).toBeGreaterThan(40);

  // The counts and the full context.json say what will be sent; the console toggle removes the logs.
  await expect(preview.getByTestId('preview-counts')).toContainText(/ [1-9]\d* erreurs? non interceptées?/);
  await preview.getByRole('button', { name: 'Voir le fichier context.json complet' }).click();
  await expect(preview.getByTestId('preview-json')).toContainText('a console line for the preview');
  await expect(preview.getByTestId('preview-json')).toContainText('"schemaVersion": 1');
  await preview.getByTestId('include-console').uncheck();
  await expect(preview.getByTestId('preview-json')).not.toContainText('a console line for the preview');
  await expect(preview.getByTestId('preview-json')).toContainText('"console": false');
  await expect(preview.getByTestId('preview-counts')).toContainText(' 0 erreurs de console');

  // Back to the form: nothing typed is lost.
  await preview.getByRole('button', { name: 'Modifier' }).click();
  await expect(popup.getByTestId('description')).toHaveValue('Le bouton Décrocher ne répond plus.');
});

test('XSS payloads captured from the page and typed by the user stay text in the popup and its preview', async ({ context, openPopup, tabIdOf }) => {
  test.setTimeout(120_000);
  const page = await context.newPage();
  await openBar(page);
  await tabIdOf('/operateurs/');
  // Every payload reaches the capture as console text (three calls: the console kind is rate-limited per second).
  await page.evaluate((payloads) => {
    for (let i = 0; i < payloads.length; i += 45) console.error(...payloads.slice(i, i + 45));
  }, [...XSS_PAYLOADS]);
  const popup = await openPopup(page);
  const hits: string[] = [];
  popup.on('dialog', (d) => {
    hits.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  popup.on('pageerror', (e) => hits.push(`pageerror: ${e.message}`));
  await popup.evaluate(() => Object.defineProperty(window, '__xssHit', { value: (n: unknown) => document.documentElement.setAttribute('data-xss-hit', String(n)) }));

  await popup.getByTestId('triage-fault').check();
  await popup.getByTestId('description').fill(XSS_PAYLOADS.join('\n').slice(0, 5000));
  await popup.getByTestId('field-headset').fill(XSS_PAYLOADS.slice(0, 12).join(' ').slice(0, 500));
  // The recent events, payloads included, are listed for picking the fault's time.
  await popup.getByLabel('Lors d’un événement récent').check();
  await expect(popup.getByTestId('fault-event').locator('option').first()).toContainText('console.error');
  await popup.getByRole('button', { name: 'Vérifier avant l’envoi' }).click();
  const preview = popup.getByTestId('preview');
  await expect(preview).toBeVisible();
  await preview.getByRole('button', { name: 'Voir le fichier context.json complet' }).click();
  // Rendered as text, verbatim.
  const plain = XSS_PAYLOADS.find((x) => x.includes('<') && x.length < 80 && !/["\\\s\u0000-\u001f]/.test(x))!;
  await expect(preview.locator('.preview-fields')).toContainText(plain);
  await expect(preview.getByTestId('preview-json')).toContainText(plain);

  expect(await popup.evaluate(() => document.documentElement.getAttribute('data-xss-hit'))).toBeNull();
  expect(hits).toEqual([]);
  for (const root of ['.preview-fields', '[data-testid="preview-json"]', '[data-testid="preview-counts"]']) {
    expect(await popup.evaluate(auditDom, { canary: XSS_CANARY_SELECTOR, root }), root).toEqual([]);
  }
});
