import en from '../../public/_locales/en/messages.json' with { type: 'json' };
import fr from '../../public/_locales/fr/messages.json' with { type: 'json' };
import type { Dict, Dicts, ReplayLang } from './i18n';

/**
 * The replay's strings, from the extension's own _locales (French first, English second): the
 * renderer and the ticket summary use these keys, and report.html embeds exactly them.
 */

/** Key families the replay reads whole (pre-check results and advice, labels of enumerations). */
const PREFIXES = ['replay', 'surface_', 'surfaceShort_', 'precheck_', 'advice_', 'ctx_', 'affected_', 'repro_'];
/** Single keys shared with the popup. */
const SHARED = ['checklistHeading', 'requiredMark', 'descWhat', 'descContext', 'descButton', 'descClickNoEffect', 'descMissing', 'descAffected', 'descReproducible', 'descSteps'];

interface LocaleMessage {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

/** Chrome's message format to the replay's: `$NAME$` → its placeholder's content (`$1`…). */
export function resolveMessage(m: LocaleMessage): string {
  const ph = m.placeholders ?? {};
  return m.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    const p = Object.entries(ph).find(([k]) => k.toLowerCase() === name.toLowerCase());
    return p ? p[1].content : whole;
  });
}

export function isReplayKey(key: string): boolean {
  return SHARED.includes(key) || PREFIXES.some((p) => key.startsWith(p));
}

function pick(messages: Record<string, LocaleMessage>): Dict {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(messages)) if (isReplayKey(k)) out[k] = resolveMessage(m);
  return out;
}

const DICTS: Dicts = { fr: pick(fr as Record<string, LocaleMessage>), en: pick(en as Record<string, LocaleMessage>) };

/** Both languages' replay strings (what report.html embeds). */
export function replayDicts(): Dicts {
  return DICTS;
}

export function replayDict(lang: ReplayLang): Dict {
  return DICTS[lang];
}
