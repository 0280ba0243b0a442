import { storage } from '#imports';
import { SettingsSchema, type Settings } from './schema';

const settingsItem = storage.defineItem<unknown>('local:settings', { fallback: {} });

/** Reads the settings, repairing anything invalid to its default rather than failing. */
export async function loadSettings(): Promise<Settings> {
  const raw = await settingsItem.getValue();
  const parsed = SettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : SettingsSchema.parse({});
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = SettingsSchema.parse({ ...(await loadSettings()), ...patch });
  await settingsItem.setValue(next);
  return next;
}
