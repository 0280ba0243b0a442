/**
 * "Mes signalements": every report of the outbox with its state — waiting, sending, sent (ticket
 * number and link), or needing the user (what happened, what to do, Zammad's own words) — with
 * retry, delete and, when a report cannot go through Zammad, the zip bundle and the e-mail draft.
 *
 * Reads the outbox from IndexedDB and re-reads it whenever it changes (BroadcastChannel, from the
 * background or another page). Mounted in the popup and in the options page. Text only: every
 * string comes from _locales through t(), nothing is injected as HTML.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { browser } from '#imports';
import { exportBundle, exportEml } from '../lib/delivery/export';
import { listOutbox, SETTINGS_REASONS, watchOutbox, type OutboxItem } from '../lib/delivery/outbox';
import { t, type MessageKey } from '../lib/i18n';
import { sendMessage } from '../lib/messaging';
import { loadPublicSettings } from '../lib/settings/store';

export interface OutboxProps {
  /** Address of the e-mail draft; read from the settings when not given. */
  supportEmail?: string;
  /** Show at most this many reports (newest first). Default: all. */
  limit?: number;
  /** Ask the background to deliver what is due when the list opens (default true). */
  kick?: boolean;
  /** Hide the heading (when the host page has its own). */
  hideHeading?: boolean;
}

const STATE_KEY: Record<OutboxItem['state'], MessageKey> = {
  queued: 'outboxState_queued',
  sending: 'outboxState_sending',
  sent: 'outboxState_sent',
  'needs-attention': 'outboxState_attention',
};

const STATE_COLOR: Record<OutboxItem['state'], string> = {
  queued: 'var(--tmn-orange, #f28c28)',
  sending: 'var(--tmn-blue, #0b4f9c)',
  sent: 'var(--tmn-ok, #1d7a3a)',
  'needs-attention': 'var(--tmn-bad, #b3261e)',
};

const time = (ms: number): string => new Date(ms).toLocaleTimeString(navigator.language, { hour: '2-digit', minute: '2-digit' });
const dateTime = (ms: number): string => new Date(ms).toLocaleString(navigator.language, { dateStyle: 'short', timeStyle: 'short' });

