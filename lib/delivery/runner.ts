/**
 * Flushes the outbox: delivers every report that is due, one at a time, under a single-flight
 * lock, then schedules the next attempt. The background owns one runner; the service worker may
 * receive flush messages and alarms at once, and MV3 may kill it at any point.
 *
 * - Single flight: one flush at a time in this context (a request during a flush runs one more
 *   pass after it), and across contexts through the Web Locks API where it exists (a lock held by
 *   a killed worker is released with it).
 * - A report found `sending` when no flush runs was interrupted (the worker died mid-send): it is
 *   resumed once SETTLE_MS have passed since its last step, marker search first (deliver.ts), so
 *   a create still being processed by Zammad has landed before the search looks for it.
 */
import { deliverOne, type DeliveryConfig, type DeliveryDeps } from './deliver';
import { getItem, listOutbox, updateItem } from './outbox';
import { SETTINGS_REASONS, type OutboxItem } from './outbox-types';

export { SETTINGS_REASONS };

export const SETTLE_MS = 5_000;
const LOCK_NAME = 'temoin-outbox-flush';

export interface RunnerDeps extends DeliveryDeps {
  /** The settings in force when a flush starts. */
  config(): Promise<DeliveryConfig>;
  /** Wake the worker at `at` (epoch ms) for the next flush; null: nothing is waiting. */
  schedule(at: number | null): Promise<void> | void;
  /** A report changed state at the end of an attempt (notifications, badge). */
  settled?(before: OutboxItem, after: OutboxItem): Promise<void> | void;
  /** After every flush (badge). */
  flushed?(items: OutboxItem[]): Promise<void> | void;
}

/** Whether a report should be attempted now. */
export function isDue(item: OutboxItem, now: number): boolean {
  if (item.state === 'queued') return item.nextAttemptAt <= now;
  if (item.state === 'sending') return item.updatedAt + SETTLE_MS <= now;
  return false;
}

/** When the next report falls due (null: none is waiting). */
export function nextWake(items: readonly OutboxItem[]): number | null {
  let next: number | null = null;
  for (const i of items) {
    const at = i.state === 'queued' ? i.nextAttemptAt : i.state === 'sending' ? i.updatedAt + SETTLE_MS : null;
    if (at !== null && (next === null || at < next)) next = at;
  }
  return next;
}


type LockManagerLike = { request(name: string, cb: () => Promise<void>): Promise<void> };

function locks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' ? nav.locks : null;
}

export interface Runner {
  /** Delivers what is due. Resolves when this flush (and any pass it was asked for) is done. */
  flush(): Promise<void>;
  /** The user asks to try again now: queued at once, backoff reset. */
  retry(id: string): Promise<void>;
  /** Settings changed: reports waiting on them are queued again. */
  requeueForSettings(): Promise<number>;
}

export function createRunner(deps: RunnerDeps): Runner {
  let running: Promise<void> | null = null;
  let again = false;

  async function pass(): Promise<void> {
    const cfg = await deps.config();
    const items = (await listOutbox()).sort((a, b) => a.createdAt - b.createdAt);
    for (const item of items) {
      if (!isDue(item, deps.now())) continue;
      const before = item;
      const { item: after } = await deliverOne(item.id, cfg, deps);
      if (after && deps.settled) await deps.settled(before, after);
    }
    const now = await listOutbox();
    await deps.schedule(nextWake(now));
    await deps.flushed?.(now);
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      const l = locks();
      if (l) await l.request(LOCK_NAME, pass);
      else await pass();
    } while (again);
  }

  return {
    flush() {
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => {
        running = null;
      });
      return running;
    },
    async retry(id) {
      const item = await getItem(id);
      if (!item || item.state === 'sent' || item.state === 'sending') return;
      await updateItem(
        id,
        (cur) =>
          cur.state === 'sent' || cur.state === 'sending'
            ? null
            : {
                ...cur,
                state: 'queued',
                attempts: 0,
                nextAttemptAt: 0,
                // "Send again" after an unverifiable form submit: the user takes that risk.
                maybeCommitted: cur.reason?.key === 'formUncertain' ? false : cur.maybeCommitted,
                // A report that needed re-encoding or follow-ups starts a fresh budget.
                followUps: 0,
              },
        deps.now(),
      );
    },
    async requeueForSettings() {
      let n = 0;
      for (const item of await listOutbox()) {
        if (item.state !== 'needs-attention' || !item.reason || !SETTINGS_REASONS.includes(item.reason.key)) continue;
        const done = await updateItem(item.id, (cur) => (cur.state === 'needs-attention' ? { ...cur, state: 'queued', attempts: 0, nextAttemptAt: 0 } : null), deps.now());
        if (done) n++;
      }
      return n;
    },
  };
}
