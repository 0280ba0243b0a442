import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTENTION_REASONS, DELIVERY_MODES } from '../../../lib/delivery/outbox-types';

const root = path.resolve(__dirname, '../../..');
const load = (lang: string) => JSON.parse(fs.readFileSync(path.join(root, 'public/_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;

describe('delivery texts', () => {
  const files = ['components/Outbox.tsx', 'entrypoints/options/App.tsx', 'lib/background/delivery.ts'];

  it.each(['fr', 'en'])('%s has a reason and an advice for every attention reason, and a label per mode', (lang) => {
    const m = load(lang);
    for (const r of ATTENTION_REASONS) {
      expect(m[`outboxReason_${r}`]?.message, r).toBeTruthy();
      expect(m[`outboxAdvice_${r}`]?.message, r).toBeTruthy();
    }
    for (const mode of DELIVERY_MODES) expect(m[`deliveryMode_${mode}`]?.message, mode).toBeTruthy();
    for (const s of ['queued', 'sending', 'sent', 'attention']) expect(m[`outboxState_${s}`]?.message).toBeTruthy();
  });

  it.each(['fr', 'en'])('%s has every key the delivery UI names literally', (lang) => {
    const m = load(lang);
    for (const f of files) {
      const src = fs.readFileSync(path.join(root, f), 'utf8');
      for (const [, key] of src.matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) expect(m[key!], `${f}: ${key}`).toBeDefined();
    }
  });

  it('says "Mes signalements" in French', () => {
    expect(load('fr').outboxHeading!.message).toBe('Mes signalements');
  });
});
