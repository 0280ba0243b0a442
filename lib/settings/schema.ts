import { z } from 'zod';

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

export const SettingsSchema = z.object({
  zammadUrl: ZammadUrlSchema.default(DEFAULT_ZAMMAD_URL),
  /** Personal access token. Lives in storage.local (never synced) and never leaves the background/options. */
  zammadToken: z.string().trim().max(500).default(''),
});
export type Settings = z.infer<typeof SettingsSchema>;
