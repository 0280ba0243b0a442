import { browser } from '#imports';

/** A key of public/_locales/*\/messages.json (typed by `wxt prepare`). */
export type MessageKey = Parameters<typeof browser.i18n.getMessage>[0];

/** Localised UI text from _locales (French first, English second). Falls back to the key. */
export function t(key: MessageKey, ...subs: string[]): string {
  try {
    return browser.i18n.getMessage(key, subs) || key;
  } catch {
    return key;
  }
}
