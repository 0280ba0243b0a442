import path from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** Where `wxt build` writes (TEMOIN_OUT_DIR lets parallel jobs on one checkout keep their builds apart). */
export const OUT_DIR = path.resolve(process.env.TEMOIN_OUT_DIR ?? '.output');
export const CHROME_BUILD = path.join(OUT_DIR, 'chrome-mv3');
export const FIREFOX_BUILD = path.join(OUT_DIR, 'firefox-mv2');

/** Chromium's UI language, and so the extension's, follows LANGUAGE on Linux (needs chromium-l10n). */
export function chromiumEnv(lang = 'fr'): Record<string, string> {
  return { ...(process.env as Record<string, string>), LANGUAGE: lang };
}

/** Chromium arguments for the production build at the production URLs (extension-engineering.md §4.3–4.6). */
export function chromiumArgs(opts: { extensionDir?: string; rules: string; debugPort?: number }): string[] {
  const ext = opts.extensionDir ?? CHROME_BUILD;
  return [
    `--disable-extensions-except=${ext}`,
    `--load-extension=${ext}`,
    `--host-resolver-rules=${opts.rules}`,
    '--ignore-certificate-errors',
    '--enable-unsafe-extension-debugging',
    ...(opts.debugPort ? [`--remote-debugging-port=${opts.debugPort}`] : []),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
  ];
}
