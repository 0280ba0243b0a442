import { t } from '../../lib/i18n';
import type { Draft } from '../../lib/report/draft';

/** Seed §1: a fault goes to support; a request goes to Customer Success (no ticket). */
export function Triage({ kind, onKind, customerSuccessEmail }: { kind: Draft['kind']; onKind(k: 'fault' | 'request'): void; customerSuccessEmail: string }) {
  return (
    <section aria-labelledby="triage-q">
      <p id="triage-q">
        <strong>{t('triageQuestion')}</strong>
      </p>
      <p className="choices" role="radiogroup" aria-labelledby="triage-q">
        {(['fault', 'request'] as const).map((k) => (
          <label key={k} className="choice">
            <input type="radio" name="kind" value={k} data-testid={`triage-${k}`} checked={kind === k} onChange={() => onKind(k)} /> {t(k === 'fault' ? 'triageFault' : 'triageRequest')}
          </label>
        ))}
      </p>
      {kind === 'request' && (
        <div className="status info" data-testid="request-route">
          <p>{t('requestRoute')}</p>
          {customerSuccessEmail ? (
            <a href={`mailto:${customerSuccessEmail}`}>{t('requestMailto', customerSuccessEmail)}</a>
          ) : (
            <p>{t('requestNoEmail')}</p>
          )}
        </div>
      )}
    </section>
  );
}
