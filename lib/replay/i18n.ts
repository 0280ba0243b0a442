/**
 * The replay's strings: a flat dictionary per language, taken from public/_locales at build time
 * (messages.ts) and embedded in report.html, so the file needs no extension to read its labels.
 * No dependencies: this module is part of the report.html renderer.
 */

export type ReplayLang = 'fr' | 'en';
export const REPLAY_LANGS: readonly ReplayLang[] = ['fr', 'en'];

/** Key → message, named placeholders already turned into `$1`…`$9`. */
export type Dict = Readonly<Record<string, string>>;
export type Dicts = Readonly<Record<ReplayLang, Dict>>;

/** The reader's language: English for any `en*` locale, French otherwise (French first). */
export function pickLang(language: string | null | undefined): ReplayLang {
  return typeof language === 'string' && /^en\b/i.test(language) ? 'en' : 'fr';
}

/** A message with `$1`…`$9` substituted (`$$` is a dollar sign). A missing key reads as the key itself. */
export function fmt(dict: Dict, key: string, ...subs: (string | number)[]): string {
  const msg = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key]! : key;
  return msg.replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : String(subs[Number(d) - 1] ?? '')));
}

/** Whether the dictionary has a message for this key (optional labels: event states, contexts…). */
export function has(dict: Dict, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(dict, key);
}
