import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { FIREFOX_BUILD, FIREFOX_PATH } from '../../dev/chromium';
import { URLS } from '../../dev/hosts';
import { startConnectProxy } from '../../dev/proxy';
import { startDevServer, type DevServer } from '../../dev/server';
import { SEED_TOKENS } from '../../dev/zammad/index';
import { newItem, type OutboxItem } from '../../lib/delivery/outbox';
import type { FrameInfo } from '../../lib/frames/registry';
import { GECKO_ID } from '../../lib/identity';
import { AddonBackground, freePort, RDP_PREFS, RdpClient } from './rdp';
import { attachmentBytes, ticketsWith } from './standin';

// Playwright cannot drive stock Firefox; puppeteer-core drives firefox-esr over WebDriver BiDi.
// Firefox has no --host-resolver-rules, so it reaches the production URLs through a local
// CONNECT proxy that tunnels only the demo hosts to the demo HTTPS server.
// BiDi cannot reach moz-extension:// documents; Firefox's own Remote Debugging Protocol (the
// devtools server that about:debugging and web-ext use, test/firefox/rdp.ts) runs code in the
// extension's background page.

let server: DevServer;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
let browser: Browser;
let rdpPort: number;
let rdp: RdpClient | undefined;

test.beforeAll(async () => {
  server = await startDevServer();
  proxy = await startConnectProxy(server.port);
  rdpPort = await freePort();
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    acceptInsecureCerts: true,
    args: ['-start-debugger-server', String(rdpPort)],
    extraPrefsFirefox: {
      ...RDP_PREFS,
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      'intl.locale.requested': 'fr',
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: '6f1b7a52-2c1e-4a8e-9a43-0d2a3f9e7c11' }),
    },
  });
  await browser.installExtension(FIREFOX_BUILD);
});

test.afterAll(async () => {
  rdp?.close();
  await browser?.close();
  await proxy?.close();
  await server?.close();
});

/** The background page, over RDP (attached once, on first use). */
let background: AddonBackground | undefined;
async function bg(): Promise<AddonBackground> {
  rdp ??= await RdpClient.connect(rdpPort);
  background ??= await AddonBackground.attach(rdp, GECKO_ID);
  return background;
}

/** The extension's WebExtension namespace, inside a function run in the background page. */
type Ext = typeof chrome;

/** The background's frame registry (storage.session "frames", lib/frames/store.ts), for URLs containing `part`. */
async function framesOf(part: string): Promise<FrameInfo[]> {
  const all = await (await bg()).call(async () => {
    const ext = (globalThis as unknown as { browser: Ext }).browser;
    return ((await ext.storage.session.get('frames')) as { frames?: Record<string, FrameInfo[]> }).frames ?? {};
  });
  return Object.values(all)
    .flat()
    .filter((f) => f.url.includes(part));
}

/** Whether the background's tab histories (storage.session "history:<tab>") hold `text`. */
async function historyHolds(text: string): Promise<boolean> {
  return (await bg()).call(async (t: string) => {
    const ext = (globalThis as unknown as { browser: Ext }).browser;
    const all = (await ext.storage.session.get(null)) as Record<string, unknown>;
    return Object.entries(all).some(([k, v]) => k.startsWith('history:') && JSON.stringify(v).includes(t));
  }, text);
}

/** Letters only, so that no scrubbing rule (tokens, numbers) rewrites it. */
const sentinel = () => `sentinelle ${Array.from(randomUUID().replace(/-/g, ''), (c) => String.fromCharCode(97 + (parseInt(c, 16) % 26))).join('')}`;

test('Firefox: the installed build hooks the demo operator bar at its production URL; a console error reaches the background', async () => {
  const page = await browser.newPage();
  await page.goto(URLS.bar, { waitUntil: 'load' });
  expect(await page.evaluate(() => location.href)).toBe(URLS.bar);
  // The bridge registered the top frame with the background once the MAIN-world hook answered
  // its handshake (the hook keeps Function.prototype.toString native-looking, so that cannot tell).
  await expect.poll(async () => (await framesOf(new URL(URLS.bar).host)).filter((f) => f.frameId === 0 && f.hook)).toHaveLength(1);
  const [frame] = await framesOf(new URL(URLS.bar).host);
  expect(frame).toMatchObject({ surface: 'bar', url: URLS.bar, topOrigin: new URL(URLS.bar).origin });
  // The hooked console still behaves (same return value, any this), and what it logs travels
  // hook → bridge → frame agent → background (handed over every few seconds).
  const text = sentinel();
  expect(await page.evaluate((t) => console.error.call(null, t) === undefined, text)).toBe(true);
  await expect.poll(() => historyHolds(text), { timeout: 20_000 }).toBe(true);
  await page.close();
});

