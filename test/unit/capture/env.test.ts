import { describe, expect, it } from 'vitest';
import {
  browserFromUserAgent,
  collectEnvironment,
  EnvironmentSchema,
  isGreaseBrand,
  osFromUserAgent,
  osLabel,
  pickBrand,
  queryMicrophonePermission,
  type NavigatorLike,
  type WindowLike,
} from '../../../lib/capture/env';

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const EDGE_UA = `${CHROME_UA} Edg/126.0.0.0`;
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

const win: WindowLike = {
  innerWidth: 1280,
  innerHeight: 720,
  outerWidth: 1300,
  outerHeight: 800,
  devicePixelRatio: 1.25,
  screen: { width: 1920, height: 1080, availWidth: 1920, availHeight: 1040, colorDepth: 24 },
};

function chromeNavigator(over: Partial<NavigatorLike> = {}): NavigatorLike {
  return {
    userAgent: CHROME_UA,
    userAgentData: {
      brands: [
        { brand: 'Not/A)Brand', version: '8' },
        { brand: 'Chromium', version: '126' },
        { brand: 'Google Chrome', version: '126' },
      ],
      platform: 'Windows',
      getHighEntropyValues: async (hints) => {
        expect(hints).toEqual(expect.arrayContaining(['fullVersionList', 'platformVersion', 'platform']));
        return {
          fullVersionList: [
            { brand: 'Not/A)Brand', version: '8.0.0.0' },
            { brand: 'Chromium', version: '126.0.6478.127' },
            { brand: 'Google Chrome', version: '126.0.6478.127' },
          ],
          platformVersion: '15.0.0',
          platform: 'Windows',
        };
      },
    },
    language: 'fr-FR',
    languages: ['fr-FR', 'fr', 'en'],
    onLine: true,
    connection: { effectiveType: '4g', rtt: 50, downlink: 10, saveData: false },
    deviceMemory: 8,
    hardwareConcurrency: 12,
    mediaDevices: {
      enumerateDevices: async () => [
        { kind: 'audioinput', label: 'Micro-casque USB', deviceId: 'secret-id', groupId: 'g' } as { kind: string; label: string },
        { kind: 'audiooutput', label: '' },
        { kind: 'videoinput', label: '' },
      ],
    },
    permissions: { query: async ({ name }) => ({ state: name === 'microphone' ? 'granted' : 'denied' }) },
    ...over,
  };
}

const parisIntl = { DateTimeFormat: (() => ({ resolvedOptions: () => ({ timeZone: 'Europe/Paris' }) })) as unknown as typeof Intl.DateTimeFormat };

describe('brand picking', () => {
  it('recognises the GREASE brands Chromium invents', () => {
    for (const b of ['Not_A Brand', 'Not/A)Brand', 'Not A(Brand', 'Not.A/Brand', 'Not)A;Brand', 'Not;A=Brand']) expect(isGreaseBrand(b)).toBe(true);
    for (const b of ['Chromium', 'Google Chrome', 'Microsoft Edge', 'Notable Browser']) expect(isGreaseBrand(b)).toBe(false);
  });

  it('picks Edge or Chrome over Chromium, Chromium over GREASE, whatever the order', () => {
    expect(pickBrand([{ brand: 'Chromium', version: '1' }, { brand: 'Microsoft Edge', version: '2' }, { brand: 'Not_A Brand', version: '3' }])?.brand).toBe('Microsoft Edge');
    expect(pickBrand([{ brand: 'Google Chrome', version: '1' }, { brand: 'Not_A Brand', version: '3' }, { brand: 'Chromium', version: '1' }])?.brand).toBe('Google Chrome');
    expect(pickBrand([{ brand: 'Not_A Brand', version: '3' }, { brand: 'Chromium', version: '1' }])?.brand).toBe('Chromium');
    expect(pickBrand([{ brand: 'Not_A Brand', version: '3' }])).toBeNull();
    expect(pickBrand(undefined)).toBeNull();
  });

  it('parses user-agent strings as a last resort', () => {
    expect(browserFromUserAgent(EDGE_UA)).toEqual({ name: 'Microsoft Edge', version: '126.0.0.0' });
    expect(browserFromUserAgent(CHROME_UA)).toEqual({ name: 'Google Chrome', version: '126.0.0.0' });
    expect(browserFromUserAgent(FIREFOX_UA)).toEqual({ name: 'Firefox', version: '128.0' });
    expect(osFromUserAgent(FIREFOX_UA)).toEqual({ name: 'Linux', version: null });
    expect(osFromUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)')).toEqual({ name: 'macOS', version: '10.15.7' });
  });

  it('names Windows 11 from platformVersion >= 13', () => {
    expect(osLabel('Windows', '15.0.0')).toBe('Windows 11');
    expect(osLabel('Windows', '10.0.0')).toBe('Windows 10');
    expect(osLabel('macOS', '14.5.0')).toBe('macOS 14.5.0');
    expect(osLabel('Linux', null)).toBe('Linux');
  });
});

