/**
 * Issue 5's two other delivery modes, through the real popup, in the production build, against
 * the Zammad stand-in at https://zammad.axialys.net: each produces what it promises.
 *
 * Form mode (no token): the background files the report through Zammad's web form
 * (lib/delivery/deliver.ts deliverByForm: form_config, then form_submit with the reporter's name
 * and e-mail, the summary as text with the marker, and every attachment as `file[]`). The stand-in
 * holds exactly one ticket with the marker, made by its form controller (the ticket's
 * `preferences.form`, a web article from the customer "name <e-mail>"), with every attachment at
 * the size the preview listed and the screenshot and context.json byte for byte; the list shows
 * the report sent with its ticket number and link.
 *
 * Export mode: nothing is sent; the report waits in "Mes signalements" (needs attention, reason
 * exportMode) with its two files, downloaded from the popup's list: the zip bundle (context.json
 * as the preview showed it, the screenshot, report.html) and the .eml draft to the support
 * address, read back with the MIME reader of test/mime.ts: an unsent draft (`X-Unsent: 1`) to the
 * configured support e-mail, with the report's title as subject, the summary as text and HTML,
 * and the zip's files as attachments, byte for byte.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { BrowserContext, Download, Locator, Page, Worker } from '@playwright/test';
import { unzipSync } from 'fflate';
import { URLS } from '../../dev/hosts';
import { standInJson } from '../../dev/zammad/standin-client';
import { decodeBase64Body, decodeWords, param, parsePart } from '../mime';
import { expect, test } from './fixtures';
import { allTickets, attachmentBytes, FILES, fileReport, itemIn, tabIdOf, ticketsWith, type StoredTicket } from './report-flow';
import { fault } from './timeline';

const MIME_TYPES: Record<string, string> = { 'capture-1.jpg': 'image/jpeg', 'context.json': 'application/json', 'report.html': 'text/html' };
const REPORTER = { name: 'Marie Durand', email: 'marie.durand@client.example' };
const SUPPORT_EMAIL = 'support-technique@axialys.example';
const SURFACE_LABEL = 'Bandeau opérateur';
/** The checklist's required fields on the operator bar, typed as a user would (see delivery-matrix.spec.ts). */
const BAR_FIELDS = { company: 'Démo SARL', agentLogin: 'op-demo', agentStatus: 'Disponible' };

interface FormTicket extends StoredTicket {
  customer_id: number;
  preferences: { form?: { remote_ip: string; fingerprint_md5: string } };
  articles: {
    type_id: number;
    sender_id: number;
    from: string | null;
    subject: string | null;
    content_type: string;
    body: string;
    attachments: { id: number; filename: string; size: number; preferences: Record<string, string> }[];
  }[];
}

/** The user's settings, as the options page saves them (storage.local `settings`), from the service worker. */
const setSettings = (sw: Worker, settings: Record<string, unknown>) => sw.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);

/**
 * The operator bar at its production URL, its page scripts registered, a fault on it; then a report
 * of it filed through the real popup: the popup, what was filed, and its item in the list.
 */
async function fileFromBar(context: BrowserContext, sw: Worker, openPopup: (page: Page) => Promise<Page>, what: string) {
  const page = await context.newPage();
  page.on('pageerror', () => undefined);
  await page.goto(URLS.bar);
  await expect(page.locator('#operateur-login')).not.toBeEmpty();
  await tabIdOf(sw, '/operateurs/');
  await fault(page, 'exception');
  const popup = await openPopup(page);
  const filed = await fileReport(popup, what, BAR_FIELDS);
  return { popup, filed, item: itemIn(popup, filed.marker) };
}
/** Clicks a download button of the list and returns the file's name and bytes. */
async function downloadFrom(popup: Page, button: Locator): Promise<{ filename: string; bytes: Buffer }> {
  const [download] = (await Promise.all([popup.waitForEvent('download', { timeout: 30_000 }), button.click()])) as [Download, void];
  const file = await download.path();
  return { filename: download.suggestedFilename(), bytes: fs.readFileSync(file) };
}

test.beforeEach(async ({ devServer }) => {
  devServer.zammad.reset();
});

test('form mode, no token: one ticket through Zammad’s web form, from the reporter, with every attachment the preview listed', async ({
  context,
  serviceWorker,
  openPopup,
  devServer,
}) => {
  test.setTimeout(150_000);
  await setSettings(serviceWorker, { deliveryMode: 'form', reporterName: REPORTER.name, reporterEmail: REPORTER.email });
  // Zammad's web form is off by default; the administrator has switched it on.
  await standInJson(devServer.port, 'POST', '/__standin/knobs', { formEnabled: true });
  const what = 'Plus de son après le transfert (formulaire web).';
  const { filed, item } = await fileFromBar(context, serviceWorker, openPopup, what);

  await expect(item).toHaveAttribute('data-state', 'sent', { timeout: 90_000 });
  const tickets = await ticketsWith<FormTicket>(devServer, filed.marker);
  expect(tickets).toHaveLength(1);
  expect(await allTickets(devServer)).toHaveLength(1);
  const ticket = tickets[0]!;
  await expect(item.getByTestId('ticket-number')).toHaveText(`Ticket n° ${ticket.number}`);
  await expect(item.getByTestId('ticket-link')).toHaveAttribute('href', `https://zammad.axialys.net/#ticket/zoom/${ticket.id}`);

  // Made by the form controller, with the report's own fingerprint (`temoin-<marker>`).
  expect(ticket.preferences.form?.fingerprint_md5).toBe(createHash('md5').update(`temoin-${filed.marker}`).digest('hex'));
  expect(ticket.title.startsWith(`[${SURFACE_LABEL}] Plus de son après le transfert`)).toBe(true);
  await expect(item.locator('strong').first()).toHaveText(ticket.title);
  // One web article from the customer the form found or created by the given name and e-mail.
  expect(ticket.articles).toHaveLength(1);
  const article = ticket.articles[0]!;
  expect(article.type_id).toBe(11); // web
  expect(article.sender_id).toBe(3); // Customer
  expect(article.from).toBe(`${REPORTER.name} <${REPORTER.email}>`);
  expect(article.subject).toBe(ticket.title);
  expect(article.body).toContain(what);

  // Every attachment once, at the size the preview listed; the screenshot and context.json byte for byte.
  expect(article.attachments.map((f) => f.filename).sort()).toEqual(FILES);
  for (const f of article.attachments) {
    expect(f.size, f.filename).toBe(filed.sizes[f.filename]);
    expect(f.preferences['Mime-Type'], f.filename).toBe(MIME_TYPES[f.filename]);
  }
  expect((await attachmentBytes(devServer, ticket, 'capture-1.jpg')).equals(filed.shot)).toBe(true);
  expect((await attachmentBytes(devServer, ticket, 'context.json')).toString('utf8')).toBe(filed.contextJson);
  expect((await attachmentBytes(devServer, ticket, 'report.html')).toString('utf8')).toContain(filed.marker);
});

