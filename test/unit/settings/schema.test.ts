import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_ZAMMAD_URL, SettingsSchema, ZammadUrlSchema } from '../../../lib/settings/schema';
import { loadSettings, saveSettings } from '../../../lib/settings/store';

describe('settings', () => {
  it('defaults to the Axialys Zammad', () => {
    expect(SettingsSchema.parse({})).toEqual({ zammadUrl: DEFAULT_ZAMMAD_URL, zammadToken: '' });
  });

  it('normalises and validates the Zammad URL', () => {
    expect(ZammadUrlSchema.parse(' https://help.example.com/ ')).toBe('https://help.example.com');
    expect(ZammadUrlSchema.safeParse('http://help.example.com').success).toBe(false);
    expect(ZammadUrlSchema.safeParse('javascript:alert(1)').success).toBe(false);
    expect(ZammadUrlSchema.parse('http://localhost:3000')).toBe('http://localhost:3000');
  });

  it('stores the token in storage.local only and repairs invalid stored values', async () => {
    await saveSettings({ zammadToken: 'secret-token' });
    expect((await loadSettings()).zammadToken).toBe('secret-token');
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    await fakeBrowser.storage.local.set({ settings: { zammadUrl: 42 } });
    expect(await loadSettings()).toEqual({ zammadUrl: DEFAULT_ZAMMAD_URL, zammadToken: '' });
  });
});
