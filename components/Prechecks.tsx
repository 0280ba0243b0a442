import type { PrecheckResult } from '../lib/capture/prechecks';
import { t, type MessageKey } from '../lib/i18n';
import type { SkewResult } from '../lib/time/skew';

const ICON = { pass: '✓', warn: '!', fail: '✗' } as const;

/**
 * The own-side pre-checks (seed §1), as text: a failing check is highlighted with what to try,
 * but nothing here blocks the report.
 */
export function Prechecks({ results, skew }: { results: PrecheckResult[] | null; skew: SkewResult | null }) {
  if (!results) return <p className="muted" data-testid="prechecks-running">{t('prechecksRunning')}</p>;
  return (
    <section data-testid="prechecks" aria-label={t('prechecksHeading')}>
      <h2>{t('prechecksHeading')}</h2>
      <ul className="prechecks">
        {results.map((r) => (
          <li key={r.id} className={`precheck ${r.status}`} data-check={r.id} data-status={r.status} data-testid={`precheck-${r.id}`}>
            <span aria-hidden="true">{ICON[r.status]}</span> {t(r.messageKey as MessageKey, ...r.params)}
            {r.advice.length > 0 && (
              <ul className="advice">
                {r.advice.map((a) => (
                  <li key={a}>{t(a as MessageKey)}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
        {skew?.ok && skew.flagged && (
          <li className="precheck warn" data-check="clock" data-status="warn">
            <span aria-hidden="true">!</span> {t('clockSkewed', String(Math.round(skew.offsetMs / 1000)))}
          </li>
        )}
      </ul>
      <p className="muted">{t('prechecksReminder')}</p>
    </section>
  );
}
