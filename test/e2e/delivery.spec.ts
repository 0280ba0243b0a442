/**
 * Delivery in the real extension (production build, stand-in at https://zammad.axialys.net), from
 * the options page's list: a report queued from an extension page, a wrong token fixed in the
 * options, retry, delete and export mode. Tickets are counted on the stand-in. The fault matrix
 * (Zammad's errors, the worker stopped mid-send, a browser restart) runs through the real popup in
 * delivery-matrix.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Page, Worker } from '@playwright/test';
import { SEED_TOKENS } from '../../dev/zammad/index';
import { newItem } from '../../lib/delivery/outbox';
import { expect, test } from './fixtures';
import { allTickets, itemIn, ticketsWith } from './report-flow';

/** What the popup hands to enqueue(): attachments as bytes (rebuilt as Blobs in the page). */
function report() {
  const id = `TMN-${randomUUID()}`;
  const files = [
    { filename: 'capture-1.jpg', mimeType: 'image/jpeg', bytes: [0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 30_000 }, (_, i) => (i * 31) & 0xff)] },
    { filename: 'context.json', mimeType: 'application/json', bytes: [...Buffer.from(JSON.stringify({ schemaVersion: 1, id, note: 'é ✓' }))] },
    { filename: 'report.html', mimeType: 'text/html', bytes: [...Buffer.from(`<!doctype html><title>${id}</title>`)] },
  ];
  const record = newItem({ id, createdAt: Date.now(), surface: 'bar', title: '[Bandeau opérateur] Plus de son', bodyHtml: '<p>Plus de son après le transfert.</p>', attachments: [] });
  return { id, files, record };
}

/**
 * Queues the report in the extension's IndexedDB from an extension page, exactly as enqueue()
 * stores it (the record comes from lib/delivery/outbox's newItem), then asks the background to
 * flush, with the @webext-core/messaging wire format. The page must have opened the database
 * (the outbox list does).
 */
async function enqueueAndFlush(page: Page, r: ReturnType<typeof report>): Promise<void> {
  await page.evaluate(async ({ record, files }) => {
    const attachments = files.map((f) => {
      const data = new Blob([new Uint8Array(f.bytes)], { type: f.mimeType });
      return { filename: f.filename, mimeType: f.mimeType, data, size: data.size, level: 0 };
    });
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('temoin');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('outbox', 'readwrite');
      tx.objectStore('outbox').put({ ...record, attachments });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    new BroadcastChannel('temoin-outbox').postMessage({ type: 'changed' });
    await chrome.runtime.sendMessage({ id: 1, type: 'flushOutbox', timestamp: Date.now() });
  }, r);
}

async function openOptions(page: Page, extensionId: string): Promise<void> {
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(page.getByTestId('outbox')).toBeVisible();
}

async function saveToken(page: Page, token: string): Promise<void> {
  await page.getByLabel("Jeton d'accès Zammad").fill(token);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByTestId('options-status')).toHaveText('Réglages enregistrés.');
}

const badge = (sw: Worker) => sw.evaluate(() => chrome.action.getBadgeText({}));
const notifications = (sw: Worker) => sw.evaluate(async () => Object.keys(await chrome.notifications.getAll()));

test.beforeEach(async ({ devServer }) => {
  devServer.zammad.reset();
});

test('a queued report becomes one ticket with every attachment; the list shows its number and link', async ({ context, extensionId, devServer }) => {
  const page = await context.newPage();
  await openOptions(page, extensionId);
  await saveToken(page, SEED_TOKENS.agent);
  const r = report();
  await enqueueAndFlush(page, r);

  const item = itemIn(page, r.id);
  await expect(item).toHaveAttribute('data-state', 'sent');
  const [ticket] = await ticketsWith(devServer, r.id);
  expect(ticket).toBeDefined();
  await expect(item.getByTestId('ticket-number')).toHaveText(`Ticket n° ${ticket!.number}`);
  await expect(item.getByTestId('ticket-link')).toHaveAttribute('href', `https://zammad.axialys.net/#ticket/zoom/${ticket!.id}`);
  expect(ticket!.articles.flatMap((a) => a.attachments).map((a) => [a.filename, a.size])).toEqual(r.files.map((f) => [f.filename, f.bytes.length]));
  expect(await ticketsWith(devServer, r.id)).toHaveLength(1);
});

