import { browser, storage } from '#imports';
import { mergeSettings, parseSettingFields, SettingsSchema, type EffectiveSettings, type Settings } from './schema';

const settingsItem = storage.defineItem<unknown>('local:settings', { fallback: {} });

/** The managed policy (enterprise policy / Firefox policies.json); {} when none is installed. */
export async function readPolicy(): Promise<unknown> {
  try {
    // Firefox rejects when no managed manifest exists; Chromium resolves {}.
    return (await browser.storage.managed.get(null)) ?? {};
  } catch {
    return {};
  }
}

/** The user's own settings, each invalid field repaired to its default (the others are kept). */
export async function loadSettings(): Promise<Settings> {
  return SettingsSchema.parse(parseSettingFields(await settingsItem.getValue()).values);
}

/** What applies: defaults ← the user's settings ← the managed policy. */
export async function loadEffectiveSettings(): Promise<EffectiveSettings> {
  const [local, policy] = await Promise.all([settingsItem.getValue(), readPolicy()]);
  return mergeSettings(local, policy);
}

/** The effective settings without the Zammad token, for pages that do not talk to Zammad (the popup). */
export type PublicSettings = Omit<Settings, 'zammadToken'>;

export async function loadPublicSettings(): Promise<PublicSettings> {
  const { settings } = await loadEffectiveSettings();
  const { zammadToken: _token, ...rest } = settings;
  return rest;
}

let cached: Promise<EffectiveSettings> | null = null;
let watching = false;
/** Bumped on every change of the user's settings or the policy. */
let generation = 0;

/**
 * The effective settings, kept in memory by the background: reading the managed policy takes
 * seconds in Chromium, and every frame's hello needs them. Dropped whenever the user's settings
 * or the policy change.
 */
export function effectiveSettings(): Promise<EffectiveSettings> {
  if (!watching) {
    watching = true;
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'managed' || (area === 'local' && 'settings' in changes)) {
        generation++;
        cached = null;
      }
    });
  }
  // A read that a change overtook (the policy read takes seconds) reads again: a flush that
  // started just before the user saved a token must not see the settings without it.
  const load = async (): Promise<EffectiveSettings> => {
    for (;;) {
      const seen = generation;
      const read = await loadEffectiveSettings();
      if (seen === generation) return read;
    }
  };
  cached ??= load().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = SettingsSchema.parse({ ...(await loadSettings()), ...patch });
  await settingsItem.setValue(next);
  return next;
}
