/**
 * The extension's fixed identity. Only the public key is committed; the Chrome id is derived
 * from it (first 32 hex chars of sha256(DER key), 0-f mapped to a-p), so tests and enterprise
 * policies can name the extension before it is loaded.
 */
export const MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvdx07jAKyOdxLo+JQwInrcGvyGFKT3CSwJBeQfZmveywxVSeeipSVUu/qYIwrHiyDx0kcD4FVEpVEd2odAkTomv/2Hx12GohEFl/Eri4nrJW/m2ey5gcd0dAfQ1m1m6EZjIve+DtXy7fWAlEsVRhgA2HWRWMbkiXFGyHgy/9OLJYiGSizKb8jrkVh2HMZYI2cauuseZZaG4BvGDECAjFMehVzS/8R8UBf5TWERbA1IQ2PnYgr+hkz7axerj3gZkjbNt698ThzX7Y78yBqtDNzLDjAicEiS/kI9PVAsCKMsWMkZYxVur44Q0ZasTcXLEVKNbvE9UPux3qVZbziZ89bQIDAQAB';
export const CHROME_EXTENSION_ID = 'fmldbbdaflmnojmbdpadaekoceaoijnm';
export const GECKO_ID = 'temoin@axialys.net';

/** Hosts where Témoin's content scripts run (the Axialys surfaces). */
export const AXIALYS_MATCHES = ['https://voice-management.axialys.com/*', 'https://admin.axialys.net/*'];
/** The production Zammad API origin, reachable from the background without CORS. */
export const ZAMMAD_ORIGIN_MATCH = 'https://zammad.axialys.net/*';
