import { SEED_TOKENS } from '../../dev/zammad/index';
import { expect, test } from './fixtures';

test('the background reaches https://zammad.axialys.net/api/v1/users/me on the stand-in with a token', async ({ context, extensionId }) => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.getByLabel('Adresse de Zammad')).toHaveValue('https://zammad.axialys.net');
  await options.getByLabel("Jeton d'accès Zammad").fill(SEED_TOKENS.agent);
  await options.getByRole('button', { name: 'Tester la connexion' }).click();
  await expect(options.getByTestId('options-status')).toHaveText('Connecté en tant que Agent Témoin (agent@axialys.example)');
});

test('a wrong token is reported with Zammad\'s own message', async ({ context, extensionId }) => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.getByLabel("Jeton d'accès Zammad").fill('not-a-real-token');
  await options.getByRole('button', { name: 'Tester la connexion' }).click();
  await expect(options.getByTestId('options-status')).toHaveText("Connexion impossible : Can't find User for Token");
});
