import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_ZAMMAD_URL, mergeSettings, parseSettingFields, POLICY_KEYS, SettingsSchema, ZammadUrlSchema } from '../../../lib/settings/schema';
import { loadSettings, saveSettings } from '../../../lib/settings/store';
import { DEFAULT_SURFACE_RULES } from '../../../lib/surfaces/rules';

const DEFAULTS = {
  zammadUrl: DEFAULT_ZAMMAD_URL,
  zammadToken: '',
  zammadGroup: '',
  deliveryMode: 'api',
  reporterName: '',
  reporterEmail: '',
  customerSuccessEmail: '',
  supportEmail: '',
  stunServer: 'stun:stun.axialys.net:3478',
  surfaceRules: null,
  captureConsoleInfo: false,
  maskContactData: false,
};

describe('settings', () => {
  it('defaults to the Axialys Zammad and STUN server, nothing optional captured', () => {
    expect(SettingsSchema.parse({})).toEqual(DEFAULTS);
  });

  it('normalises and validates the Zammad URL', () => {
    expect(ZammadUrlSchema.parse(' https://help.example.com/ ')).toBe('https://help.example.com');
    expect(ZammadUrlSchema.safeParse('http://help.example.com').success).toBe(false);
    expect(ZammadUrlSchema.safeParse('javascript:alert(1)').success).toBe(false);
    expect(ZammadUrlSchema.parse('http://localhost:3000')).toBe('http://localhost:3000');
  });

  it('stores the token in storage.local only and repairs only the invalid stored fields', async () => {
    await saveSettings({ zammadToken: 'secret-token' });
    expect((await loadSettings()).zammadToken).toBe('secret-token');
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    await fakeBrowser.storage.local.set({ settings: { zammadUrl: 42, zammadToken: 'kept', stunServer: 'http://x' } });
    expect(await loadSettings()).toEqual({ ...DEFAULTS, zammadToken: 'kept' });
  });

  it('validates each field on its own and names the bad ones', () => {
    const r = parseSettingFields({ maskContactData: true, stunServer: 'stun:stun.example.net:3478', supportEmail: 'not an email', bogus: 1 });
    expect(r.values).toEqual({ maskContactData: true, stunServer: 'stun:stun.example.net:3478' });
    expect(r.errors.map((e) => e.key).sort()).toEqual(['bogus', 'supportEmail']);
    expect(parseSettingFields('nope').errors).toEqual([{ key: '*', message: 'not an object' }]);
  });
});

describe('managed policy', () => {
  const rules = [{ surface: 'bar', hosts: ['vm.centrex.example'], paths: ['/agent/*'] }];

  it('wins over the user, field by field, and locks what it sets', () => {
    const r = mergeSettings({ zammadToken: 't', maskContactData: false, captureConsoleInfo: true }, { maskContactData: true, zammadUrl: 'https://help.example.com/' });
    expect(r.settings).toMatchObject({ zammadToken: 't', maskContactData: true, captureConsoleInfo: true, zammadUrl: 'https://help.example.com' });
    expect(r.locked.sort()).toEqual(['maskContactData', 'zammadUrl']);
    expect(r.policyErrors).toEqual([]);
  });

  it('takes surface rules as JSON text or as an array', () => {
    expect(mergeSettings({}, { surfaceRules: JSON.stringify(rules) }).settings.surfaceRules).toEqual([{ ...rules[0], markers: [] }]);
    expect(mergeSettings({}, { surfaceRules: rules }).settings.surfaceRules).toEqual([{ ...rules[0], markers: [] }]);
  });

  it('refuses a malformed policy value with a clear error and keeps the rest working', () => {
    const r = mergeSettings(
      { surfaceRules: DEFAULT_SURFACE_RULES, deliveryMode: 'form' },
      { surfaceRules: '{not json', maskContactData: 'yes', zammadToken: 42, deliveryMode: 'carrier-pigeon', stunServer: 'stun:ok.example:3478' },
    );
    expect(r.settings.surfaceRules).toEqual(DEFAULT_SURFACE_RULES);
    expect(r.settings.maskContactData).toBe(false);
    expect(r.settings.zammadToken).toBe('');
    expect(r.settings.deliveryMode).toBe('form'); // the user's own value stays
    expect(r.settings.stunServer).toBe('stun:ok.example:3478');
    expect(r.locked).toEqual(['stunServer']);
    expect(r.policyErrors.map((e) => e.key).sort()).toEqual(['deliveryMode', 'maskContactData', 'surfaceRules', 'zammadToken']);
    expect(mergeSettings({}, [1, 2]).policyErrors).toEqual([{ key: '*', message: 'not an object' }]);
  });

  it('deploys the token, the group and the delivery mode, and locks them', () => {
    const r = mergeSettings(
      { zammadToken: 'mine', deliveryMode: 'export', reporterName: 'Marie' },
      { zammadToken: 'org-token', zammadGroup: 'Support technique', deliveryMode: 'api' },
    );
    expect(r.settings).toMatchObject({ zammadToken: 'org-token', zammadGroup: 'Support technique', deliveryMode: 'api', reporterName: 'Marie' });
    expect(r.locked.sort()).toEqual(['deliveryMode', 'zammadGroup', 'zammadToken']);
    expect(r.policyErrors).toEqual([]);
  });

  it('leaves the reporter identity to the user (not a policy key)', () => {
    const r = mergeSettings({}, { reporterEmail: 'x@y.example' });
    expect(r.settings.reporterEmail).toBe('');
    expect(r.policyErrors).toEqual([{ key: 'reporterEmail', message: 'unknown setting' }]);
  });

  it('the managed schema declares every policy key, with the modes as an enum', () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../public/managed_schema.json'), 'utf8'));
    expect(Object.keys(schema.properties).sort()).toEqual([...POLICY_KEYS].sort());
    for (const k of ['zammadUrl', 'zammadToken', 'zammadGroup', 'deliveryMode', 'customerSuccessEmail', 'supportEmail', 'stunServer', 'surfaceRules']) {
      expect(POLICY_KEYS as readonly string[]).toContain(k);
    }
    expect(schema.properties.deliveryMode.enum).toEqual(['api', 'form', 'export']);
  });
});
