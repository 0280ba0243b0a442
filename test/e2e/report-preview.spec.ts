import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fault, openBar } from './timeline';

/** Mean brightness (0–255) of a region of an <img>, given as fractions of its natural size. */
function brightness(popup: Page, filename: string, box: { x0: number; y0: number; x1: number; y1: number }): Promise<number> {
  return popup.evaluate(
    async ({ filename, box }) => {
      const img = document.querySelector<HTMLImageElement>(`img[data-filename="${filename}"]`)!;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const x = Math.round(box.x0 * c.width);
      const y = Math.round(box.y0 * c.height);
      const d = ctx.getImageData(x, y, Math.max(1, Math.round(box.x1 * c.width) - x), Math.max(1, Math.round(box.y1 * c.height) - y)).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += (d[i]! + d[i + 1]! + d[i + 2]!) / 3;
      return sum / (d.length / 4);
    },
    { filename, box },
  );
}

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
  await popup.getByTestId('redact-tool').click();
  const canvas = popup.locator('canvas.shot-canvas');
  const box = (await canvas.boundingBox())!;
  await popup.mouse.move(box.x + 2, box.y + 2);
  await popup.mouse.down();
  await popup.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await popup.mouse.up();

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