/** Saves a Blob through a temporary <a download> (extension pages may do so without a permission). */
function download(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function Outbox({ supportEmail, limit, kick = true, hideHeading = false }: OutboxProps) {
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [support, setSupport] = useState(supportEmail ?? '');
  const mounted = useRef(true);

  const refresh = useCallback(() => {
    void listOutbox()
      .then((list) => {
        if (mounted.current) setItems(list);
      })
      .catch(() => {
        if (mounted.current) setItems([]);
      });
  }, []);

  useEffect(() => {
    mounted.current = true;
    refresh();
    const stop = watchOutbox(refresh);
    if (kick) void sendMessage('flushOutbox', undefined).catch(() => undefined);
    return () => {
      mounted.current = false;
      stop();
    };
  }, [refresh, kick]);

  useEffect(() => {
    if (supportEmail !== undefined) setSupport(supportEmail);
    else
      void loadPublicSettings()
        .then((s) => mounted.current && setSupport(s.supportEmail))
        .catch(() => undefined);
  }, [supportEmail]);

  const shown = items === null ? null : limit ? items.slice(0, limit) : items;
  return (
    <section data-testid="outbox" aria-labelledby={hideHeading ? undefined : 'outbox-heading'}>
      {!hideHeading && <h2 id="outbox-heading">{t('outboxHeading')}</h2>}
      {shown && shown.length === 0 && <p className="muted">{t('outboxEmpty')}</p>}
      {shown && shown.length > 0 && (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {shown.map((item) => (
            <OutboxRow key={item.id} item={item} supportEmail={support} />
          ))}
        </ul>
      )}
    </section>
  );
}

function OutboxRow({ item, supportEmail }: { item: OutboxItem; supportEmail: string }) {
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const attention = item.state === 'needs-attention';
  const canRetry = attention || (item.state === 'queued' && item.attempts > 0);
  const reason = attention ? item.reason : null;

  async function retry() {
    setBusy(true);
    try {
      await sendMessage('outboxRetry', { id: item.id });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    // An unsent report is only deleted on a second click: it would be lost.
    if (item.state !== 'sent' && !confirmDelete) {
      setConfirmDelete(true);
      return;
    }
    setBusy(true);
    try {
      await sendMessage('outboxDelete', { id: item.id });
    } finally {
      setBusy(false);
    }
  }

  async function save(kind: 'zip' | 'eml') {
    const file = kind === 'zip' ? await exportBundle(item) : await exportEml(item, supportEmail);
    download(file.filename, file.blob);
  }

  return (
    <li
      data-testid="outbox-item"
      data-id={item.id}
      data-state={item.state}
      style={{ margin: '0.4rem 0', padding: '0.5rem 0.6rem', background: '#fff', borderRadius: 6, borderLeft: `4px solid ${STATE_COLOR[item.state]}` }}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: '0.5rem', alignItems: 'baseline' }}>
        <strong style={{ overflowWrap: 'anywhere' }}>{item.title}</strong>
        <span data-testid="outbox-state" style={{ whiteSpace: 'nowrap', color: STATE_COLOR[item.state], fontWeight: 600 }}>
          {t(STATE_KEY[item.state])}
        </span>
      </div>
      <p className="muted" style={{ margin: '0.2rem 0' }}>
        {t('outboxCreatedAt', dateTime(item.createdAt))}
      </p>

      {item.ticket && (
        <p style={{ margin: '0.2rem 0' }}>
          <span data-testid="ticket-number">{t('outboxTicket', item.ticket.number)}</span>
          {item.ticketUrl && (
            <>
              {' — '}
              <a href={item.ticketUrl} target="_blank" rel="noopener noreferrer" data-testid="ticket-link">
                {t('outboxOpenTicket')}
              </a>
            </>
          )}
        </p>
      )}

      {item.state === 'queued' && item.attempts > 0 && (
        <p className="muted" style={{ margin: '0.2rem 0' }} data-testid="outbox-retry-at">
          {t('outboxRetryAt', time(item.nextAttemptAt), String(item.attempts))}
          {item.lastError ? ` — ${t('outboxLastError', item.lastError)}` : ''}
        </p>
      )}

      {reason && (
        <div role="alert" data-testid="outbox-reason" data-reason={reason.key}>
          <p style={{ margin: '0.2rem 0', fontWeight: 600 }}>{t(`outboxReason_${reason.key}` as MessageKey)}</p>
          <p style={{ margin: '0.2rem 0' }}>{t(`outboxAdvice_${reason.key}` as MessageKey)}</p>
          {reason.detail && (
            <p className="muted" style={{ margin: '0.2rem 0' }} data-testid="outbox-detail">
              {t('outboxDetail', reason.detail)}
            </p>
          )}
        </div>
      )}

      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem', marginTop: '0.3rem' }}>
        {canRetry && (
          <button type="button" data-testid="outbox-retry" disabled={busy} onClick={() => void retry()}>
            {t('outboxRetry')}
          </button>
        )}
        {reason && SETTINGS_REASONS.includes(reason.key) && (
          <button type="button" className="secondary" data-testid="outbox-settings" onClick={() => void browser.runtime.openOptionsPage()}>
            {t('outboxOpenSettings')}
          </button>
        )}
        {attention && (
          <>
            <button type="button" className="secondary" data-testid="outbox-download-eml" onClick={() => void save('eml')}>
              {t('outboxDownloadEml')}
            </button>
            <button type="button" className="secondary" data-testid="outbox-download-zip" onClick={() => void save('zip')}>
              {t('outboxDownloadZip')}
            </button>
          </>
        )}
        <button type="button" className="secondary" data-testid="outbox-delete" data-confirm={confirmDelete ? 'true' : undefined} disabled={busy} onClick={() => void remove()}>
          {confirmDelete ? t('outboxDeleteConfirm') : t('outboxDelete')}
        </button>
      </div>
      {attention && (
        <p className="muted" style={{ margin: '0.3rem 0 0' }}>
          {t('outboxExportHint')}
        </p>
      )}
    </li>
  );
}
