import { z } from 'zod';
import { DEFAULT_STUN_SERVER } from '../capture/prechecks';
import { DELIVERY_MODES } from '../delivery/outbox-types';
import { SurfaceRulesSchema } from '../surfaces/rules';

export const DEFAULT_ZAMMAD_URL = 'https://zammad.axialys.net';

/** An https origin (or http://localhost for development), without a trailing slash. */
export const ZammadUrlSchema = z
  .string()
  .trim()
  .url()
  .refine((u) => /^https:\/\//i.test(u) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/i.test(u), {
    message: 'https:// required',
  })
  .transform((u) => u.replace(/\/+$/, ''));

/** `stun:host[:port]` (RFC 7064), as the UDP pre-check uses it. */
export const StunUrlSchema = z
  .string()
  .trim()
  .regex(/^stun:[A-Za-z0-9.-]+(:\d{1,5})?$/, { message: 'stun:host[:port] required' });

/**
 * Surface rules as the managed policy gives them: JSON text (Chrome's policy UI and the Windows
 * registry carry strings), or the array itself.
 */
export const SurfaceRulesSettingSchema = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v; // rejected below with the schema's own message
  }
}, SurfaceRulesSchema.nullable());

const optionalEmail = z.union([z.literal(''), z.string().trim().email().max(254)]).default('');

/** Every setting, with its default. Each field is validated on its own (see parseSettingFields). */
export const SettingsSchema = z.object({
  zammadUrl: ZammadUrlSchema.default(DEFAULT_ZAMMAD_URL),
  /** Personal access token. Lives in storage.local (never synced) and never leaves the background/options. */
  zammadToken: z.string().trim().max(500).default(''),
  /** Zammad group the tickets are filed in ('' : the first active group the token can see). */
  zammadGroup: z.string().trim().max(200).default(''),
  /**
   * How reports reach support: `api` (REST with the token), `form` (Zammad's web form, no token:
   * name and e-mail below), `export` (a zip and an e-mail draft the user sends).
   */
  deliveryMode: z.enum(DELIVERY_MODES).default('api'),
  /** Who reports: the web form's name and e-mail; with an agent token, the ticket's customer. */
  reporterName: z.string().trim().max(200).default(''),
  reporterEmail: optionalEmail,
  /** Where requests that are not faults go (mailto), e.g. the customer's CSM. */
  customerSuccessEmail: optionalEmail,
  /** Technical support address, for the e-mail fallback. */
  supportEmail: optionalEmail,
  /** STUN server of the UDP pre-check. */
  stunServer: StunUrlSchema.default(DEFAULT_STUN_SERVER),
  /** Replaces the Axialys surface rules when set (null: the defaults). */
  surfaceRules: SurfaceRulesSettingSchema.default(null),
  /** Also capture console.info and console.log (with lower caps). */
  captureConsoleInfo: z.boolean().default(false),
  /** Mask e-mail addresses and phone numbers in captured logs. */
  maskContactData: z.boolean().default(false),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

export interface FieldError {
  key: string;
  message: string;
}

/**
 * Validates each known field of `raw` on its own: a bad field is reported and left out, the good
 * ones are kept (a single wrong value must not wipe the others). Unknown keys are reported too.
 */
export function parseSettingFields(raw: unknown, known: readonly SettingKey[] = SETTING_KEYS): { values: Partial<Settings>; errors: FieldError[] } {
  const values: Partial<Record<SettingKey, unknown>> = {};
  const errors: FieldError[] = [];
  if (raw === undefined || raw === null) return { values: {}, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { values: {}, errors: [{ key: '*', message: 'not an object' }] };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!(known as readonly string[]).includes(key)) {
      errors.push({ key, message: 'unknown setting' });
      continue;
    }
    const r = SettingsSchema.shape[key as SettingKey].safeParse(value);
    if (r.success) values[key as SettingKey] = r.data;
    else errors.push({ key, message: r.error.issues[0]?.message ?? 'invalid' });
  }
  return { values: values as Partial<Settings>, errors };
}

/**
 * Settings keys an administrator may set by managed policy (storage.managed; see
 * public/managed_schema.json). The token too: a shared integration token can be deployed with the
 * extension (it stays in the policy store, readable by the extension only).
 */
export const POLICY_KEYS = [
  'zammadUrl',
  'zammadToken',
  'zammadGroup',
  'deliveryMode',
  'customerSuccessEmail',
  'supportEmail',
  'stunServer',
  'surfaceRules',
  'captureConsoleInfo',
  'maskContactData',
] as const satisfies readonly SettingKey[];

export interface EffectiveSettings {
  settings: Settings;
  /** Keys fixed by policy: shown read-only in the options page. */
  locked: SettingKey[];
  /** Policy values that were refused (shown to the user; the default or their own value applies). */
  policyErrors: FieldError[];
}

/** Defaults ← the user's settings ← the managed policy (policy wins, field by field). */
export function mergeSettings(local: unknown, policy: unknown): EffectiveSettings {
  const own = parseSettingFields(local);
  const managed = parseSettingFields(policy, POLICY_KEYS);
  return {
    settings: SettingsSchema.parse({ ...own.values, ...managed.values }),
    locked: Object.keys(managed.values) as SettingKey[],
    policyErrors: managed.errors,
  };
}
