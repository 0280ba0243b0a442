import { expect, test } from '@playwright/test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { FIREFOX_BUILD, FIREFOX_PATH } from '../../dev/chromium';
import { URLS } from '../../dev/hosts';
import { startConnectProxy } from '../../dev/proxy';
import { startDevServer, type DevServer } from '../../dev/server';
import { GECKO_ID } from '../../lib/identity';

// Playwright cannot drive stock Firefox; puppeteer-core drives firefox-esr over WebDriver BiDi.
// Firefox has no --host-resolver-rules, so it reaches the production URLs through a local
// CONNECT proxy that tunnels only the demo hosts to the demo HTTPS server.

let server: DevServer;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
let browser: Browser;

test.beforeAll(async () => {
  server = await startDevServer();
  proxy = await startConnectProxy(server.port);
  browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
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
  await browser?.close();
  await proxy?.close();
  await server?.close();
});

const consoleIsNative = () => Function.prototype.toString.call(console.error).includes('[native code]');

test('Firefox: the installed build hooks the demo operator bar at its production URL', async () => {
  const page = await browser.newPage();
  await page.goto(URLS.bar, { waitUntil: 'load' });
  expect(await page.evaluate(() => location.href)).toBe(URLS.bar);
  expect(await page.evaluate(consoleIsNative)).toBe(false);
  // The hooked console still behaves: same return value, still callable with any this.
  expect(await page.evaluate(() => console.error.call(null, 'from the test') === undefined)).toBe(true);
  await page.close();
});

test('Firefox: nothing of ours runs on a non-Axialys page', async () => {
  const page = await browser.newPage();
  await page.goto(URLS.other, { waitUntil: 'load' });
  expect(await page.evaluate(() => location.host)).toBe('www.example.test');
  expect(await page.evaluate(consoleIsNative)).toBe(true);
  await page.close();
});
