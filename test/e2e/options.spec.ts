/**
 * The options page: delivery settings, the masked token, and an enterprise policy file in
 * /etc/chromium/policies/managed that locks fields (and a malformed value shown, not fatal).
 */
import fs from 'node:fs';
import { CHROME_EXTENSION_ID } from '../../lib/identity';
import { SEED_TOKENS } from '../../dev/zammad/index';
import { expect, launchWithExtension, test } from './fixtures';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/temoin-options-spec.json`;

test('delivery settings are saved, the token is shown masked and never in clear', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.getByLabel("Jeton d'accès Zammad").fill(SEED_TOKENS.agent);
  await page.getByLabel('Mode d’envoi').selectOption('form');
  await page.getByLabel('Votre nom').fill('Marie Durand');
  await page.getByLabel('Votre e-mail').fill('marie.durand@client.example');
  await page.getByLabel('E-mail du support').fill('support@axialys.example');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByTestId('options-status')).toHaveText('Réglages enregistrés.');

  await page.reload();
  await expect(page.getByLabel('Mode d’envoi')).toHaveValue('form');
  await expect(page.getByLabel('Votre nom')).toHaveValue('Marie Durand');
  await expect(page.getByLabel("Jeton d'accès Zammad")).toHaveValue('');
  await expect(page.getByTestId('token-mask')).toHaveText('Jeton enregistré : ••••••••oken');
  expect(await page.content()).not.toContain(SEED_TOKENS.agent);
  // Kept in storage.local, never in storage.sync.
  const stored = await page.evaluate(async () => [await chrome.storage.local.get('settings'), await chrome.storage.sync.get(null)]);
  expect((stored[0] as { settings: { zammadToken: string } }).settings.zammadToken).toBe(SEED_TOKENS.agent);
  expect(stored[1]).toEqual({});

  // The stored token is the one tested.
  await page.getByRole('button', { name: 'Tester la connexion' }).click();
  await expect(page.getByTestId('options-status')).toHaveText('Connecté en tant que Agent Témoin (agent@axialys.example)');

  await page.getByLabel('Votre e-mail').fill('pas une adresse');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByTestId('options-status')).toContainText('Réglage invalide : Votre e-mail');
});

test('an enterprise policy file configures the extension: fields locked, a malformed value shown and ignored', async ({ devServer, debugPort }) => {
  // Values equal to the defaults (other Chromium runs on this machine read the directory too),
  // plus one malformed value.
  fs.mkdirSync(POLICY_DIR, { recursive: true });
  fs.writeFileSync(
    POLICY_FILE,
    JSON.stringify({
      '3rdparty': {
        extensions: {
          [CHROME_EXTENSION_ID]: { zammadUrl: 'https://zammad.axialys.net', zammadGroup: 'Users', deliveryMode: 'api', stunServer: 'pas-un-serveur-stun' },
        },
      },
    }),
  );
  const context = await launchWithExtension(devServer, debugPort);
  try {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
    await expect
      .poll(() => sw.evaluate(async () => Object.keys(await chrome.storage.managed.get(null)).sort()), { timeout: 20_000 })
      .toEqual(['deliveryMode', 'stunServer', 'zammadGroup', 'zammadUrl']);
    const page = await context.newPage();
    await page.goto(`chrome-extension://${CHROME_EXTENSION_ID}/options.html`);
    for (const [label, key] of [
      ['Adresse de Zammad', 'zammadUrl'],
      ['Groupe Zammad', 'zammadGroup'],
      ['Mode d’envoi', 'deliveryMode'],
    ] as const) {
      await expect(page.getByLabel(label)).toBeDisabled();
      await expect(page.locator(`[data-locked="${key}"]`)).toContainText('Géré par votre organisation');
    }
    await expect(page.getByLabel('Groupe Zammad')).toHaveValue('Users');
    // Not set by the policy: still the user's.
    await expect(page.getByLabel("Jeton d'accès Zammad")).toBeEnabled();
    await expect(page.getByTestId('policy-errors')).toContainText('stunServer');
  } finally {
    fs.rmSync(POLICY_FILE, { force: true });
    await context.close();
  }
});
