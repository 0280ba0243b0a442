/**
 * Fault knobs, set over HTTP by tests (`POST /__standin/knobs`). Counted faults are consumed one
 * matching request at a time; the rest persist until reset.
 */
import { z } from 'zod';

export const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024; // nginx client_max_body_size 50M
export const DEFAULT_FORM_PER_HOUR = 20;

const count = z.number().int().min(1).max(1_000_000);

export const KnobsBodySchema = z
  .object({
    /** Answer this status (with the real body for it) for the next `times` matching requests. */
    status: z.number().int().min(400).max(599).optional(),
    /** Wait before handling matching requests (every one, or the next `times`). */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** Commit the next create, then never answer (or destroy the socket after `destroyAfterMs`). */
    timeoutAfterCommit: z.union([z.boolean(), z.object({ destroyAfterMs: z.number().int().min(0).max(600_000).optional() }).strict()]).optional(),
    /** Destroy the socket without any answer for the next N matching requests. */
    dropConnection: count.optional(),
    /** Answer 429 `Retry later` for the next N matching requests. */
    rateLimit429: count.optional(),
    /**
     * Silent loss (Zammad #5873): the next N creates (default path `POST /api/v1/tickets`) are
     * stored without the article's last attachment, and answered as usual.
     */
    dropLastAttachment: count.optional(),
    /** Silent truncation: the next N creates store the last attachment cut to half its bytes. */
    truncateLastAttachment: count.optional(),
    /** nginx `client_max_body_size` in bytes (default 50M). */
    maxBodyBytes: z.number().int().min(0).optional(),
    /** Answer searches in the pre-2023 `{tickets, tickets_count, assets}` shape. */
    legacySearchShape: z.boolean().optional(),
    /** Setting `form_ticket_create` (default false). */
    formEnabled: z.boolean().optional(),
    /** Rack::Attack `form_ticket_create_by_ip_per_hour` (default 20). */
    formRateLimitPerHour: z.number().int().min(0).optional(),
    /** Shifts the stand-in's clock (timestamps, form token age). */
    clockOffsetMs: z.number().int().optional(),
    /** How many requests `status` / `delayMs` / `timeoutAfterCommit` apply to. */
    times: count.optional(),
    /** Restricts the counted faults of this body to one path (exact; a trailing `*` makes it a prefix). */
    path: z.string().startsWith('/').optional(),
    /** Restricts them to one method. */
    method: z.string().min(1).optional(),
  })
  .strict();

export type KnobsBody = z.infer<typeof KnobsBodySchema>;

export type FaultKind = 'status' | 'delay' | 'timeoutAfterCommit' | 'drop' | 'rateLimit429' | 'dropLastAttachment' | 'truncateLastAttachment';

export interface Fault {
  kind: FaultKind;
  remaining: number;
  path?: string;
  method?: string;
  status?: number;
  delayMs?: number;
  destroyAfterMs?: number;
}

export interface KnobState {
  faults: Fault[];
  maxBodyBytes: number;
  legacySearchShape: boolean;
  formEnabled: boolean;
  formRateLimitPerHour: number;
  clockOffsetMs: number;
}

export function defaultKnobs(): KnobState {
  return {
    faults: [],
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
    legacySearchShape: false,
    formEnabled: false,
    formRateLimitPerHour: DEFAULT_FORM_PER_HOUR,
    clockOffsetMs: 0,
  };
}

export class Knobs {
  state: KnobState = defaultKnobs();

  reset(): void {
    this.state = defaultKnobs();
  }

  apply(body: KnobsBody): void {
    const s = this.state;
    const where = { ...(body.path ? { path: body.path } : {}), ...(body.method ? { method: body.method.toUpperCase() } : {}) };
    if (body.status !== undefined) s.faults.push({ kind: 'status', status: body.status, remaining: body.times ?? 1, ...where });
    if (body.delayMs !== undefined) s.faults.push({ kind: 'delay', delayMs: body.delayMs, remaining: body.times ?? Infinity, ...where });
    if (body.timeoutAfterCommit) {
      const destroy = typeof body.timeoutAfterCommit === 'object' ? body.timeoutAfterCommit.destroyAfterMs : undefined;
      s.faults.push({
        kind: 'timeoutAfterCommit',
        remaining: body.times ?? 1,
        ...where,
        ...(destroy !== undefined ? { destroyAfterMs: destroy } : {}),
      });
    }
    if (body.timeoutAfterCommit === false) s.faults = s.faults.filter((f) => f.kind !== 'timeoutAfterCommit');
    if (body.dropConnection !== undefined) s.faults.push({ kind: 'drop', remaining: body.dropConnection, ...where });
    if (body.rateLimit429 !== undefined) s.faults.push({ kind: 'rateLimit429', remaining: body.rateLimit429, ...where });
    if (body.dropLastAttachment !== undefined) s.faults.push({ kind: 'dropLastAttachment', remaining: body.dropLastAttachment, ...where });
    if (body.truncateLastAttachment !== undefined) s.faults.push({ kind: 'truncateLastAttachment', remaining: body.truncateLastAttachment, ...where });
    if (body.maxBodyBytes !== undefined) s.maxBodyBytes = body.maxBodyBytes;
    if (body.legacySearchShape !== undefined) s.legacySearchShape = body.legacySearchShape;
    if (body.formEnabled !== undefined) s.formEnabled = body.formEnabled;
    if (body.formRateLimitPerHour !== undefined) s.formRateLimitPerHour = body.formRateLimitPerHour;
    if (body.clockOffsetMs !== undefined) s.clockOffsetMs = body.clockOffsetMs;
  }

  private static matches(f: Fault, method: string, pathname: string): boolean {
    if (f.method ? f.method !== method : method === 'OPTIONS') return false;
    if (!f.path) return true;
    return f.path.endsWith('*') ? pathname.startsWith(f.path.slice(0, -1)) : pathname === f.path;
  }

  /** Takes (and counts down) the first matching fault of that kind. */
  take(kind: FaultKind, method: string, pathname: string, defaultPath?: string): Fault | undefined {
    const f = this.state.faults.find(
      (x) => x.kind === kind && x.remaining > 0 && Knobs.matches(x.path || !defaultPath ? x : { ...x, path: defaultPath }, method, pathname),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) this.state.faults = this.state.faults.filter((x) => x !== f);
    return f;
  }

  /** JSON view (Infinity shown as null). */
  view(): unknown {
    return { ...this.state, faults: this.state.faults.map((f) => ({ ...f, remaining: Number.isFinite(f.remaining) ? f.remaining : null })) };
  }
}
