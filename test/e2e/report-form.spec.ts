import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fault, openBar } from './timeline';

async function barReady(page: Page) {
  await openBar(page);
  await expect(page.locator('#operateur-login')).not.toBeEmpty();
}

test('a request goes to Customer Success by e-mail, and no form for a ticket is shown', async ({ context, openPopup, serviceWorker }) => {
  await serviceWorker.evaluate(() => chrome.storage.local.set({ settings: { customerSuccessEmail: 'csm@axialys.example' } }));
  const page = await context.newPage();
  await barReady(page);
  const popup = await openPopup(page);
  await popup.getByLabel('Non : une question, un réglage, une formation').check();
  const route = popup.getByTestId('request-route');
  await expect(route).toContainText('aucun ticket ne sera créé');
  await expect(route.getByRole('link', { name: 'Écrire à csm@axialys.example' })).toHaveAttribute('href', 'mailto:csm@axialys.example');
  await expect(popup.getByLabel('Que s’est-il passé ?')).toHaveCount(0);
});

test('a fault: the checklist is pre-filled from the bar, required fields are enforced, the time is precise', async ({ context, openPopup }) => {
  const page = await context.newPage();
  await barReady(page);
  await fault(page, 'exception');
  const login = (await page.locator('#operateur-login').innerText()).trim();
  const popup = await openPopup(page);
  await popup.getByLabel('Oui, quelque chose ne marche plus').check();

  await expect(popup.getByLabel('Surface', { exact: true })).toHaveValue('bar');
  await expect(popup.getByLabel(/Identifiant de l’opérateur/)).toHaveValue(login);
  await expect(popup.getByLabel(/Société/)).not.toHaveValue('');
  // Paris time to the millisecond, zone written out; the user's own zone too when it is not Paris.
  const stamp = /\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2},\d{3}/.source;
  await expect(popup.getByTestId('fault-time').locator('strong')).toHaveText(new RegExp(`^${stamp} \\(heure de Paris, UTC\\+0[12]:00\\)$`));
  const zone = await popup.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  if (zone === 'Europe/Paris') await expect(popup.getByTestId('fault-time')).not.toContainText('Votre heure');
  else await expect(popup.getByTestId('fault-time')).toContainText(new RegExp(`Votre heure : ${stamp} \\(${zone}, UTC[+-]\\d{2}:\\d{2}\\)`));

  // The error just raised can be picked as the moment of the fault.
  await popup.getByLabel('Lors d’un événement récent').check();
  await expect(popup.getByTestId('fault-event').locator('option').first()).toContainText("reading 'id_appel'");
  // Or a typed time.
  await popup.getByLabel('À une autre heure').check();
  await popup.getByTestId('fault-typed').fill('il y a 5 min');
  await expect(popup.getByTestId('fault-time')).toContainText('heure de Paris');
  await popup.getByTestId('fault-typed').fill('vers 15h');
  await expect(popup.getByText('Heure non comprise, ou dans le futur.')).toBeVisible();

  // Required: the description, and any emptied checklist item.
  await popup.getByLabel(/Identifiant de l’opérateur/).fill('');
  await popup.getByRole('button', { name: 'Vérifier avant l’envoi' }).click();
  await expect(popup.getByTestId('form-incomplete')).toBeVisible();
  await expect(popup.getByText('Renseignez « Identifiant de l’opérateur ».')).toBeVisible();
  await expect(popup.getByText('Renseignez « Que s’est-il passé ? ».')).toBeVisible();
  await popup.getByLabel(/Identifiant de l’opérateur/).fill(login);
  await popup.getByLabel(/Que s’est-il passé/).fill('Le bouton Décrocher ne répond plus.');
  await expect(popup.getByTestId('form-incomplete')).toHaveCount(0);
});

test('the draft survives the popup closing and the service worker stopping, and can be discarded', async ({ context, openPopup }) => {
  const page = await context.newPage();
  await barReady(page);
  let popup = await openPopup(page);
  await popup.getByLabel('Oui, quelque chose ne marche plus').check();
  await expect(popup.getByTestId('screenshot')).toHaveCount(1);
  await popup.getByLabel(/Que s’est-il passé/).fill('Plus de son depuis le transfert.');
  await popup.getByLabel('Plusieurs personnes').check();
  await popup.close();
  // MV3 kills idle service workers; the draft must not depend on it.
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();

  popup = await openPopup(page);
  await expect(popup.getByTestId('draft-restored')).toBeVisible();
  await expect(popup.getByLabel(/Que s’est-il passé/)).toHaveValue('Plus de son depuis le transfert.');
  await expect(popup.getByLabel('Plusieurs personnes')).toBeChecked();
  await expect(popup.getByTestId('screenshot')).toHaveCount(1);

  await popup.getByTestId('draft-restored').getByRole('button', { name: 'Abandonner le brouillon' }).click();
  await expect(popup.getByTestId('draft-restored')).toHaveCount(0);
  await expect(popup.getByLabel('Oui, quelque chose ne marche plus')).not.toBeChecked();
});
