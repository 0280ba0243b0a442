import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * Environment of the reporting workstation: browser, OS, screen, network hints, media devices,
 * microphone permission. Every probe takes its inputs as parameters (navigator, window, an
 * optional Firefox `runtime.getBrowserInfo`) so it can run in an extension page and be unit-tested.
 *
 * Never throws and never hangs: each probe is isolated, bounded in time, and yields null on
 * failure; the names of the probes that failed are listed in `failedProbes`.
 */

const str = z.string().max(500);
const num = z.number();

export const PermissionStateSchema = z.enum(['granted', 'prompt', 'denied']);
export type PermissionStateValue = z.infer<typeof PermissionStateSchema>;

export const EnvironmentSchema = z.object({
  browser: z
    .object({
      /** "Google Chrome", "Microsoft Edge", "Chromium", "Firefox"… */
      name: str,
      /** Full version when the browser gives it (e.g. "126.0.6478.126"), else the major version. */
      version: str.nullable(),
      /** Where name and version come from. */
      source: z.enum(['userAgentData', 'userAgentDataLow', 'getBrowserInfo', 'userAgent']),
    })
    .nullable(),
  os: z
    .object({
      /** "Windows", "macOS", "Linux", "Chrome OS", "Android"… */
      name: str,
      /** Raw platform version when known (Chromium's platformVersion, or the UA's). */
      version: str.nullable(),
      /** Human product name when derivable ("Windows 11"), else the name. */
      label: str,
    })
    .nullable(),
  extensionVersion: str,
  userAgent: z.string().max(1000).nullable(),
  language: str.nullable(),
  languages: z.array(str).max(20).nullable(),
  timeZone: str.nullable(),
  /** Minutes east of UTC at collection time (Paris: 60 in winter, 120 in summer). */
  utcOffsetMinutes: num.nullable(),
  screen: z
    .object({ width: num, height: num, availWidth: num.nullable(), availHeight: num.nullable(), colorDepth: num.nullable() })
    .nullable(),
  window: z
    .object({ innerWidth: num, innerHeight: num, outerWidth: num.nullable(), outerHeight: num.nullable() })
    .nullable(),
  devicePixelRatio: num.nullable(),
  online: z.boolean().nullable(),
  connection: z
    .object({ effectiveType: str.nullable(), rtt: num.nullable(), downlink: num.nullable(), saveData: z.boolean().nullable() })
    .nullable(),
  deviceMemory: num.nullable(),
  hardwareConcurrency: num.nullable(),
  /** Kinds of the media devices; a label only when the browser exposes one (never device ids). */
  mediaDevices: z
    .array(z.object({ kind: z.enum(['audioinput', 'audiooutput', 'videoinput']), label: str.optional() }))
    .max(100)
    .nullable(),
  microphonePermission: PermissionStateSchema.nullable(),
  failedProbes: z.array(str).max(50),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

// ---- input shapes (structural, so tests pass plain objects) ----

export interface BrandVersion {
  brand: string;
  version: string;
}
export interface UserAgentDataLike {
  brands?: readonly BrandVersion[];
  platform?: string;
  getHighEntropyValues?(hints: string[]): Promise<{
    fullVersionList?: readonly BrandVersion[];
    platformVersion?: string;
    platform?: string;
  }>;
}
export interface PermissionsLike {
  query(desc: { name: string }): Promise<{ state: string }>;
}
export interface NavigatorLike {
  userAgent?: string;
  userAgentData?: UserAgentDataLike;
  language?: string;
  languages?: readonly string[];
  onLine?: boolean;
  connection?: { effectiveType?: string; rtt?: number; downlink?: number; saveData?: boolean };
  deviceMemory?: number;
  hardwareConcurrency?: number;
  mediaDevices?: { enumerateDevices(): Promise<readonly { kind: string; label: string }[]> };
  permissions?: PermissionsLike;
}
export interface WindowLike {
  innerWidth?: number;
  innerHeight?: number;
  outerWidth?: number;
  outerHeight?: number;
  devicePixelRatio?: number;
  screen?: { width?: number; height?: number; availWidth?: number; availHeight?: number; colorDepth?: number };
}
/** Firefox's `browser.runtime.getBrowserInfo()`. */
export type GetBrowserInfo = () => Promise<{ name: string; vendor?: string; version: string; buildID?: string }>;

export interface EnvInputs {
  navigator: NavigatorLike;
  window?: WindowLike;
  extensionVersion: string;
  getBrowserInfo?: GetBrowserInfo;
  /** Defaults to the global Intl. */
  intl?: Pick<typeof Intl, 'DateTimeFormat'>;
  /** Epoch ms of collection (for the UTC offset). Defaults to Date.now(). */
  now?: number;
  /** Upper bound for each asynchronous probe. Default 2000 ms. */
  probeTimeoutMs?: number;
}

// ---- helpers ----

function finite(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
function text(x: unknown, max = 500): string | null {
  return typeof x === 'string' && x.length > 0 ? x.slice(0, max) : null;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** GREASE brands Chromium adds to the brand list: "Not_A Brand", "Not/A)Brand", "Not A(Brand"… */
export function isGreaseBrand(brand: string): boolean {
  return /^not[^a-z]*a[^a-z]*brand$/i.test(brand.trim());
}

/** Specific brands win over the engine name "Chromium"; known vendors first. */
const BRAND_PREFERENCE = ['Microsoft Edge', 'Google Chrome', 'Opera', 'Brave', 'Vivaldi', 'YaBrowser'];

/** The real browser brand of a Chromium brand list (never a GREASE brand), or null. */
export function pickBrand(list: readonly BrandVersion[] | undefined): BrandVersion | null {
  if (!list) return null;
  const real = list.filter((b) => typeof b.brand === 'string' && !isGreaseBrand(b.brand));
  for (const name of BRAND_PREFERENCE) {
    const hit = real.find((b) => b.brand === name);
    if (hit) return hit;
  }
  return real.find((b) => b.brand !== 'Chromium') ?? real.find((b) => b.brand === 'Chromium') ?? null;
}

/** Browser name and version from a user-agent string (last resort). */
export function browserFromUserAgent(ua: string): { name: string; version: string | null } | null {
  const rules: [RegExp, string][] = [
    [/\bEdg(?:e|A|iOS)?\/([\d.]+)/, 'Microsoft Edge'],
    [/\bOPR\/([\d.]+)/, 'Opera'],
    [/\bFirefox\/([\d.]+)/, 'Firefox'],
    [/\bChrome\/([\d.]+)/, 'Google Chrome'],
    [/\bVersion\/([\d.]+).*Safari\//, 'Safari'],
  ];
  for (const [re, name] of rules) {
    const m = re.exec(ua);
    if (m) return { name, version: m[1] ?? null };
  }
  return null;
}

function macName(v: string | null): string {
  return v ? `macOS ${v}` : 'macOS';
}

/** Windows 11 reports platformVersion >= 13 in Chromium's client hints; 1–10 means Windows 10. */
export function osLabel(name: string, version: string | null): string {
  if (name === 'Windows' && version) {
    const major = Number(version.split('.')[0]);
    if (major >= 13) return 'Windows 11';
    if (major > 0) return 'Windows 10';
    return 'Windows';
  }
  if (name === 'macOS') return macName(version);
  return version ? `${name} ${version}` : name;
}

/** OS from a user-agent string. Note that UAs freeze versions (Windows 11 says "NT 10.0"). */
export function osFromUserAgent(ua: string): { name: string; version: string | null } | null {
  let m = /Windows NT ([\d.]+)/.exec(ua);
  if (m) return { name: 'Windows', version: m[1] ?? null };
  m = /Android ([\d.]+)/.exec(ua);
  if (m) return { name: 'Android', version: m[1] ?? null };
  m = /Mac OS X ([\d._]+)/.exec(ua);
  if (m) return { name: 'macOS', version: (m[1] ?? '').replace(/_/g, '.') || null };
  if (/CrOS/.test(ua)) return { name: 'Chrome OS', version: null };
  if (/Linux|X11/.test(ua)) return { name: 'Linux', version: null };
  return null;
}

function normalisePlatform(p: string): string {
  if (p === 'Chrome OS' || p === 'ChromeOS' || p === 'Chromium OS') return 'Chrome OS';
  if (p === 'Mac OS X' || p === 'macOS') return 'macOS';
  return p;
}

// ---- probes ----

type Browser = NonNullable<Environment['browser']>;
type Os = NonNullable<Environment['os']>;

async function probeBrowserAndOs(inp: EnvInputs, timeout: number): Promise<{ browser: Browser | null; os: Os | null; failed: string[] }> {
  const nav = inp.navigator;
  const ua = text(nav.userAgent, 1000) ?? '';
  const failed: string[] = [];
  let browser: Browser | null = null;
  let os: Os | null = null;

  // Firefox: runtime.getBrowserInfo() gives the exact name and version.
  if (inp.getBrowserInfo) {
    try {
      const info = await withTimeout(inp.getBrowserInfo(), timeout);
      const name = text(info.name);
      if (name) browser = { name, version: text(info.version), source: 'getBrowserInfo' };
    } catch {
      failed.push('getBrowserInfo');
    }
  }

  // Chromium: high-entropy client hints give the full version and the OS version.
  const uad = nav.userAgentData;
  if (uad) {
    let high: Awaited<ReturnType<NonNullable<UserAgentDataLike['getHighEntropyValues']>>> | null = null;
    try {
      if (typeof uad.getHighEntropyValues === 'function') {
        high = await withTimeout(uad.getHighEntropyValues(['fullVersionList', 'platformVersion', 'platform']), timeout);
      }
    } catch {
      failed.push('userAgentData.getHighEntropyValues');
    }
    if (!browser) {
      const full = pickBrand(high?.fullVersionList);
      const low = full ? null : pickBrand(uad.brands);
      if (full) browser = { name: full.brand.slice(0, 500), version: text(full.version), source: 'userAgentData' };
      else if (low) browser = { name: low.brand.slice(0, 500), version: text(low.version), source: 'userAgentDataLow' };
    }
    const platform = text(high?.platform) ?? text(uad.platform);
    if (platform) {
      const name = normalisePlatform(platform);
      const version = text(high?.platformVersion);
      os = { name, version, label: osLabel(name, version) };
    }
  }

  if (!browser && ua) {
    const b = browserFromUserAgent(ua);
    if (b) browser = { ...b, source: 'userAgent' };
  }
  if (!os && ua) {
    const o = osFromUserAgent(ua);
    if (o) os = { ...o, label: osLabel(o.name, o.version) };
  }
  return { browser, os, failed };
}

/** The microphone permission state, or null when the browser cannot tell (Firefox may throw). */
export async function queryMicrophonePermission(permissions: PermissionsLike | undefined, timeoutMs = 2000): Promise<PermissionStateValue | null> {
  if (!permissions || typeof permissions.query !== 'function') return null;
  try {
    const status = await withTimeout(Promise.resolve().then(() => permissions.query({ name: 'microphone' })), timeoutMs);
    const parsed = PermissionStateSchema.safeParse(status?.state);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const MEDIA_KINDS = new Set(['audioinput', 'audiooutput', 'videoinput']);

async function probeMediaDevices(nav: NavigatorLike, timeout: number): Promise<Environment['mediaDevices']> {
  if (!nav.mediaDevices || typeof nav.mediaDevices.enumerateDevices !== 'function') return null;
  const list = await withTimeout(Promise.resolve().then(() => nav.mediaDevices!.enumerateDevices()), timeout);
  const out: NonNullable<Environment['mediaDevices']> = [];
  for (const d of list) {
    if (out.length >= 100) break;
    if (!MEDIA_KINDS.has(d.kind)) continue;
    const label = text(d.label);
    out.push(label ? { kind: d.kind as 'audioinput', label } : { kind: d.kind as 'audioinput' });
  }
  return out;
}

/** Runs one synchronous probe; a throwing probe yields null and is recorded. */
function sync<T>(name: string, failed: string[], fn: () => T | null): T | null {
  try {
    return fn();
  } catch {
    failed.push(name);
    return null;
  }
}

/** Collects the environment. Never throws; each probe that fails yields null. */
export async function collectEnvironment(inp: EnvInputs): Promise<Environment> {
  const failed: string[] = [];
  const timeout = inp.probeTimeoutMs ?? 2000;
  const nav = inp.navigator ?? {};
  const win = inp.window;

  const [bo, mediaDevices, microphonePermission] = await Promise.all([
    probeBrowserAndOs({ ...inp, navigator: nav }, timeout).catch(() => {
      failed.push('browser');
      return { browser: null, os: null, failed: [] as string[] };
    }),
    probeMediaDevices(nav, timeout).catch(() => {
      failed.push('mediaDevices');
      return null;
    }),
    queryMicrophonePermission(nav.permissions, timeout),
  ]);
  failed.push(...bo.failed);

  const timeZone = sync('timeZone', failed, () => text((inp.intl ?? Intl).DateTimeFormat().resolvedOptions().timeZone));
  const utcOffsetMinutes = sync('utcOffset', failed, () => {
    const at = inp.now ?? Date.now();
    // The offset of the zone reported above (luxon), else of the JS runtime.
    const zoned = timeZone ? DateTime.fromMillis(at, { zone: timeZone }) : null;
    const v = zoned?.isValid ? zoned.offset : -new Date(at).getTimezoneOffset();
    return finite(v === 0 ? 0 : v);
  });

  const env: Environment = {
    browser: bo.browser,
    os: bo.os,
    extensionVersion: inp.extensionVersion.slice(0, 500),
    userAgent: sync('userAgent', failed, () => text(nav.userAgent, 1000)),
    language: sync('language', failed, () => text(nav.language)),
    languages: sync('languages', failed, () =>
      Array.isArray(nav.languages) ? nav.languages.filter((l): l is string => typeof l === 'string').slice(0, 20).map((l) => l.slice(0, 500)) : null,
    ),
    timeZone,
    utcOffsetMinutes,
    screen: sync('screen', failed, () => {
      const s = win?.screen;
      const width = finite(s?.width);
      const height = finite(s?.height);
      if (!s || width === null || height === null) return null;
      return { width, height, availWidth: finite(s.availWidth), availHeight: finite(s.availHeight), colorDepth: finite(s.colorDepth) };
    }),
    window: sync('window', failed, () => {
      const innerWidth = finite(win?.innerWidth);
      const innerHeight = finite(win?.innerHeight);
      if (!win || innerWidth === null || innerHeight === null) return null;
      return { innerWidth, innerHeight, outerWidth: finite(win.outerWidth), outerHeight: finite(win.outerHeight) };
    }),
    devicePixelRatio: sync('devicePixelRatio', failed, () => finite(win?.devicePixelRatio)),
    online: sync('online', failed, () => (typeof nav.onLine === 'boolean' ? nav.onLine : null)),
    connection: sync('connection', failed, () => {
      const c = nav.connection;
      if (!c) return null;
      return {
        effectiveType: text(c.effectiveType),
        rtt: finite(c.rtt),
        downlink: finite(c.downlink),
        saveData: typeof c.saveData === 'boolean' ? c.saveData : null,
      };
    }),
    deviceMemory: sync('deviceMemory', failed, () => finite(nav.deviceMemory)),
    hardwareConcurrency: sync('hardwareConcurrency', failed, () => finite(nav.hardwareConcurrency)),
    mediaDevices,
    microphonePermission,
    failedProbes: failed.slice(0, 50),
  };
  return env;
}