test('a wrong token: needs attention, kept, badge counts it; fixing the token in the options sends it', async ({ context, extensionId, devServer, serviceWorker }) => {
  const page = await context.newPage();
  await openOptions(page, extensionId);
  await saveToken(page, 'not-a-real-token');
  const r = report();
  await enqueueAndFlush(page, r);

  const item = itemIn(page, r.id);
  await expect(item).toHaveAttribute('data-state', 'needs-attention');
  await expect(item.getByTestId('outbox-state')).toHaveText('À vérifier');
  await expect(item.getByTestId('outbox-reason')).toHaveAttribute('data-reason', 'auth');
  await expect(item.getByTestId('outbox-reason')).toContainText('Zammad refuse le jeton d’accès.');
  await expect(item.getByTestId('outbox-detail')).toHaveText("Réponse de Zammad : Can't find User for Token");
  await expect(item.getByTestId('outbox-retry')).toBeVisible();
  await expect(item.getByTestId('outbox-download-eml')).toBeVisible();
  expect(await allTickets(devServer)).toEqual([]);
  await expect.poll(() => badge(serviceWorker)).toBe('1');
  await expect.poll(() => notifications(serviceWorker)).toContain(`temoin-attention:${r.id}`);

  await saveToken(page, SEED_TOKENS.agent);
  await expect(item).toHaveAttribute('data-state', 'sent');
  const tickets = await ticketsWith(devServer, r.id);
  expect(tickets).toHaveLength(1);
  await expect(item.getByTestId('ticket-number')).toHaveText(`Ticket n° ${tickets[0]!.number}`);
  await expect.poll(() => badge(serviceWorker)).toBe('');
  await expect.poll(() => notifications(serviceWorker)).toContain(`temoin-sent:${r.id}`);
});

test('retry and delete from the list; an unsent report is deleted only on a second click', async ({ context, extensionId, devServer }) => {
  const page = await context.newPage();
  await openOptions(page, extensionId);
  await saveToken(page, SEED_TOKENS.agent);
  await page.getByLabel('Groupe Zammad').fill('Groupe inconnu');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByTestId('options-status')).toHaveText('Réglages enregistrés.');
  const r = report();
  await enqueueAndFlush(page, r);
  const item = itemIn(page, r.id);
  await expect(item.getByTestId('outbox-reason')).toHaveAttribute('data-reason', 'invalid');
  await expect(item.getByTestId('outbox-detail')).toHaveText(`Réponse de Zammad : No lookup value found for 'group': "Groupe inconnu"`);

  await page.getByLabel('Groupe Zammad').fill('Users');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  // A content refusal is not cured by the settings alone: the user retries.
  await expect(item).toHaveAttribute('data-state', 'needs-attention');
  await item.getByTestId('outbox-retry').click();
  await expect(item).toHaveAttribute('data-state', 'sent');
  expect(await ticketsWith(devServer, r.id)).toHaveLength(1);

  // Export mode keeps the next report here, for the user to send by e-mail.
  await page.getByLabel('Mode d’envoi').selectOption('export');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  const r2 = report();
  await enqueueAndFlush(page, r2);
  const item2 = itemIn(page, r2.id);
  await expect(item2.getByTestId('outbox-reason')).toHaveAttribute('data-reason', 'exportMode');
  const download = page.waitForEvent('download');
  await item2.getByTestId('outbox-download-eml').click();
  expect((await download).suggestedFilename()).toBe(`temoin-${r2.id}.eml`);

  await item2.getByTestId('outbox-delete').click();
  await expect(item2).toBeVisible();
  await expect(item2.getByTestId('outbox-delete')).toHaveAttribute('data-confirm', 'true');
  await item2.getByTestId('outbox-delete').click();
  await expect(item2).toHaveCount(0);
  await item.getByTestId('outbox-delete').click(); // sent: at once
  await expect(item).toHaveCount(0);
  expect(await ticketsWith(devServer, r2.id)).toHaveLength(0);
});
