import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKLISTS } from '../../../lib/report/checklist';
import { AFFECTED, DESCRIPTION_CONTEXTS, REPRODUCIBLE } from '../../../lib/report/draft';
import { isReplayKey, replayDicts, resolveMessage } from '../../../lib/replay/messages';
import { EVENT_KINDS } from '../../../lib/replay/model';
import { SURFACES } from '../../../lib/surfaces/rules';

const root = path.resolve(__dirname, '../../..');
const dicts = replayDicts();
const sources = ['lib/replay/model.ts', 'lib/replay/render.ts', 'lib/replay/time.ts', 'lib/report/summary.ts', 'lib/report/report-html.ts'];

/** Every `fmt(d, 'key'…)`, `fmt(dict, 'key'…)`, `[..., 'replayX']` literal key the replay code names. */
function literalKeys(): string[] {
  const keys = new Set<string>();
  for (const f of sources) {
    const src = fs.readFileSync(path.join(root, f), 'utf8');
    for (const m of src.matchAll(/fmt\(\s*(?:d|dict)\s*,\s*'([A-Za-z0-9_]+)'/g)) keys.add(m[1]!);
    for (const m of src.matchAll(/'((?:replay|surfaceShort_)[A-Za-z0-9_]+)'/g)) keys.add(m[1]!);
  }
  return [...keys].sort();
}

describe('the replay strings', () => {
  it('has, in both languages, every key the renderer and the summary name', () => {
    const keys = literalKeys();
    expect(keys.length).toBeGreaterThan(100);
    for (const k of keys) {
      expect(dicts.fr[k], `fr ${k}`).toBeTypeOf('string');
      expect(dicts.en[k], `en ${k}`).toBeTypeOf('string');
    }
  });

  it('has every key the renderer builds from data', () => {
    const built = [
      ...[...EVENT_KINDS, 'fault', 'other'].map((k) => `replayKind_${k}`),
      ...['now', 'event', 'typed'].map((m) => `replayFaultMode_${m}`),
      ...['tab', 'file', 'page_render'].map((s) => `replayShotSource_${s}`),
      ...SURFACES.flatMap((s) => [`surface_${s}`, `surfaceShort_${s}`]),
      ...DESCRIPTION_CONTEXTS.map((c) => `ctx_${c.replace(/-/g, '_')}`),
      ...AFFECTED.map((a) => `affected_${a}`),
      ...REPRODUCIBLE.map((r) => `repro_${r}`),
    ];
    for (const k of built) {
      expect(dicts.fr[k], `fr ${k}`).toBeTypeOf('string');
      expect(dicts.en[k], `en ${k}`).toBeTypeOf('string');
    }
    expect(Object.keys(CHECKLISTS)).toEqual([...SURFACES]);
  });

  it('embeds only the replay’s keys (report.html carries no other text of the extension)', () => {
    for (const lang of ['fr', 'en'] as const) {
      const keys = Object.keys(dicts[lang]);
      expect(keys.every(isReplayKey)).toBe(true);
      for (const other of ['extName', 'zammadToken', 'optionsHeading', 'viewerHeading']) expect(keys).not.toContain(other);
    }
    expect(Object.keys(dicts.fr).sort()).toEqual(Object.keys(dicts.en).sort());
  });

  it('turns named placeholders into positional ones', () => {
    expect(resolveMessage({ message: 'Latence vers $HOST$ : $MS$ ms', placeholders: { ms: { content: '$1' }, host: { content: '$2' } } })).toBe('Latence vers $2 : $1 ms');
    expect(dicts.en['precheck_latency_pass']).toBe('Latency to $2: $1 ms (Axialys requirement: under $3 ms).');
    expect(Object.values(dicts.fr).some((m) => /\$[A-Z_]+\$/.test(m))).toBe(false);
  });
});
