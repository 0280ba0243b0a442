import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { REPORT_SCHEMA_VERSION, ReportSchema } from '../lib/report/schema';

/**
 * docs/context.schema.json: the JSON Schema (draft 2020-12) of context.json, generated from the one
 * zod schema (lib/report/schema.ts) for support tooling. `npm run schema` rewrites it; a unit test
 * (test/unit/report/schema.test.ts) fails when the committed file is not the generated one.
 *
 * Generated for the input side (`io: 'input'`): nested objects do not forbid additional
 * properties, so the schema describes what readers accept (unknown fields are kept), and each
 * timeline event's `allOf` (the event kind ∩ its frame tags) can hold. The one type zod cannot
 * express, the events' bounded JSON values (a z.custom check in lib/capture/events.ts), is written
 * out by hand as `$defs/BoundedJson`; any other custom type makes the generation fail rather than
 * be described as "anything". Refinements (an arrow's non-zero length) are not expressed.
 */

export const SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/context.schema.json');

/** The message of lib/capture/events.ts's bounded-JSON check (a z.custom: zod cannot describe it). */
const BOUNDED_JSON_MESSAGE = 'not a bounded JSON value';

/** What that check accepts (isBoundedJson), as JSON Schema; its depth limit (32) is not expressed. */
const BOUNDED_JSON = {
  description: 'A JSON value within bounds: strings of at most 20 000 characters, arrays of at most 50 items, object keys of at most 200 characters, finite numbers.',
  anyOf: [
    { type: 'null' },
    { type: 'boolean' },
    { type: 'number' },
    { type: 'string', maxLength: 20_000 },
    { type: 'array', maxItems: 50, items: { $ref: '#/$defs/BoundedJson' } },
    { type: 'object', propertyNames: { maxLength: 200 }, additionalProperties: { $ref: '#/$defs/BoundedJson' } },
  ],
};

function customMessage(schema: unknown): string | null {
  const def = (schema as { _zod?: { def?: { type?: string; error?: (issue: unknown) => unknown } } })._zod?.def;
  if (def?.type !== 'custom') return null;
  const msg = def.error?.({});
  return typeof msg === 'string' ? msg : '';
}

export function contextJsonSchema(): Record<string, unknown> {
  const unknownCustoms: string[] = [];
  const generated = z.toJSONSchema(ReportSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const msg = customMessage(ctx.zodSchema);
      if (msg === null) return;
      if (msg !== BOUNDED_JSON_MESSAGE) {
        unknownCustoms.push(`${ctx.path.join('/')}: ${msg}`);
        return;
      }
      for (const k of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[k];
      (ctx.jsonSchema as Record<string, unknown>)['$ref'] = '#/$defs/BoundedJson';
    },
  }) as Record<string, unknown>;
  // Anything else zod cannot express fails the generation rather than being described as "any".
  if (unknownCustoms.length) throw new Error(`gen-context-schema: custom types with no JSON Schema: ${unknownCustoms.join('; ')}`);
  const { $schema, $defs, ...rest } = generated;
  return {
    $schema,
    title: `Témoin context.json (schemaVersion ${REPORT_SCHEMA_VERSION})`,
    description:
      'One Témoin incident report: what the user said, what the page showed (timeline of console, errors, network, WebSocket, WebRTC and clicks), the workstation and its own-side checks. Generated from lib/report/schema.ts by scripts/gen-context-schema.ts; do not edit.',
    ...rest,
    $defs: { ...($defs as Record<string, unknown> | undefined), BoundedJson: BOUNDED_JSON },
  };
}

export function contextJsonSchemaText(): string {
  return `${JSON.stringify(contextJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  fs.mkdirSync(path.dirname(SCHEMA_PATH), { recursive: true });
  fs.writeFileSync(SCHEMA_PATH, contextJsonSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_PATH)}`);
}
