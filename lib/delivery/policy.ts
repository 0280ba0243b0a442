/**
 * Delivery decisions as pure functions: the retry schedule, and what each failure means for a
 * report (retry later, re-encode, split, or ask the user). See shared/docs/zammad-api.md §2.3,
 * §4.3 and §6, and issue 5.
 */
import type { AttentionReason } from './outbox-types';
import { ZammadError } from './zammad';

/** First retry after about this long; doubles each time, up to MAX_BACKOFF_MS. */
export const BASE_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 15 * 60_000;
/** How many times screenshots are re-encoded after a 413 before the attachments are split. */
export const MAX_SHRINK_LEVEL = 2;
/** Follow-up articles a report may need (missing attachments, split); beyond: needs attention. */
export const MAX_FOLLOW_UPS = 12;

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed, half random, so
 * retries from many workstations spread out but never come back immediately.
 * `attempt` counts failures (1 for the first retry); `random` is in [0, 1).
 */
export function backoffMs(attempt: number, random: number, base = BASE_BACKOFF_MS, cap = MAX_BACKOFF_MS): number {
  const n = Math.max(1, Math.floor(attempt));
  const step = Math.min(cap, base * 2 ** Math.min(n - 1, 30));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(step / 2 + (step / 2) * r);
}

/** The next attempt's time: the backoff, or later if the server asked for it (`Retry-After`). */
export function nextAttemptAt(now: number, attempt: number, random: number, retryAfterMs: number | null): number {
  return now + Math.max(backoffMs(attempt, random), Math.min(retryAfterMs ?? 0, MAX_BACKOFF_MS));
}

export type Step = 'me' | 'groups' | 'search' | 'create' | 'verify' | 'follow-up' | 'form-config' | 'form';

export type Decision =
  /** Try again later (alarms). `ambiguous`: the request may have been committed: search first. */
  | { action: 'retry'; ambiguous: boolean; retryAfterMs: number | null; message: string }
  /** 413: re-encode smaller or split, then try again at once. */
  | { action: 'shrink'; message: string }
  /** Stop and show the reason; the report is kept. */
  | { action: 'attention'; reason: AttentionReason; detail: string };

/** Requests that change something in Zammad: a lost answer leaves their outcome unknown. */
const WRITES: readonly Step[] = ['create', 'follow-up', 'form'];

/**
 * What a failure of `step` means.
 * - 401/403: the token (or its rights) must be fixed in the settings; the report is kept.
 * - 422: Zammad refused the content; its `error_human` is shown; kept.
 * - 413: too large: re-encode / split.
 * - 429, 5xx, network error, timeout: retry with backoff. For writes, 5xx / network / timeout
 *   are ambiguous (the ticket may exist): the marker is searched before the next POST. A 429 is
 *   answered before anything reaches Zammad (Rack::Attack or a proxy): not ambiguous.
 * - Other 4xx (400, 404…): Témoin and Zammad disagree; retrying blindly would not help.
 * - A 2xx whose body is not what Zammad sends (a captive portal, a proxy page): ambiguous retry.
 */
export function classify(err: unknown, step: Step): Decision {
  const write = WRITES.includes(step);
  if (!(err instanceof ZammadError)) {
    return { action: 'retry', ambiguous: write, retryAfterMs: null, message: err instanceof Error ? err.message : String(err) };
  }
  switch (err.kind) {
    case 'auth':
      if (step === 'form' || step === 'form-config') return { action: 'attention', reason: 'formDisabled', detail: err.message };
      return { action: 'attention', reason: 'auth', detail: err.message };
    case 'invalid':
      return { action: 'attention', reason: 'invalid', detail: err.message };
    case 'too-large':
      return { action: 'shrink', message: err.message };
    case 'rate-limited':
      return { action: 'retry', ambiguous: false, retryAfterMs: err.retryAfterMs, message: err.message };
    case 'server':
    case 'network':
    case 'timeout':
      return { action: 'retry', ambiguous: write, retryAfterMs: err.retryAfterMs, message: err.message };
    case 'protocol':
      if (err.status !== null && err.status >= 200 && err.status < 300) return { action: 'retry', ambiguous: write, retryAfterMs: null, message: err.message };
      return { action: 'attention', reason: 'protocol', detail: err.status ? `HTTP ${err.status}: ${err.message}` : err.message };
  }
}

/** The attachments an article list is missing: by file name and exact byte size (a multiset). */
export function missingAttachments<T extends { filename: string; size: number }>(
  expected: readonly T[],
  articles: readonly { attachments: readonly { filename: string; size: number }[] }[],
): T[] {
  const have = new Map<string, number>();
  for (const a of articles) for (const f of a.attachments) have.set(`${f.size}\u0000${f.filename}`, (have.get(`${f.size}\u0000${f.filename}`) ?? 0) + 1);
  const missing: T[] = [];
  for (const e of expected) {
    const k = `${e.size}\u0000${e.filename}`;
    const n = have.get(k) ?? 0;
    if (n > 0) have.set(k, n - 1);
    else missing.push(e);
  }
  return missing;
}
