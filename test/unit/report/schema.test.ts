import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { parseReport, ReportSchema } from '../../../lib/report/schema';
import { contextJsonSchema, contextJsonSchemaText, SCHEMA_PATH } from '../../../scripts/gen-context-schema';
import { fixtureText, hostileReport } from '../../fixtures/reports/hostile';

const v1 = () => JSON.parse(fixtureText('bar-fault.v1.json'));

describe('the report schema (context.json)', () => {
  it('parses the real-capture fixture and keeps fields it does not know', () => {
    const report = parseReport(fixtureText('bar-fault.v1.json'));
    expect(report.schemaVersion).toBe(1);
    expect(report.timeline.length).toBeGreaterThan(30);
    const extra = parseReport({ ...v1(), addedLater: { x: [1, 2] }, fault: { ...v1().fault, why: 'kept' } });
    expect(extra['addedLater']).toEqual({ x: [1, 2] });
    expect(extra.fault['why']).toBe('kept');
  });

  it('takes an attached screenshot’s own name as optional text, never as the file name', () => {
    const r = v1();
    r.screenshots[0].name = 'Capture d’écran 2026-11-27 à 15.42.10.png';
    expect(parseReport(r).screenshots[0]!.name).toBe('Capture d’écran 2026-11-27 à 15.42.10.png');
    r.screenshots[0].filename = '../capture.jpg<script>';
    expect(() => parseReport(r)).toThrow();
  });

  it('is strict about the version: other versions go through the viewer’s reader (lib/replay/open.ts)', () => {
    expect(() => parseReport(fixtureText('bar-fault.v0.json'))).toThrow();
    expect(() => parseReport(fixtureText('bar-fault.v2.json'))).toThrow();
  });
});

describe('docs/context.schema.json', () => {
  it('is the one generated from the zod schema (run `npm run schema` after changing lib/report/schema.ts)', () => {
    expect(fs.readFileSync(SCHEMA_PATH, 'utf8')).toBe(contextJsonSchemaText());
  });

  it('accepts what the zod schema accepts, refuses what it refuses', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(contextJsonSchema());
    expect(validate(v1()), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const { report: hostile } = hostileReport(ReportSchema.parse(v1()));
    expect(validate(JSON.parse(JSON.stringify(hostile))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    for (const bad of [
      { ...v1(), schemaVersion: 2 },
      { ...v1(), id: 'TMN-nope' },
      { ...v1(), surface: 'moon' },
      { ...v1(), timeline: [{ k: 'console', t: 1, frameId: 0, surface: 'bar', life: 'x' }] },
      { ...v1(), timeline: [{ k: 'nav', t: 1, how: 'push', url: 'x' }] },
      { ...v1(), timeline: [{ k: 'console', l: 'error', t: 1, a: ['x'.repeat(20_001)], frameId: 0, surface: 'bar', life: 'x' }] },
      { ...v1(), timeline: [{ k: 'rejection', t: 1, r: { ['k'.repeat(201)]: 1 }, frameId: 0, surface: 'bar', life: 'x' }] },
    ]) {
      expect(ReportSchema.safeParse(bad).success).toBe(false);
      expect(validate(bad)).toBe(false);
    }
  });
});
