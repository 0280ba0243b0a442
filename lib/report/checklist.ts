import { z } from 'zod';
import type { SurfaceFields } from '../surfaces/fields';
import type { Surface } from '../surfaces/rules';

/**
 * What support needs for each surface (seed §2.1; axialys-surfaces.md §10), as data: each item is
 * a field of the report's checklist, required or not, pre-filled from what the surface's DOM
 * shows (`from`: a dotted path into the extracted fields; `a[].b` joins a list).
 * The labels are _locales keys `check_<id>`; select options `check_<id>_<option>`.
 */
export const ChecklistItemSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z]+$/),
  required: z.boolean(),
  input: z.enum(['text', 'select']),
  options: z.array(z.string().regex(/^[a-z-]+$/)).optional(),
  from: z.string().regex(/^[a-zA-Z.[\]]+$/).optional(),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;
export const ChecklistSchema = z.record(z.enum(['bar', 'supervision', 'extranet', 'other']), z.array(ChecklistItemSchema).max(20));

export const CHECKLISTS: Record<Surface, ChecklistItem[]> = ChecklistSchema.parse({
  bar: [
    { id: 'company', required: true, input: 'text', from: 'agent.company' },
    { id: 'agentLogin', required: true, input: 'text', from: 'agent.login' },
    { id: 'agentName', required: false, input: 'text', from: 'agent.name' },
    { id: 'agentStatus', required: true, input: 'text', from: 'status.label' },
    { id: 'callId', required: false, input: 'text', from: 'call.idAppel' },
    { id: 'callDirection', required: false, input: 'select', options: ['entrant', 'sortant'], from: 'call.direction' },
    { id: 'callerNumber', required: false, input: 'text', from: 'call.callerNumber' },
    { id: 'serviceNumber', required: false, input: 'text', from: 'call.serviceNumber' },
    { id: 'queue', required: false, input: 'text', from: 'call.group.name' },
    { id: 'audioMode', required: false, input: 'text', from: 'link.audioMode' },
    { id: 'headset', required: false, input: 'text' },
    { id: 'network', required: false, input: 'select', options: ['filaire', 'wifi', 'vpn', 'inconnu'] },
  ],
  supervision: [
    { id: 'company', required: true, input: 'text', from: 'supervisor.company' },
    { id: 'supervisorLogin', required: true, input: 'text', from: 'supervisor.login' },
    { id: 'queuesConcerned', required: true, input: 'text', from: 'queues[].name' },
    { id: 'operatorsConcerned', required: false, input: 'text', from: 'selectedOperator.login' },
    { id: 'actionTried', required: false, input: 'text' },
  ],
  extranet: [
    { id: 'company', required: true, input: 'text', from: 'account.company' },
    { id: 'adminLogin', required: true, input: 'text', from: 'admin.login' },
    { id: 'section', required: true, input: 'text', from: 'tab.label' },
    { id: 'objectConcerned', required: false, input: 'text', from: 'object.label' },
    { id: 'actionPerformed', required: true, input: 'text' },
    { id: 'errorMessage', required: false, input: 'text', from: 'error.text' },
    { id: 'filters', required: false, input: 'text' },
  ],
  other: [{ id: 'pageConcerned', required: true, input: 'text' }],
});

export type ChecklistValues = Record<string, string>;
export const ChecklistValuesSchema = z.record(z.string().max(50), z.string().max(500));

function read(value: unknown, path: string[]): string | null {
  if (value === null || value === undefined) return null;
  if (!path.length) return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  const [head, ...rest] = path as [string, ...string[]];
  if (head.endsWith('[]')) {
    const list = (value as Record<string, unknown>)[head.slice(0, -2)];
    if (!Array.isArray(list)) return null;
    const parts = list.map((v) => read(v, rest)).filter((v): v is string => !!v);
    return parts.length ? parts.join(', ') : null;
  }
  return typeof value === 'object' ? read((value as Record<string, unknown>)[head], rest) : null;
}

/** The checklist's values as the surface's DOM shows them (missing elements: absent). */
export function prefill(surface: Surface, fields: SurfaceFields | null): ChecklistValues {
  const out: ChecklistValues = {};
  if (!fields || fields.surface !== surface) return out;
  for (const item of CHECKLISTS[surface]) {
    const v = item.from ? read(fields, item.from.split('.')) : null;
    if (v && (!item.options || item.options.includes(v))) out[item.id] = v.slice(0, 500);
  }
  return out;
}

/** The required items left empty. */
export function missingItems(surface: Surface, values: ChecklistValues): string[] {
  return CHECKLISTS[surface].filter((i) => i.required && !(values[i.id] ?? '').trim()).map((i) => i.id);
}
