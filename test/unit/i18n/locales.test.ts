import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const root = path.resolve(__dirname, '../../..');
const load = (lang: string) => JSON.parse(fs.readFileSync(path.join(root, 'public/_locales', lang, 'messages.json'), 'utf8')) as Messages;
const fr = load('fr');
const en = load('en');

/** Message keys a lib module builds as string literals (e.g. pre-check results): `'precheck_…'`. */
function keysIn(file: string, prefixes: string[]): string[] {
  const src = fs.readFileSync(path.join(root, file), 'utf8');
  const keys = new Set<string>();
  for (const p of prefixes) {
    for (const m of src.matchAll(new RegExp(`['\`](${p}[a-z_]*)(\\$\\{status\\})?['\`]`, 'g'))) {
      if (m[2]) for (const s of ['pass', 'warn', 'fail']) keys.add(`${m[1]}${s}`);
      else keys.add(m[1]!);
    }
  }
  return [...keys].sort();
}

describe('_locales', () => {
  it('French and English have the same keys and the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    for (const [key, m] of Object.entries(fr)) {
      expect(Object.keys(en[key]!.placeholders ?? {}), key).toEqual(Object.keys(m.placeholders ?? {}));
    }
  });

  it('every placeholder is used in its message, in both languages', () => {
    for (const msgs of [fr, en]) {
      for (const [key, m] of Object.entries(msgs)) {
        for (const name of Object.keys(m.placeholders ?? {})) expect(m.message, key).toContain(`$${name.toUpperCase()}$`);
      }
    }
  });

  it('has every pre-check message and advice the pre-checks can return', () => {
    const keys = keysIn('lib/capture/prechecks.ts', ['precheck_', 'advice_']);
    expect(keys.length).toBeGreaterThan(25);
    for (const k of keys) {
      expect(fr[k], `fr ${k}`).toBeDefined();
      expect(en[k], `en ${k}`).toBeDefined();
    }
  });
});
