import { z } from 'zod';
import { EnvironmentSchema } from '../capture/env';
import { CapturedEventSchema } from '../capture/events';
import { PrecheckResultSchema } from '../capture/prechecks';
import { FrameStatsSchema } from '../capture/snapshot';
import { ShapesSchema } from '../screenshot/annotations';
import { SurfaceSchema } from '../surfaces/rules';
import { SkewResultSchema } from '../time/skew';
import { DescriptionSchema } from './draft';
import { MomentSchema } from './time';

/**
 * The one versioned report: what `context.json` holds, what the popup's preview shows, what
 * delivery files and what report.html and the viewer render. Built from the draft and the tab's
 * snapshot by `assemble.ts`, scrubbed there as a whole.
 *
 * Versioning: `schemaVersion` rises when a field changes meaning or is removed; adding an optional
 * field does not. Readers keep fields they do not know (loose objects), so an older viewer opens a
 * newer file and shows what it understands.
 */
export const REPORT_SCHEMA_VERSION = 1;

/** The client marker in every ticket: lets delivery find a ticket committed before a timeout. */
export const ReportIdSchema = z.string().regex(/^TMN-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

const text = (max: number) => z.string().max(max);

export const TimelineEventSchema = z.intersection(
  CapturedEventSchema,
  z.object({ frameId: z.number().int().nonnegative(), surface: SurfaceSchema, life: text(64) }),
);
export type ReportTimelineEvent = z.infer<typeof TimelineEventSchema>;

export const ReportFrameSchema = z.looseObject({
  frameId: z.number().int().nonnegative(),
  url: text(4000),
  topOrigin: text(300).nullable(),
  surface: SurfaceSchema,
  life: text(64),
  startedAt: z.number().finite(),
  endedAt: z.number().finite().nullable(),
  live: z.boolean(),
  stats: FrameStatsSchema,
});

export const ChecklistEntrySchema = z.looseObject({
  id: text(50),
  /** The label in the reporter's language, so a reader needs no locale file. */
  label: text(200),
  required: z.boolean(),
  value: text(500),
  /** The value came from the page (extractor), not typed. */
  prefilled: z.boolean(),
});
export type ChecklistEntry = z.infer<typeof ChecklistEntrySchema>;

export const ReportScreenshotSchema = z.looseObject({
  /** The attachment's file name in the ticket and the bundle (`capture-1.jpg`…). */
  filename: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
  mimeType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  bytes: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  source: z.enum(['tab', 'file', 'page-render']),
  /** The annotations, already burned into the pixels; kept so a reader can list them. */
  shapes: ShapesSchema,
  /** Redacted (black-out) regions are in the pixels only: the original is never sent. */
  redactions: z.number().int().nonnegative(),
  /** An attached file's own name as the user's system gave it (source `file`); untrusted text. */
  name: text(200).optional(),
});
export type ReportScreenshot = z.infer<typeof ReportScreenshotSchema>;

export const ReportSchema = z.looseObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  id: ReportIdSchema,
  generator: z.looseObject({ name: z.literal('Témoin'), version: text(40) }),
  /** The reporter's UI language when they sent it. */
  lang: z.enum(['fr', 'en']),
  kind: z.enum(['fault', 'request']),
  /** The surface the user confirmed, and the one Témoin detected. */
  surface: SurfaceSchema,
  detectedSurface: SurfaceSchema,
  /** The origin of the page that embeds the surface (a CRM), or null when it is the top page. */
  embeddedIn: text(300).nullable(),
  /** The surface frame's URL, scrubbed. */
  url: text(4000),
  /** The login or name shown by the surface (agent, supervisor, admin), when known. */
  user: text(200).nullable(),
  /** The click that opened Témoin. */
  openedAt: MomentSchema,
  /** When the report was frozen for sending. */
  createdAt: MomentSchema,
  fault: z.looseObject({
    at: MomentSchema,
    mode: z.enum(['now', 'event', 'typed']),
    /** What the user picked or typed ("console: TypeError…", "il y a 5 min"). */
    label: text(200),
  }),
  description: DescriptionSchema,
  checklist: z.array(ChecklistEntrySchema).max(30),
  /** What the surface's DOM showed at the snapshot (agent, status, call, queues…), as extracted. */
  fields: z.record(z.string().max(50), z.json()),
  env: EnvironmentSchema.nullable(),
  ownSide: z
    .looseObject({ origin: text(300), prechecks: z.array(PrecheckResultSchema).max(10), skew: SkewResultSchema })
    .nullable(),
  /** What the user chose to include (the preview's toggles); excluded kinds are absent from the timeline. */
  include: z.looseObject({ console: z.boolean(), network: z.boolean() }),
  frames: z.array(ReportFrameSchema).max(100),
  timeline: z.array(TimelineEventSchema).max(20_000),
  screenshots: z.array(ReportScreenshotSchema).max(10),
});
export type Report = z.infer<typeof ReportSchema>;

/** Parses a context.json (text or value); throws a ZodError (or SyntaxError) naming what is wrong. */
export function parseReport(input: string | unknown): Report {
  return ReportSchema.parse(typeof input === 'string' ? JSON.parse(input) : input);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A validated report with the fields this version does not know put back, at every depth (zod's
 * nested objects strip them): a newer file opened here keeps its data, e.g. for a re-export.
 * Known fields keep their validated values; unknown ones stay untrusted data, shown only as text.
 */
export function keepUnknownFields<T>(parsed: T, original: unknown): T {
  if (Array.isArray(parsed) && Array.isArray(original) && parsed.length === original.length) {
    return parsed.map((v, i) => keepUnknownFields(v, original[i])) as T;
  }
  if (!isPlainObject(parsed) || !isPlainObject(original)) return parsed;
  const out: Record<string, unknown> = { ...parsed };
  for (const [k, v] of Object.entries(original)) {
    if (k === '__proto__') continue;
    out[k] = Object.hasOwn(parsed, k) ? keepUnknownFields(parsed[k], v) : v;
  }
  return out as T;
}
