import { z } from 'zod';
import { ShapesSchema } from '../screenshot/annotations';
import { SurfaceSchema } from '../surfaces/rules';
import { ChecklistValuesSchema } from './checklist';

/**
 * What the user is writing in the popup for one tab: kept on every change, so that closing the
 * popup (a click outside), the service worker restarting or the browser restarting loses nothing.
 * Screenshot pixels are stored beside it (draft-store.ts), only their metadata lives here.
 */

export const DESCRIPTION_CONTEXTS = ['status-change', 'first-login', 'during-call', 'after-call', 'action', 'other'] as const;
export const AFFECTED = ['me', 'several', 'everyone'] as const;
export const REPRODUCIBLE = ['always', 'sometimes', 'once'] as const;

const text = (max: number) => z.string().max(max);

export const DescriptionSchema = z.object({
  /** What happened, in the user's words (required). */
  what: text(5000),
  /** Seed §3.1 prompts. */
  context: z.enum(DESCRIPTION_CONTEXTS).nullable(),
  button: text(300),
  clickNoEffect: z.boolean(),
  missing: text(300),
  affected: z.enum(AFFECTED).nullable(),
  reproducible: z.enum(REPRODUCIBLE).nullable(),
  steps: text(3000),
});
export type Description = z.infer<typeof DescriptionSchema>;

export const FaultTimeSchema = z.discriminatedUnion('mode', [
  /** The moment of the click that opened Témoin (the default). */
  z.object({ mode: z.literal('now') }),
  /** An event the user picked in the recent timeline. */
  z.object({ mode: z.literal('event'), ms: z.number().finite(), label: text(200) }),
  /** A time the user typed ("15h42", "il y a 5 min"); ms is null while it is not understood. */
  z.object({ mode: z.literal('typed'), text: text(100), ms: z.number().finite().nullable() }),
]);
export type FaultTime = z.infer<typeof FaultTimeSchema>;

export const ScreenshotMetaSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  source: z.enum(['tab', 'file', 'page-render']),
  name: text(200),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  shapes: ShapesSchema,
  lossless: z.boolean(),
});
export type ScreenshotMeta = z.infer<typeof ScreenshotMetaSchema>;

export const DraftSchema = z.object({
  v: z.literal(1),
  tabId: z.number().int().nonnegative(),
  /** The click that opened Témoin, epoch ms (the report's reference time). */
  openedAt: z.number().finite(),
  updatedAt: z.number().finite(),
  /** Seed §1: a fault on a service that usually works (support), or a request (Customer Success). */
  kind: z.enum(['fault', 'request']).nullable(),
  surface: SurfaceSchema,
  detectedSurface: SurfaceSchema,
  checklist: ChecklistValuesSchema,
  faultTime: FaultTimeSchema,
  description: DescriptionSchema,
  screenshots: z.array(ScreenshotMetaSchema).max(10),
});
export type Draft = z.infer<typeof DraftSchema>;

export function newDraft(tabId: number, openedAt: number, surface: Draft['surface'], checklist: Draft['checklist']): Draft {
  return {
    v: 1,
    tabId,
    openedAt,
    updatedAt: openedAt,
    kind: null,
    surface,
    detectedSurface: surface,
    checklist,
    faultTime: { mode: 'now' },
    description: { what: '', context: null, button: '', clickNoEffect: false, missing: '', affected: null, reproducible: null, steps: '' },
    screenshots: [],
  };
}

/** The fault's moment, epoch ms, or null while a typed time is not understood. */
export function faultMs(d: Pick<Draft, 'faultTime' | 'openedAt'>): number | null {
  return d.faultTime.mode === 'now' ? d.openedAt : d.faultTime.ms;
}

/** Drafts older than this are not restored (the context they describe is gone). */
export const DRAFT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
