import { randomBytes } from 'node:crypto';
import { defineConfig } from 'wxt';
import { AXIALYS_MATCHES, GECKO_ID, MANIFEST_KEY, ZAMMAD_ORIGIN_MATCH } from './lib/identity';

/** Per-build random namespace for the page-hook ↔ bridge events (pages cannot guess it in advance). */
const EVENT_NAMESPACE = `tmn${randomBytes(6).toString('hex')}`;

export default defineConfig({
  imports: false,
  // TEMOIN_OUT_DIR: parallel jobs on one checkout (bench, test runs) keep their builds apart.
  outDir: process.env.TEMOIN_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  vite: () => ({
    define: { __TEMOIN_NS__: JSON.stringify(EVENT_NAMESPACE) },
    build: { sourcemap: false },
    plugins: [
      {
        // A MAIN-world wrapper defined in a chrome-extension:// file makes every wrapped
        // console call ~6x slower (stack frames must be resolved); a sourceURL avoids it
        // (shared/docs/measured-baselines.md, checked by bench/).
        name: 'temoin-page-hook-source-url',
        generateBundle(_options, bundle) {
          for (const chunk of Object.values(bundle)) {
            if (chunk.type === 'chunk' && chunk.fileName.endsWith('page-hook.js')) chunk.code += '\n//# sourceURL=temoin-page-hook.js\n';
          }
        },
      },
    ],
  }),
  zip: {
    includeSources: [
      'entrypoints/**', 'components/**', 'lib/**', 'public/**', 'dev/**', 'test/**', 'bench/**',
      'package.json', 'package-lock.json', 'tsconfig.json', 'wxt.config.ts', 'vitest.config.ts',
      'playwright.config.ts', 'README.md',
    ],
    excludeSources: ['**/node_modules/**', '.output/**', 'test-results/**'],
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'fr',
    permissions: ['storage', 'activeTab', 'alarms', 'notifications', 'contextMenus', 'webNavigation', 'scripting'],
    host_permissions: [...AXIALYS_MATCHES, ZAMMAD_ORIGIN_MATCH],
    // A customer's own Zammad (options page): its origin is requested at run time, one origin at a
    // time (lib/background/delivery.ts, entrypoints/options). MV2 lists optional hosts with the
    // optional permissions.
    ...(manifestVersion === 3 ? { optional_host_permissions: ['https://*/*'] } : { optional_permissions: ['https://*/*'] }),
    action: { default_title: '__MSG_actionTitle__' },
    // Opens the popup like the toolbar button (and grants activeTab). Changeable by the user at
    // chrome://extensions/shortcuts or about:addons → Manage Extension Shortcuts.
    // Firefox MV2 opens the browser action for `_execute_browser_action` only.
    commands: {
      [manifestVersion === 3 ? '_execute_action' : '_execute_browser_action']: { suggested_key: { default: 'Alt+Shift+S' }, description: '__MSG_commandReport__' },
    },
    // Only the page hook is declared (its own entrypoint: MAIN world, document_start). The bridge
    // (entrypoints/page-bridge.ts, isolated world) is injected by the background once a frame has
    // loaded (lib/background/bridge-injection.ts): webNavigation tells when, scripting injects.
    // The bridge's heavy half, imported by the bridge once the page has loaded (lib/capture/inbox.ts).
    // (The fallback screenshot is drawn in the popup, not in the page: nothing else is exposed.)
    web_accessible_resources: [{ resources: ['frame-agent.js'], matches: AXIALYS_MATCHES }],
    icons: { 16: 'icon/16.png', 32: 'icon/32.png', 48: 'icon/48.png', 128: 'icon/128.png' },
    ...(browser !== 'firefox' && {
      key: MANIFEST_KEY,
      storage: { managed_schema: 'managed_schema.json' },
    }),
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: GECKO_ID,
          strict_min_version: '128.0',
          // Témoin sends page context (logs, URLs, surface fields: agent and caller identities) and screenshots to the
          // configured Zammad, only when the user files a report.
          data_collection_permissions: { required: ['websiteContent', 'websiteActivity', 'personallyIdentifyingInfo'] },
        },
      },
    }),
    // 127: action.openPopup() from the context menu.
    ...(manifestVersion === 3 && { minimum_chrome_version: '127' }),
  }),
});
