/**
 * The hostnames the demo serves, all mapped to one local HTTPS server through
 * Chromium's --host-resolver-rules, so the extension sees production URLs.
 */
export const AXIALYS_BAR_HOST = 'voice-management.axialys.com';
export const AXIALYS_ADMIN_HOST = 'admin.axialys.net';
export const ZAMMAD_HOST = 'zammad.axialys.net';
/** A customer's CRM that embeds the operator bar in an iframe (not an Axialys host). */
export const CRM_HOST = 'crm.example.test';
/** An unrelated page: Témoin must not run there. */
export const OTHER_HOST = 'www.example.test';

export const SERVED_HOSTS = [AXIALYS_BAR_HOST, AXIALYS_ADMIN_HOST, ZAMMAD_HOST, CRM_HOST, OTHER_HOST] as const;

export const URLS = {
  bar: `https://${AXIALYS_BAR_HOST}/operateurs/index.htm`,
  supervision: `https://${AXIALYS_BAR_HOST}/superviseurs/index.htm`,
  extranet: `https://${AXIALYS_ADMIN_HOST}/`,
  crm: `https://${CRM_HOST}/`,
  other: `https://${OTHER_HOST}/`,
  zammad: `https://${ZAMMAD_HOST}`,
} as const;

/** Chromium flag value mapping every served host to the local server. */
export function hostResolverRules(port: number): string {
  return SERVED_HOSTS.map((h) => `MAP ${h}:443 127.0.0.1:${port}`).join(', ');
}
