/**
 * The happy path, end to end, on each surface: a fault on the page, the real toolbar button, the
 * real popup (triage, checklist, description, preview, Send), the background's delivery to the
 * Zammad stand-in at https://zammad.axialys.net. The ticket is then read back on the stand-in:
 * title, group, tags, marker, and every attachment byte for byte against what the preview showed;
 * its report.html is opened from disk and shows the fault's error in its timeline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { URLS } from '../../dev/hosts';
import { SEED_TOKENS } from '../../dev/zammad/index';
import { expect, test } from './fixtures';
import { brightness, redactTopLeftQuarter } from './pixels';
import { attachmentBytes, FILES, fillFault, itemIn, readPreview, sendReport, ticketsWith, type StoredTicket } from './report-flow';
import { fault } from './timeline';

const CASES = [
  { surface: 'bar', label: 'Bandeau opérateur', url: URLS.bar, path: '/operateurs/', login: '#operateur-login', error: "reading 'id_appel'", extra: {} },
  { surface: 'supervision', label: 'Supervision', url: URLS.supervision, path: '/superviseurs/', login: '#superviseur-login', error: "reading 'nom'", extra: {} },
  {
    surface: 'extranet',
    label: 'Extranet',
    url: URLS.extranet,
    path: 'admin.axialys.net',
    login: '#admin-login',
    error: "reading 'dialplan'",
    extra: { actionPerformed: 'Enregistrement de la fiche opérateur' },
  },
] as const;

test.beforeEach(async ({ devServer, serviceWorker }) => {
  devServer.zammad.reset();
  await serviceWorker.evaluate((token) => chrome.storage.local.set({ settings: { zammadToken: token } }), SEED_TOKENS.agent);
});

for (const c of CASES) {
  test(`${c.surface}: Send files one complete ticket, and its report.html shows the fault from disk`, async ({ context, openPopup, tabIdOf, devServer }) => {
    test.setTimeout(150_000);
    const page = await context.newPage();
    page.on('pageerror', () => undefined);
    await page.goto(c.url);
    await expect(page.locator(c.login)).not.toBeEmpty();
    await tabIdOf(c.path);
    await fault(page, 'exception');

    const popup = await openPopup(page);
    const what = `Plus rien ne répond sur ${c.label} après l’erreur.`;
    await fillFault(popup, what, c.extra);
    await redactTopLeftQuarter(popup);
    const { marker, sizes, contextJson, shot } = await readPreview(popup);
    // The black-out is in the pixels that will be sent; the rest of the page is not black.
    expect(await brightness(popup, 'capture-1.jpg', { x0: 0.05, y0: 0.05, x1: 0.45, y1: 0.45 })).toBeLessThan(8);
    expect(await brightness(popup, 'capture-1.jpg', { x0: 0.55, y0: 0.55, x1: 0.95, y1: 0.95 })).toBeGreaterThan(40);
    await sendReport(popup);
    const item = itemIn(popup, marker);
    await expect(item).toHaveAttribute('data-state', 'sent', { timeout: 60_000 });

    // Exactly one ticket carries the marker; it holds what the preview promised.
    const tickets = await ticketsWith<StoredTicket & { group_id: number; tags: string[] }>(devServer, marker);
    expect(tickets).toHaveLength(1);
    const ticket = tickets[0]!;
    await expect(item.getByTestId('ticket-number')).toContainText(ticket.number);
    expect(ticket.title.startsWith(`[${c.label}] Plus rien ne répond`)).toBe(true);
    expect(ticket.tags).toEqual(expect.arrayContaining(['temoin', c.surface]));
    const files = ticket.articles.flatMap((a) => a.attachments);
    expect(files.map((f) => f.filename).sort()).toEqual(FILES);
    const bytes = (name: string) => attachmentBytes(devServer, ticket, name);
    for (const f of files) expect(f.size, f.filename).toBe(sizes[f.filename]);
    expect((await bytes('capture-1.jpg')).equals(shot)).toBe(true);
    expect((await bytes('context.json')).toString('utf8')).toBe(contextJson);

    // Support's side: the report.html attachment, saved to disk and opened from file://.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-report-'));
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, await bytes('report.html'));
    const reader = await context.newPage();
    const requests: string[] = [];
    reader.on('request', (r) => requests.push(r.url()));
    await reader.goto(pathToFileURL(file).href);
    await expect(reader.locator('body')).toContainText(what);
    await expect(reader.locator('body')).toContainText(c.error);
    // Self-contained: nothing but the file itself (and its data: images) is loaded.
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
