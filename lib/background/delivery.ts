/**
 * Delivery in the background: the outbox runner wired to the browser (alarms for retries that
 * survive the worker's death, the action badge, notifications, host permissions, settings).
 * `registerDelivery()` is called synchronously from the background's main().
 */
import { browser } from '#imports';
import type { DeliveryConfig } from '../delivery/deliver';
import { deleteItem, pendingCount, pruneSent, type OutboxItem } from '../delivery/outbox';
import { createRunner, type Runner } from '../delivery/runner';
import { shrinkImage } from '../delivery/shrink';
import { t, type MessageKey } from '../i18n';
import { ZAMMAD_ORIGIN_MATCH } from '../identity';
import { onMessage, OutboxRefSchema } from '../messaging';
import { effectiveSettings } from '../settings/store';

export const OUTBOX_ALARM = 'temoin-outbox';
/** While a pass runs, the worker is woken this long after it started if it dies meanwhile. */
const WATCHDOG_MS = 60_000;
const KEEP_SENT_MS = 30 * 24 * 3600_000;
const NOTIFY_PREFIX = { sent: 'temoin-sent:', attention: 'temoin-attention:' } as const;

async function deliveryConfig(): Promise<DeliveryConfig> {
  const { settings } = await effectiveSettings();
  return {
    mode: settings.deliveryMode,
    url: settings.zammadUrl,
    token: settings.zammadToken,
    group: settings.zammadGroup,
    reporterName: settings.reporterName,
    reporterEmail: settings.reporterEmail,
  };
}

/** The match pattern that grants the background access to a Zammad origin. */
export function originPattern(url: string): string {
  return `${new URL(url).origin}/*`;
}

async function hasHostPermission(url: string): Promise<boolean> {
  const pattern = originPattern(url);
  if (pattern === ZAMMAD_ORIGIN_MATCH) return true; // in host_permissions
  try {
    return await browser.permissions.contains({ origins: [pattern] });
  } catch {
    return false;
  }
}

function actionApi() {
  // MV3: action; Firefox MV2: browserAction.
  return (browser as unknown as { action?: typeof browser.browserAction }).action ?? browser.browserAction;
}

async function updateBadge(items: readonly OutboxItem[]): Promise<void> {
  const pending = items.filter((i) => i.state !== 'sent').length;
  const attention = items.some((i) => i.state === 'needs-attention');
  const action = actionApi();
  try {
    await action.setBadgeText({ text: pending > 0 ? String(pending) : '' });
    if (pending > 0) await action.setBadgeBackgroundColor({ color: attention ? '#b3261e' : '#1a5fb4' });
  } catch {
    /* no action in this context */
  }
}

async function notify(id: string, title: string, message: string): Promise<void> {
  try {
    await browser.notifications.create(id, { type: 'basic', iconUrl: browser.runtime.getURL('/icon/128.png'), title, message });
  } catch {
    /* notifications refused or unavailable: the badge and the list still say it */
  }
}

/** Notifies the transitions the user must hear about: a ticket filed, a report that needs them. */
async function settled(before: OutboxItem, after: OutboxItem): Promise<void> {
  if (after.state === 'sent' && before.state !== 'sent' && after.ticket) {
    await notify(`${NOTIFY_PREFIX.sent}${after.id}`, t('notifSentTitle'), t('notifSentBody', after.ticket.number, after.title));
  } else if (after.state === 'needs-attention' && after.reason) {
    const same = before.reason?.key === after.reason.key && before.reason.detail === after.reason.detail;
    if (!same) {
      await notify(`${NOTIFY_PREFIX.attention}${after.id}`, t('notifAttentionTitle'), t('notifAttentionBody', after.title, t(`outboxReason_${after.reason.key}` as MessageKey)));
    }
  }
}

let runner: Runner | null = null;

export function deliveryRunner(): Runner {
  runner ??= createRunner({
    now: () => Date.now(),
    random: () => Math.random(),
    config: deliveryConfig,
    shrink: (a, level) => shrinkImage(a.data, a.mimeType, level),
    hasHostPermission,
    async schedule(at) {
      if (at === null) await browser.alarms.clear(OUTBOX_ALARM);
      // Chrome fires an alarm at the earliest 30 s after it is set (packed extensions); a past
      // `when` fires as soon as allowed.
      else await browser.alarms.create(OUTBOX_ALARM, { when: Math.max(at, Date.now() + 1000) });
    },
    settled,
    flushed: updateBadge,
  });
  return runner;
}

/** Starts a flush, with a watchdog alarm in case the worker dies during it. */
function kick(): Promise<void> {
  const r = deliveryRunner();
  void browser.alarms.create(OUTBOX_ALARM, { when: Date.now() + WATCHDOG_MS }).catch(() => undefined);
  return r.flush().catch((e: unknown) => {
    console.warn('[Témoin] outbox flush failed:', e instanceof Error ? e.message : String(e));
  });
}

export function registerDelivery(): void {
  onMessage('flushOutbox', () => {
    void kick();
  });

  onMessage('outboxRetry', async ({ data }) => {
    const { id } = OutboxRefSchema.parse(data);
    await deliveryRunner().retry(id);
    void kick();
  });

  onMessage('outboxDelete', async ({ data }) => {
    const { id } = OutboxRefSchema.parse(data);
    await deleteItem(id);
    const n = await pendingCount();
    try {
      await actionApi().setBadgeText({ text: n > 0 ? String(n) : '' });
    } catch {
      /* no action */
    }
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void kick();
  });

  // New token, URL, mode, name…: the reports waiting on the settings go again. (Deferred a tick:
  // the settings cache drops itself on the same event.)
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && 'settings' in changes)) {
      setTimeout(() => {
        void deliveryRunner()
          .requeueForSettings()
          .then((n) => (n > 0 ? kick() : undefined));
      }, 0);
    }
  });

  // A granted host permission (options page) cures 'permission' reports.
  browser.permissions?.onAdded?.addListener(() => {
    void deliveryRunner()
      .requeueForSettings()
      .then((n) => (n > 0 ? kick() : undefined));
  });

  browser.notifications.onClicked.addListener((id) => {
    if (id.startsWith(NOTIFY_PREFIX.sent) || id.startsWith(NOTIFY_PREFIX.attention)) {
      void browser.runtime.openOptionsPage().catch(() => undefined);
      void browser.notifications.clear(id);
    }
  });

  // Every start of the worker (browser start, wake-up after being killed): resume what was
  // interrupted, send what is due, refresh the badge; forget old sent reports.
  void pruneSent(KEEP_SENT_MS).catch(() => undefined);
  void kick();
}
