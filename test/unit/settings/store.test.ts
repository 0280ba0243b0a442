import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { effectiveSettings, loadPublicSettings } from '../../../lib/settings/store';

describe('effective settings (the background’s cache)', () => {
  it('a read overtaken by a change reads again: a flush started before the token was saved still sees the token', async () => {
    // The policy read is slow in Chromium (seconds): the user saves a token meanwhile.
    let release!: () => void;
    const slowPolicy = new Promise<void>((r) => (release = r));
    const managed = vi.spyOn(fakeBrowser.storage.managed, 'get').mockImplementation(async () => {
      await slowPolicy;
      return {};
    });
    const pending = effectiveSettings();
    await new Promise((r) => setTimeout(r, 0));
    await fakeBrowser.storage.local.set({ settings: { zammadToken: 'saved-meanwhile' } });
    release();
    expect((await pending).settings.zammadToken).toBe('saved-meanwhile');
    managed.mockRestore();
  });

  it('the popup’s view of the settings has no token', async () => {
    await fakeBrowser.storage.local.set({ settings: { zammadToken: 'secret-token', supportEmail: 'support@axialys.example' } });
    const s = await loadPublicSettings();
    expect(s.supportEmail).toBe('support@axialys.example');
    expect(JSON.stringify(s)).not.toContain('secret-token');
    expect('zammadToken' in s).toBe(false);
  });
});
