/**
 * `npm start`: the demo. Starts the demo surfaces and the Zammad stand-in on one local HTTPS
 * server, then launches Chromium with the production build and the host mappings, so the
 * production URLs (voice-management.axialys.com, admin.axialys.net, zammad.axialys.net) are
 * served locally. `--smoke` checks everything and exits.
 */
import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumArgs, chromiumEnv, CHROMIUM_PATH } from './chromium';
import { fileFault, openPopup } from './popup-driver';
import { URLS } from './hosts';
import { startConnectProxy } from './proxy';
import { startDevServer } from './server';
import { SEED_TOKENS } from './zammad/index';

const smoke = process.argv.includes('--smoke');
const headless = smoke || !process.env.DISPLAY;

async function serviceWorker(ctx: BrowserContext): Promise<Worker> {
  return ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 20_000 }));
}

function fail(msg: string): never {
  console.error(`✗ ${msg}`);
  process.exit(1);
}

const server = await startDevServer({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-demo-zammad-')) });
const proxy = await startConnectProxy(server.port);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'temoin-demo-profile-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM_PATH,
  headless,
  locale: 'fr-FR',
  viewport: headless ? { width: 1600, height: 900 } : null,
  ignoreDefaultArgs: ['--disable-extensions'],
  env: chromiumEnv(process.env.TEMOIN_LANG ?? 'fr'),
  args: chromiumArgs({ rules: server.rules, debugPort: headless ? 9333 : undefined }),
});
const sw = await serviceWorker(ctx);
const extensionId = new URL(sw.url()).host;

// The demo files tickets into the stand-in as its seeded agent.
await sw.evaluate(
  async ({ token }) => {
    await chrome.storage.local.set({ settings: { zammadUrl: 'https://zammad.axialys.net', zammadToken: token } });
  },
  { token: SEED_TOKENS.agent },
);

const page = ctx.pages()[0] ?? (await ctx.newPage());
await page.goto(URLS.bar);

const where = [
  `Demo HTTPS server      127.0.0.1:${server.port} (data: ${server.zammad.dataDir})`,
  `  operator bar         ${URLS.bar}`,
  `  supervision          ${URLS.supervision}`,
  `  extranet             ${URLS.extranet}`,
  `  CRM with the bar     ${URLS.crm}`,
  `  Zammad stand-in      ${URLS.zammad}/  (tickets index)`,
  `Chromium               ${CHROMIUM_PATH} ${headless ? '(headless)' : ''}, extension ${extensionId}`,
  `Firefox proxy          127.0.0.1:${proxy.port} (HTTPS proxy for the demo hosts)`,
];

if (smoke) {
  const checks: [string, () => Promise<boolean>][] = [
    ['extension service worker is up', async () => extensionId.length === 32],
    ['operator bar served at its production URL', async () => (await page.title()).length > 0 && page.url() === URLS.bar],
    [
      'page scripts registered on the operator bar',
      async () => {
        for (let i = 0; i < 50; i++) {
          const frames = (await sw.evaluate(async () => Object.values((await chrome.storage.session.get('frames'))['frames'] ?? {}).flat())) as { hook: boolean }[];
          if (frames.some((f) => f.hook)) return true;
          await new Promise((r) => setTimeout(r, 200));
        }
        return false;
      },
    ],
    ...(['supervision', 'extranet', 'crm'] as const).map(
      (k) => [`${k} served`, async () => (await (await ctx.newPage()).goto(URLS[k]))?.status() === 200] as [string, () => Promise<boolean>],
    ),
    ...(
      [
        ['bar', URLS.bar, '/operateurs/', {}],
        ['supervision', URLS.supervision, '/superviseurs/', {}],
        ['extranet', URLS.extranet, 'admin.axialys.net', { actionPerformed: 'Enregistrement de la fiche opérateur (smoke)' }],
      ] as const
    ).map(
      ([surface, url, part, fields]) =>
        [
          `a fault on the ${surface}, filed through the real popup, is a ticket on the stand-in`,
          async () => {
            const p = await ctx.newPage();
            p.on('pageerror', () => undefined);
            await p.goto(url);
            // The frame agent registers once the page has settled.
            for (let i = 0; i < 100; i++) {
              const frames = (await sw.evaluate(async () => Object.values((await chrome.storage.session.get('frames'))['frames'] ?? {}).flat())) as { url: string }[];
              if (frames.some((f) => f.url.includes(part))) break;
              await new Promise((r) => setTimeout(r, 200));
            }
            await p.locator('#demo-faults-toggle').click();
            await p.locator('#demo-faults-menu [data-fault="exception"]').click();
            const { popup, remote } = await openPopup(ctx, extensionId, 9333, p);
            try {
              const { ticket, marker } = await fileFault(popup, { description: `Smoke : incident simulé sur ${surface}.`, fields });
              console.log(`  ${surface}: ticket n° ${ticket} (${marker})`);
              return /^\d+$/.test(ticket);
            } finally {
              await remote.close();
              await p.close();
            }
          },
        ] as [string, () => Promise<boolean>],
    ),
    [
      'background reaches the Zammad stand-in with the token',
      async () =>
        sw.evaluate(async ({ token }) => {
          const r = await fetch('https://zammad.axialys.net/api/v1/users/me', { headers: { Authorization: `Token token=${token}` }, credentials: 'omit' });
          return r.status === 200;
        }, { token: SEED_TOKENS.agent }),
    ],
  ];
  let ok = true;
  for (const [name, fn] of checks) {
    const passed = await fn().catch((e: unknown) => {
      console.log(`  ${e instanceof Error ? e.message : String(e)}`);
      return false;
    });
    ok &&= passed;
    console.log(`${passed ? '✓' : '✗'} ${name}`);
  }
  console.log(where.join('\n'));
  await ctx.close();
  await proxy.close();
  await server.close();
  if (!ok) fail('smoke run failed');
  console.log('smoke run: everything is up');
  process.exit(0);
}

console.log(where.join('\n'));
if (headless) {
  console.log(
    [
      '',
      'No display: Chromium runs headless. To look at it:',
      '  - run `xvfb-run -a npm start` (Debian package xvfb), or start from a desktop session;',
      `  - or open chrome://inspect in a local Chromium and add 127.0.0.1:9333 as a target;`,
      `  - the Zammad stand-in keeps every ticket under ${server.zammad.dataDir}.`,
    ].join('\n'),
  );
}
console.log('\nCtrl-C to stop.');
const stop = async () => {
  await ctx.close().catch(() => undefined);
  await proxy.close();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
ctx.on('close', () => void stop());
