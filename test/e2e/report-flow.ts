/**
 * What the e2e specs that file reports share: filing a fault through the open popup (triage,
 * description, checklist fields, the preview's promises, Send), the outbox list's items, the
 * frames the background registered, and the tickets on the Zammad stand-in.
 */
import { expect, type Locator, type Page, type Worker } from '@playwright/test';
import type { DevServer } from '../../dev/server';
import { standInJson, standInRequest } from '../../dev/zammad/standin-client';
import type { FrameInfo } from '../../lib/frames/registry';

/** The attachments of every report, sorted. */
export const FILES = ['capture-1.jpg', 'context.json', 'report.html'];

export interface StoredTicket {
  id: number;
  number: string;
  title: string;
  articles: { body: string; attachments: { id: number; filename: string; size: number }[] }[];
}

export const allTickets = <T extends StoredTicket = StoredTicket>(devServer: DevServer): Promise<T[]> => standInJson<T[]>(devServer.port, 'GET', '/__standin/tickets');

/** The stand-in's tickets whose articles carry the marker. */
export const ticketsWith = async <T extends StoredTicket = StoredTicket>(devServer: DevServer, marker: string): Promise<T[]> =>
  (await allTickets<T>(devServer)).filter((t) => t.articles.some((a) => a.body.includes(marker)));

/** One attachment of a stored ticket, as the stand-in keeps it. */
export async function attachmentBytes(devServer: DevServer, ticket: StoredTicket, filename: string): Promise<Buffer> {
  const file = ticket.articles.flatMap((a) => a.attachments).find((f) => f.filename === filename)!;
  const res = await standInRequest(devServer.port, 'GET', `/__standin/files/${ticket.id}/${file.id}`);
  if (res.status !== 200) throw new Error(`attachment ${filename}: HTTP ${res.status}`);
  return res.body;
}

/** The tab whose page scripts registered a frame whose URL contains urlPart (waits for it). */
export async function tabIdOf(sw: Worker, urlPart: string): Promise<number> {
  let found: number | undefined;
  await expect
    .poll(async () => {
      const all = (await sw.evaluate(async () => (await chrome.storage.session.get('frames'))['frames'] ?? {})) as Record<string, FrameInfo[]>;
      found = Number(Object.entries(all).find(([, frames]) => frames.some((f) => f.url.includes(urlPart)))?.[0] ?? NaN);
      return Number.isInteger(found);
    })
    .toBe(true);
  return found!;
}

/** The bytes the popup will send for one screenshot, read back from the preview's object URL. */
export async function previewImageBytes(popup: Page, filename: string): Promise<Buffer> {
  const b64 = await popup.evaluate(async (filename) => {
    const img = document.querySelector<HTMLImageElement>(`img[data-testid="preview-shot"][data-filename="${filename}"]`)!;
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin);
  }, filename);
  return Buffer.from(b64, 'base64');
}

/** In the open popup: a fault, its description and the given checklist fields. */
export async function fillFault(popup: Page, what: string, fields: Record<string, string>): Promise<void> {
  await popup.getByTestId('triage-fault').check();
  await expect(popup.getByTestId('screenshot')).toHaveCount(1);
  await popup.getByTestId('description').fill(what);
  for (const [id, value] of Object.entries(fields)) await popup.getByTestId(`field-${id}`).fill(value);
}

export interface Previewed {
  marker: string;
  /** Attachment sizes in bytes, as the preview lists them. */
  sizes: Record<string, number>;
  /** context.json as the preview shows it. */
  contextJson: string;
  /** The screenshot as the preview shows it. */
  shot: Buffer;
}

/** Opens the preview and reads what it promises: the marker, the three files and their sizes, context.json, the screenshot. */
export async function readPreview(popup: Page): Promise<Previewed> {
  await popup.getByRole('button', { name: 'Vérifier avant l’envoi' }).click();
  const preview = popup.getByTestId('preview');
  await expect(preview).toBeVisible({ timeout: 30_000 });
  const listed = preview.getByTestId('preview-attachments').locator('li');
  await expect(listed).toHaveCount(3);
  await preview.getByRole('button', { name: 'Voir le fichier context.json complet' }).click();
  const contextJson = (await preview.getByTestId('preview-json').textContent())!;
  const marker = (JSON.parse(contextJson) as { id: string }).id;
  expect(marker).toMatch(/^TMN-/);
  const sizes = Object.fromEntries(
    await listed.evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-filename')!, Number(li.getAttribute('data-bytes'))])),
  ) as Record<string, number>;
  expect(Object.keys(sizes).sort()).toEqual(FILES);
  const shot = await previewImageBytes(popup, 'capture-1.jpg');
  expect(shot.length).toBe(sizes['capture-1.jpg']);
  return { marker, sizes, contextJson, shot };
}

/** Send, from the preview: the popup says the report is queued. */
export async function sendReport(popup: Page): Promise<void> {
  await popup.getByTestId('send').click();
  await expect(popup.getByTestId('report-queued')).toBeVisible();
}

/** fillFault, readPreview, sendReport. */
export async function fileReport(popup: Page, what: string, fields: Record<string, string>): Promise<Previewed> {
  await fillFault(popup, what, fields);
  const previewed = await readPreview(popup);
  await sendReport(popup);
  return previewed;
}

/** A report's item in the outbox list ("Mes signalements"). */
export const itemIn = (page: Page, marker: string): Locator => page.locator(`[data-testid="outbox-item"][data-id="${marker}"]`);
