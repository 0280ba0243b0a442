import { z } from 'zod';
import fr from '../../public/_locales/fr/messages.json' with { type: 'json' };
import { EnvironmentSchema } from '../capture/env';
import { REPORT_SCHEMA_VERSION, ReportIdSchema, TimelineEventSchema, type Report } from '../report/schema';
import { moment } from '../report/time';
import { SurfaceSchema } from '../surfaces/rules';

/**
 * Older context.json shapes, brought up to the current schema for reading.
 *
 * schemaVersion 0 is the pre-release file (Témoin 0.0.x, test deployments only): the tab's
 * snapshot with the form's answers as flat values; no moments (epoch ms only), no pre-checks, no
 * screenshot details. `migrateV0` maps it field by field; what it did not carry gets the schema's
 * "unknown" value (null, '', false, []), never an invented one.
 */

const filename = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/);

export const ReportV0Schema = z.looseObject({
  schemaVersion: z.literal(0),
  id: ReportIdSchema,
  /** Témoin's version. */
  version: z.string().max(40).optional(),
  surface: SurfaceSchema,
  url: z.string().max(4000),
  user: z.string().max(200).nullable().optional(),
  /** Epoch ms. */
  createdAt: z.number().finite(),
  faultAt: z.number().finite(),
  userZone: z.string().max(100).optional(),
  description: z.string().max(5000),
  steps: z.string().max(3000).optional(),
  /** Checklist id → value. */
  checklist: z.record(z.string().max(50), z.string().max(500)),
  env: EnvironmentSchema.nullable().optional(),
  timeline: z.array(TimelineEventSchema).max(20_000),
  screenshots: z
    .array(z.looseObject({ filename, width: z.number().int().positive(), height: z.number().int().positive() }))
    .max(10)
    .optional(),
});
export type ReportV0 = z.infer<typeof ReportV0Schema>;

const MIME: Record<string, 'image/png' | 'image/jpeg' | 'image/webp'> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' };

function checklistLabel(id: string): string {
  const m = (fr as Record<string, { message: string } | undefined>)[`check_${id}`];
  return m?.message ?? id;
}

/** A schema-0 file as a current report (not yet validated: the caller parses the result). */
export function migrateV0(v0: ReportV0): Report {
  const zone = v0.userZone ?? 'Europe/Paris';
  const known = new Set(Object.keys(ReportV0Schema.shape));
  const extra = Object.fromEntries(Object.entries(v0).filter(([k]) => !known.has(k)));
  return {
    ...extra,
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: v0.id,
    generator: { name: 'Témoin', version: v0.version ?? '0' },
    lang: 'fr',
    kind: 'fault',
    surface: v0.surface,
    detectedSurface: v0.surface,
    embeddedIn: null,
    url: v0.url,
    user: v0.user ?? null,
    openedAt: moment(v0.createdAt, zone),
    createdAt: moment(v0.createdAt, zone),
    fault: { at: moment(v0.faultAt, zone), mode: v0.faultAt === v0.createdAt ? 'now' : 'typed', label: '' },
    description: {
      what: v0.description,
      context: null,
      button: '',
      clickNoEffect: false,
      missing: '',
      affected: null,
      reproducible: null,
      steps: v0.steps ?? '',
    },
    checklist: Object.entries(v0.checklist)
      .slice(0, 30)
      .map(([id, value]) => ({ id, label: checklistLabel(id), required: false, value, prefilled: false })),
    fields: { surface: v0.surface },
    env: v0.env ?? null,
    ownSide: null,
    include: { console: true, network: true },
    frames: [],
    timeline: v0.timeline,
    screenshots: (v0.screenshots ?? []).flatMap((s) => {
      const mimeType = MIME[s.filename.split('.').pop()?.toLowerCase() ?? ''];
      return mimeType
        ? [{ filename: s.filename, mimeType, bytes: 0, width: s.width, height: s.height, source: 'tab' as const, shapes: [], redactions: 0 }]
        : [];
    }),
  };
}