describe('collectEnvironment', () => {
  it('collects everything from a Chromium workstation', async () => {
    const env = await collectEnvironment({ navigator: chromeNavigator(), window: win, extensionVersion: '1.2.3', intl: parisIntl, now: Date.UTC(2025, 0, 15) });
    expect(EnvironmentSchema.parse(env)).toEqual(env);
    expect(env.browser).toEqual({ name: 'Google Chrome', version: '126.0.6478.127', source: 'userAgentData' });
    expect(env.os).toEqual({ name: 'Windows', version: '15.0.0', label: 'Windows 11' });
    expect(env.extensionVersion).toBe('1.2.3');
    expect(env.language).toBe('fr-FR');
    expect(env.languages).toEqual(['fr-FR', 'fr', 'en']);
    expect(env.timeZone).toBe('Europe/Paris');
    expect(env.utcOffsetMinutes).toBe(60); // Paris in winter, whatever the runner's TZ
    expect(env.screen).toEqual({ width: 1920, height: 1080, availWidth: 1920, availHeight: 1040, colorDepth: 24 });
    expect(env.window).toEqual({ innerWidth: 1280, innerHeight: 720, outerWidth: 1300, outerHeight: 800 });
    expect(env.devicePixelRatio).toBe(1.25);
    expect(env.online).toBe(true);
    expect(env.connection).toEqual({ effectiveType: '4g', rtt: 50, downlink: 10, saveData: false });
    expect(env.deviceMemory).toBe(8);
    expect(env.hardwareConcurrency).toBe(12);
    // Kinds always, labels only when non-empty, never device ids.
    expect(env.mediaDevices).toEqual([{ kind: 'audioinput', label: 'Micro-casque USB' }, { kind: 'audiooutput' }, { kind: 'videoinput' }]);
    expect(JSON.stringify(env)).not.toContain('secret-id');
    expect(env.microphonePermission).toBe('granted');
    expect(env.failedProbes).toEqual([]);
  });

  it('reports Edge, not Chromium nor the GREASE brand', async () => {
    const nav = chromeNavigator({
      userAgent: EDGE_UA,
      userAgentData: {
        platform: 'Windows',
        getHighEntropyValues: async () => ({
          fullVersionList: [
            { brand: 'Microsoft Edge', version: '126.0.2592.87' },
            { brand: 'Not/A)Brand', version: '8.0.0.0' },
            { brand: 'Chromium', version: '126.0.6478.127' },
          ],
          platformVersion: '10.0.0',
          platform: 'Windows',
        }),
      },
    });
    const env = await collectEnvironment({ navigator: nav, window: win, extensionVersion: '1' });
    expect(env.browser).toEqual({ name: 'Microsoft Edge', version: '126.0.2592.87', source: 'userAgentData' });
    expect(env.os?.label).toBe('Windows 10');
  });

  it('uses getBrowserInfo on Firefox, with no userAgentData, and tolerates permissions.query throwing', async () => {
    const nav: NavigatorLike = {
      userAgent: FIREFOX_UA,
      language: 'en-GB',
      languages: ['en-GB'],
      onLine: false,
      hardwareConcurrency: 4,
      permissions: {
        query: async () => {
          throw new TypeError("'microphone' (value of 'name' member of PermissionDescriptor) is not a valid value");
        },
      },
    };
    const env = await collectEnvironment({
      navigator: nav,
      window: win,
      extensionVersion: '0.1.0',
      getBrowserInfo: async () => ({ name: 'Firefox', vendor: 'Mozilla', version: '128.3.1', buildID: '20241001' }),
    });
    expect(EnvironmentSchema.safeParse(env).success).toBe(true);
    expect(env.browser).toEqual({ name: 'Firefox', version: '128.3.1', source: 'getBrowserInfo' });
    expect(env.os).toEqual({ name: 'Linux', version: null, label: 'Linux' });
    expect(env.online).toBe(false);
    expect(env.connection).toBeNull();
    expect(env.deviceMemory).toBeNull();
    expect(env.mediaDevices).toBeNull();
    expect(env.microphonePermission).toBeNull();
  });

  it('falls back to low-entropy brands when getHighEntropyValues rejects, and records it', async () => {
    const nav = chromeNavigator({
      userAgentData: {
        brands: [{ brand: 'Chromium', version: '126' }, { brand: 'Not_A Brand', version: '24' }],
        platform: 'Linux',
        getHighEntropyValues: () => Promise.reject(new Error('NotAllowedError')),
      },
    });
    const env = await collectEnvironment({ navigator: nav, window: win, extensionVersion: '1' });
    expect(env.browser).toEqual({ name: 'Chromium', version: '126', source: 'userAgentDataLow' });
    expect(env.os).toEqual({ name: 'Linux', version: null, label: 'Linux' });
    expect(env.failedProbes).toContain('userAgentData.getHighEntropyValues');
  });

  it('never throws: every probe that throws or hangs yields null', async () => {
    const hostile = {
      get userAgent(): string {
        throw new Error('boom');
      },
      get language(): string {
        throw new Error('boom');
      },
      get connection(): never {
        throw new Error('boom');
      },
      mediaDevices: { enumerateDevices: () => new Promise<never>(() => {}) },
      permissions: { query: () => new Promise<never>(() => {}) },
      userAgentData: { getHighEntropyValues: () => new Promise<never>(() => {}) },
    } as unknown as NavigatorLike;
    const badWin = {
      get screen(): never {
        throw new Error('no screen');
      },
      innerWidth: Number.NaN,
      innerHeight: 10,
      devicePixelRatio: Infinity,
    } as unknown as WindowLike;
    const badIntl = {
      DateTimeFormat: () => {
        throw new RangeError('no tz');
      },
    } as unknown as typeof Intl;
    const env = await collectEnvironment({ navigator: hostile, window: badWin, extensionVersion: '9', intl: badIntl, probeTimeoutMs: 30 });
    expect(EnvironmentSchema.parse(env)).toEqual(env);
    expect(env).toMatchObject({
      browser: null,
      os: null,
      userAgent: null,
      language: null,
      timeZone: null,
      screen: null,
      window: null,
      devicePixelRatio: null,
      connection: null,
      mediaDevices: null,
      microphonePermission: null,
    });
    expect(env.failedProbes).toEqual(expect.arrayContaining(['userAgent', 'language', 'connection', 'screen', 'timeZone', 'mediaDevices']));
  });

  it('rejects what the schema must not accept', () => {
    expect(EnvironmentSchema.safeParse({}).success).toBe(false);
  });
});

describe('queryMicrophonePermission', () => {
  it('maps the states and ignores unknown ones', async () => {
    const q = (state: string) => ({ query: async () => ({ state }) });
    expect(await queryMicrophonePermission(q('denied'))).toBe('denied');
    expect(await queryMicrophonePermission(q('prompt'))).toBe('prompt');
    expect(await queryMicrophonePermission(q('weird'))).toBeNull();
    expect(await queryMicrophonePermission(undefined)).toBeNull();
    expect(
      await queryMicrophonePermission({
        query: () => {
          throw new TypeError('sync throw');
        },
      }),
    ).toBeNull();
  });
});