test('Firefox: nothing of ours runs on a non-Axialys page', async () => {
  const page = await browser.newPage();
  await page.goto(URLS.other, { waitUntil: 'load' });
  expect(await page.evaluate(() => location.host)).toBe('www.example.test');
  // Positive control in the same browser: an Axialys page loaded after it does register.
  const extranet = await browser.newPage();
  await extranet.goto(URLS.extranet, { waitUntil: 'load' });
  await expect.poll(async () => (await framesOf(new URL(URLS.extranet).host)).filter((f) => f.hook && f.surface === 'extranet')).toHaveLength(1);
  expect(await framesOf('www.example.test')).toEqual([]);
  await extranet.close();
  await page.close();
});

// --- Delivery: a report queued in the outbox becomes one ticket on the Zammad stand-in -------------

/** lib/background/delivery.ts OUTBOX_ALARM: the runner's wake-up alarm (that module needs WXT's #imports). */
const OUTBOX_ALARM = 'temoin-outbox';

/** A report as the popup hands it to enqueue(): the record from newItem, attachments as base64. */
function report() {
  const id = `TMN-${randomUUID()}`;
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 30_000 }, (_, i) => (i * 31) & 0xff)]);
  const files = [
    { filename: 'capture-1.jpg', mimeType: 'image/jpeg', bytes: jpeg },
    { filename: 'context.json', mimeType: 'application/json', bytes: Buffer.from(JSON.stringify({ schemaVersion: 1, id, note: 'é ✓ Firefox' })) },
    { filename: 'report.html', mimeType: 'text/html', bytes: Buffer.from(`<!doctype html><meta charset="utf-8"><title>${id}</title><p>Témoin</p>`) },
  ];
  const record = newItem({ id, createdAt: Date.now(), surface: 'bar', title: '[Bandeau opérateur] Plus de son (Firefox)', bodyHtml: '<p>Plus de son après le transfert.</p>', attachments: [] });
  return { id, files, record };
}

/**
 * In the background page: stores the report in the outbox exactly as enqueue() does (the record
 * from newItem, each attachment a Blob with its size), then announces the change like announce().
 * Opens the database the background already created (its start-up flush lists the outbox): an
 * upgrade here would create it empty and break the product's own upgrade, so it is refused.
 */
async function queueInBackground(arg: { record: OutboxItem; files: { filename: string; mimeType: string; b64: string }[] }): Promise<void> {
  const attachments = arg.files.map((f) => {
    const data = new Blob([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], { type: f.mimeType });
    return { filename: f.filename, mimeType: f.mimeType, data, size: data.size, level: 0 };
  });
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('temoin');
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexedDB.open(temoin) failed'));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('outbox', 'readwrite');
      tx.objectStore('outbox').put({ ...arg.record, attachments });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
  const ch = new BroadcastChannel('temoin-outbox');
  ch.postMessage({ type: 'changed', at: Date.now() });
  ch.close();
}

/** In the background page: the outbox record of `id`, without its blobs (null when absent). */
async function outboxRecord(id: string): Promise<Omit<OutboxItem, 'attachments'> & { attachments: { filename: string; size: number }[] }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('temoin');
    req.onupgradeneeded = () => req.transaction?.abort();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexedDB.open(temoin) failed'));
  });
  try {
    const item = await new Promise<OutboxItem | undefined>((resolve, reject) => {
      const req = db.transaction('outbox').objectStore('outbox').get(id);
      req.onsuccess = () => resolve(req.result as OutboxItem | undefined);
      req.onerror = () => reject(req.error);
    });
    return (item ? { ...item, attachments: item.attachments.map((a) => ({ filename: a.filename, size: a.size })) } : null) as never;
  } finally {
    db.close();
  }
}

