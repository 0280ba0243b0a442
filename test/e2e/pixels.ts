import type { Page } from '@playwright/test';

/** Draws a black-out over the top-left quarter of the (first) screenshot in the popup's editor. */
export async function redactTopLeftQuarter(popup: Page): Promise<void> {
  await popup.getByTestId('redact-tool').click();
  const box = (await popup.locator('canvas.shot-canvas').first().boundingBox())!;
  await popup.mouse.move(box.x + 2, box.y + 2);
  await popup.mouse.down();
  await popup.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await popup.mouse.up();
}

/** Mean brightness (0–255) of a region of an <img>, given as fractions of its natural size. */
export function brightness(popup: Page, filename: string, box: { x0: number; y0: number; x1: number; y1: number }): Promise<number> {
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

