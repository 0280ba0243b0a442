import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { openBar } from './timeline';

const TEXT = {
  fr: { fault: 'Oui, quelque chose ne marche plus', review: 'Vérifier avant l’envoi', what: /Que s’est-il passé/, paris: 'heure de Paris', send: 'Envoyer au support' },
  en: { fault: 'Yes, something stopped working', review: 'Review before sending', what: /What happened/, paris: 'Paris time', send: 'Send to support' },
} as const;

/**
 * axe-core on the real popup: the serious and critical violations, named. Legacy mode runs axe in
 * the popup itself (the default opens a helper page, which the popup's CDP connection cannot).
 */
async function seriousViolations(popup: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page: popup }).setLegacyMode(true).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const lang of ['fr', 'en'] as const) {
  test.describe(`popup in ${lang}, in Montreal`, () => {
    test.use({ uiLang: lang, timeZone: 'America/Montreal' });

    test('speaks the language, shows Paris and Montreal time, has no serious axe violation, and works from the keyboard', async ({ context, openPopup, tabIdOf }) => {
      // Two axe runs and a keyboard walk through the whole form: over a minute on a loaded 2-core machine.
      test.setTimeout(150_000);
      const txt = TEXT[lang];
      const page = await context.newPage();
      await openBar(page);
      // The frame agent (loaded once the page has settled) has registered: the snapshot will have the bar's fields.
      await tabIdOf('/operateurs/');
      const popup = await openPopup(page);
      await expect(popup.locator('html')).toHaveAttribute('lang', lang);
      await expect(popup.getByTestId('triage-fault')).toBeVisible();
      expect(await seriousViolations(popup)).toEqual([]);

      // Keyboard only: from the top of the popup, Tab to the triage and choose "fault" with Space.
      await popup.locator('body').focus();
      let reached = false;
      for (let i = 0; i < 15 && !reached; i++) {
        await popup.keyboard.press('Tab');
        reached = await popup.getByTestId('triage-fault').evaluate((el) => el === document.activeElement);
      }
      expect(reached).toBe(true);
      await popup.keyboard.press('Space');
      await expect(popup.getByTestId('triage-fault')).toBeChecked();
      await expect(popup.getByText(txt.fault)).toBeVisible();

      // Both zones, the zone written out (seed §3.2).
      const time = popup.getByTestId('fault-time');
      await expect(time).toContainText(txt.paris);
      // ICU names the zone by its canonical id: America/Montreal is a link to America/Toronto.
      await expect(time).toContainText(/America\/(Montreal|Toronto), UTC-0[45]:00/);
      await expect(popup.getByTestId('screenshot')).toHaveCount(1);
      expect(await seriousViolations(popup)).toEqual([]);

      // Describe and review from the keyboard: the preview opens and is clean too.
      await popup.getByLabel(txt.what).focus();
      await popup.keyboard.type('Keyboard only.');
      await popup.getByRole('button', { name: txt.review }).focus();
      await popup.keyboard.press('Enter');
      await expect(popup.getByTestId('preview')).toBeVisible();
      await expect(popup.getByTestId('send')).toHaveText(txt.send);
      expect(await seriousViolations(popup)).toEqual([]);
    });
  });
}