test('Firefox: a report queued in the outbox becomes exactly one Zammad ticket with every attachment, byte for byte', async () => {
  server.zammad.reset();
  const b = await bg();
  expect(b.url).toBe('moz-extension://6f1b7a52-2c1e-4a8e-9a43-0d2a3f9e7c11/_generated_background_page.html');

  // The background has created its database (version 2, with the outbox) on start-up.
  await expect
    .poll(() => b.call(async () => (await indexedDB.databases()).some((d) => d.name === 'temoin' && (d.version ?? 0) >= 2)))
    .toBe(true);

  // The token, as the options page saves it (storage.local "settings"; the other fields kept).
  await b.call(async (token: string) => {
    const ext = (globalThis as unknown as { browser: Ext }).browser;
    const { settings } = (await ext.storage.local.get('settings')) as { settings?: Record<string, unknown> };
    await ext.storage.local.set({ settings: { ...settings, zammadToken: token } });
  }, SEED_TOKENS.agent);

  const r = report();
  await b.call(queueInBackground, { record: r.record, files: r.files.map((f) => ({ filename: f.filename, mimeType: f.mimeType, b64: f.bytes.toString('base64') })) });
  expect(await b.call(outboxRecord, r.id)).toMatchObject({ id: r.id, attachments: r.files.map((f) => ({ filename: f.filename, size: f.bytes.length })) });

  // The runner's own wake-up: the alarm it sets for retries and its watchdog.
  await b.call(async (name: string) => {
    const ext = (globalThis as unknown as { browser: Ext }).browser;
    await ext.alarms.create(name, { when: Date.now() });
  }, OUTBOX_ALARM);

  // What the background did, for any failure from here on: the outbox record and its console.
  const diagnose = async () => {
    const record = await b.call(outboxRecord, r.id).catch((x: unknown) => String(x));
    const logged = b.console.map((c) => `[${c.kind} ${c.level}] ${c.text}`).join('\n') || '(nothing)';
    return `outbox record: ${JSON.stringify(record, null, 2)}\nbackground console:\n${logged}`;
  };
  const withDiagnosis = async (check: () => Promise<unknown>) => {
    try {
      await check();
    } catch (e) {
      throw new Error(`${(e as Error).message}\n\n${await diagnose()}`);
    }
  };

  // The report settles (sent, or waiting for the user), then exactly one ticket carries its
  // marker, with every attachment at its exact size.
  await withDiagnosis(async () => {
    await expect.poll(async () => (await b.call(outboxRecord, r.id))?.state, { timeout: 30_000 }).toMatch(/^(sent|needs-attention)$/);
    expect((await b.call(outboxRecord, r.id)).state).toBe('sent');
    const expected = r.files.map((f) => [f.filename, f.bytes.length]);
    await expect
      .poll(async () => (await ticketsWith(server, r.id)).map((t) => t.articles.flatMap((a) => a.attachments).map((a) => [a.filename, a.size])))
      .toEqual([expected]);
  });

  const tickets = await ticketsWith(server, r.id);
  expect(tickets).toHaveLength(1);
  const ticket = tickets[0]!;
  expect(ticket.title).toBe(r.record.title);
  const item = await b.call(outboxRecord, r.id);
  expect(item.ticket).toEqual({ id: ticket.id, number: ticket.number });
  expect(item.ticketUrl).toBe(`https://zammad.axialys.net/#ticket/zoom/${ticket.id}`);
  const stored = ticket.articles.flatMap((a) => a.attachments);
  for (const f of r.files) {
    const a = stored.find((x) => x.filename === f.filename)!;
    expect((await attachmentBytes(server, ticket.id, a.id)).equals(f.bytes), `${f.filename} byte for byte`).toBe(true);
  }
  // Nothing left pending: the badge (MV2 browserAction) is cleared.
  await expect
    .poll(() => b.call(async () => (globalThis as unknown as { browser: { browserAction: { getBadgeText(d: object): Promise<string> } } }).browser.browserAction.getBadgeText({})))
    .toBe('');
});