test('export mode: nothing sent, the report waits in the list; its zip and its .eml hold what the preview showed', async ({
  context,
  serviceWorker,
  openPopup,
  devServer,
}) => {
  test.setTimeout(150_000);
  await setSettings(serviceWorker, { deliveryMode: 'export', supportEmail: SUPPORT_EMAIL });
  const what = 'Plus de son après le transfert (mode export).';
  const { popup, filed, item } = await fileFromBar(context, serviceWorker, openPopup, what);

  await expect(item).toHaveAttribute('data-state', 'needs-attention', { timeout: 60_000 });
  await expect(item.getByTestId('outbox-state')).toHaveText('À vérifier');
  await expect(item.getByTestId('outbox-reason')).toHaveAttribute('data-reason', 'exportMode');
  await expect(item.getByTestId('ticket-number')).toHaveCount(0);
  expect(await allTickets(devServer)).toEqual([]);
  const title = (await item.locator('strong').first().textContent())!;
  expect(title.startsWith(`[${SURFACE_LABEL}] Plus de son après le transfert`)).toBe(true);

  // The zip bundle: the report's files in a folder named after its marker.
  const zip = await downloadFrom(popup, item.getByTestId('outbox-download-zip'));
  expect(zip.filename).toBe(`temoin-${filed.marker}.zip`);
  const entries = unzipSync(new Uint8Array(zip.bytes));
  expect(Object.keys(entries).sort()).toEqual(FILES.map((f) => `${filed.marker}/${f}`));
  const zipped = (name: string) => Buffer.from(entries[`${filed.marker}/${name}`]!);
  for (const f of FILES) expect(zipped(f).length, f).toBe(filed.sizes[f]);
  expect(zipped('context.json').toString('utf8')).toBe(filed.contextJson);
  expect(zipped('capture-1.jpg').equals(filed.shot)).toBe(true);
  const reportHtml = zipped('report.html').toString('utf8');
  expect(reportHtml.trimStart().toLowerCase().startsWith('<!doctype html>')).toBe(true);
  expect(reportHtml).toContain(filed.marker);

  // The .eml draft: an unsent message to the support address, the summary, the zip's files.
  const eml = await downloadFrom(popup, item.getByTestId('outbox-download-eml'));
  expect(eml.filename).toBe(`temoin-${filed.marker}.eml`);
  const raw = eml.bytes.toString('utf8');
  expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF lines only
  const msg = parsePart(raw);
  expect(msg.headers.get('x-unsent')).toBe('1');
  expect(msg.headers.get('to')).toBe(SUPPORT_EMAIL);
  expect(msg.headers.get('mime-version')).toBe('1.0');
  expect(msg.headers.get('x-temoin-report')).toBe(filed.marker);
  expect(decodeWords(msg.headers.get('subject')!)).toBe(title);
  expect(msg.headers.get('content-type')).toMatch(/^multipart\/mixed;\s+boundary="/);

  const [alt, ...files] = msg.parts;
  expect(alt!.headers.get('content-type')).toMatch(/^multipart\/alternative/);
  const [text, html] = alt!.parts;
  expect(alt!.parts).toHaveLength(2);
  expect(text!.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
  expect(html!.headers.get('content-type')).toBe('text/html; charset=UTF-8');
  for (const body of [decodeBase64Body(text!).toString('utf8'), decodeBase64Body(html!).toString('utf8')]) {
    expect(body).toContain(filed.marker);
    expect(body).toContain(what);
  }

  expect(files.map((f) => param(f.headers.get('content-disposition')!, 'filename')).sort()).toEqual(FILES);
  for (const f of files) {
    const name = param(f.headers.get('content-disposition')!, 'filename')!;
    expect(f.headers.get('content-disposition'), name).toMatch(/^attachment;/);
    expect(f.headers.get('content-transfer-encoding'), name).toBe('base64');
    expect(f.headers.get('content-type')!.startsWith(`${MIME_TYPES[name]};`), name).toBe(true);
    expect(param(f.headers.get('content-type')!, 'name'), name).toBe(name);
    expect(decodeBase64Body(f).equals(zipped(name)), name).toBe(true);
  }

  // Still nothing on the stand-in, and the report still waits for the user.
  expect(await allTickets(devServer)).toEqual([]);
  await expect(item).toHaveAttribute('data-state', 'needs-attention');
});
