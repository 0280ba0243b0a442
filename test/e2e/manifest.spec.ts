import fs from 'node:fs';
import zlib from 'node:zlib';
import { CHROME_BUILD, FIREFOX_BUILD } from '../../dev/chromium';
import { CHROME_EXTENSION_ID } from '../../lib/identity';
import { expect, test } from './fixtures';

const AXIALYS = ['https://voice-management.axialys.com/*', 'https://admin.axialys.net/*'];

interface ContentScript { matches: string[]; world?: string; run_at?: string; all_frames?: boolean; js: string[] }

test('the built Chrome manifest is least-privilege, with a fixed identity and a managed schema', () => {
  const manifest = JSON.parse(fs.readFileSync(`${CHROME_BUILD}/manifest.json`, 'utf8'));
  expect(manifest.manifest_version).toBe(3);
  expect(typeof manifest.key).toBe('string');
  expect(manifest.storage?.managed_schema).toBe('managed_schema.json');
  const schema = JSON.parse(fs.readFileSync(`${CHROME_BUILD}/managed_schema.json`, 'utf8'));
  expect(schema.type).toBe('object');
  // webNavigation and scripting: the bridge is injected into each Axialys frame once it has loaded
  // (lib/background/bridge-injection.ts), not declared, so that it costs the page's load nothing.
  expect(manifest.permissions.sort()).toEqual(['activeTab', 'alarms', 'contextMenus', 'notifications', 'scripting', 'storage', 'webNavigation']);
  // The keyboard shortcut opens the popup as the toolbar button does (and can be changed by the user).
  expect(manifest.commands).toEqual({ _execute_action: { suggested_key: { default: 'Alt+Shift+S' }, description: '__MSG_commandReport__' } });
  expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
  expect(manifest.host_permissions.sort()).toEqual([...AXIALYS, 'https://zammad.axialys.net/*'].sort());
  // A customer's own Zammad: requested at run time for that one origin (options page).
  expect(manifest.optional_host_permissions).toEqual(['https://*/*']);

  // Only the page hook is declared; nothing runs in the isolated world during a page's load.
  const scripts: ContentScript[] = manifest.content_scripts;
  expect(scripts).toHaveLength(1);
  expect(scripts[0]!.matches.sort()).toEqual([...AXIALYS].sort());
  expect(scripts[0]).toMatchObject({ world: 'MAIN', run_at: 'document_start', all_frames: true });
  expect(scripts[0]!.js).toEqual(['content-scripts/page-hook.js']);
  expect(fs.existsSync(`${CHROME_BUILD}/page-bridge.js`)).toBe(true);
  // The bridge's heavy half (zod, scrubber, messaging), imported once the page has loaded, is the
  // only file pages can reach, and only the Axialys pages (the fallback screenshot is drawn in the
  // popup, from the document the frame agent writes out).
  expect(manifest.web_accessible_resources).toEqual([{ resources: ['frame-agent.js'], matches: [...AXIALYS] }]);
  expect(manifest.default_locale).toBe('fr');
});

test('the built page hook, injected into every Axialys frame at document_start, is at most 4 KB gzipped', () => {
  const hook = fs.readFileSync(`${CHROME_BUILD}/content-scripts/page-hook.js`);
  expect(hook.length).toBeGreaterThan(1000);
  expect(zlib.gzipSync(hook, { level: 9 }).length).toBeLessThanOrEqual(4096);
});

test('the manifest key gives the committed extension id', async ({ extensionId }) => {
  expect(extensionId).toBe(CHROME_EXTENSION_ID);
});

test('the Firefox manifest binds the shortcut to its browser action, and asks no host beyond the Axialys ones up front', () => {
  const manifest = JSON.parse(fs.readFileSync(`${FIREFOX_BUILD}/manifest.json`, 'utf8'));
  expect(manifest.manifest_version).toBe(2);
  // Firefox MV2 opens the popup for `_execute_browser_action` only (`_execute_action` is MV3's).
  expect(manifest.commands).toEqual({ _execute_browser_action: { suggested_key: { default: 'Alt+Shift+S' }, description: '__MSG_commandReport__' } });
  expect(manifest.permissions).not.toContain('<all_urls>');
  // A customer's own Zammad: one origin, asked for at run time.
  expect(manifest.optional_permissions).toEqual(['https://*/*']);
});
