import { t, type MessageKey } from '../../lib/i18n';
import { AFFECTED, DESCRIPTION_CONTEXTS, REPRODUCIBLE, type Description } from '../../lib/report/draft';

const key = (prefix: string, v: string) => `${prefix}_${v.replace(/-/g, '_')}` as MessageKey;

/** Seed §3.1: detail as much as possible (context, button, a click with no effect, a missing element). */
export function DescriptionForm({ value, onChange, showMissing }: { value: Description; onChange(v: Description): void; showMissing: boolean }) {
  const set = <K extends keyof Description>(k: K, v: Description[K]) => onChange({ ...value, [k]: v });
  const radios = <K extends 'affected' | 'reproducible'>(k: K, options: readonly NonNullable<Description[K]>[], prefix: string, label: MessageKey) => (
    <fieldset>
      <legend>{t(label)}</legend>
      {options.map((o) => (
        <label key={o} className="choice">
          <input type="radio" name={k} checked={value[k] === o} onChange={() => set(k, o as Description[K])} /> {t(key(prefix, o))}
        </label>
      ))}
    </fieldset>
  );
  const missingWhat = showMissing && !value.what.trim();
  return (
    <section aria-labelledby="desc-h">
      <h2 id="desc-h">{t('descriptionHeading')}</h2>
      <label htmlFor="desc-what">
        {t('descWhat')} <span className="muted">({t('requiredMark')})</span>
      </label>
      <textarea id="desc-what" data-testid="description" rows={4} maxLength={5000} value={value.what} aria-invalid={missingWhat} onChange={(e) => set('what', e.target.value)} />
      {missingWhat && <p className="error">{t('missingRequired', t('descWhat'))}</p>}
      <label htmlFor="desc-context">{t('descContext')}</label>
      <select id="desc-context" value={value.context ?? ''} onChange={(e) => set('context', (e.target.value || null) as Description['context'])}>
        <option value="">—</option>
        {DESCRIPTION_CONTEXTS.map((c) => (
          <option key={c} value={c}>
            {t(key('ctx', c))}
          </option>
        ))}
      </select>
      <label htmlFor="desc-button">{t('descButton')}</label>
      <input id="desc-button" type="text" maxLength={300} value={value.button} onChange={(e) => set('button', e.target.value)} />
      <label className="choice">
        <input type="checkbox" checked={value.clickNoEffect} onChange={(e) => set('clickNoEffect', e.target.checked)} /> {t('descClickNoEffect')}
      </label>
      <label htmlFor="desc-missing">{t('descMissing')}</label>
      <input id="desc-missing" type="text" maxLength={300} value={value.missing} onChange={(e) => set('missing', e.target.value)} />
      {radios('affected', AFFECTED, 'affected', 'descAffected')}
      {radios('reproducible', REPRODUCIBLE, 'repro', 'descReproducible')}
      <label htmlFor="desc-steps">{t('descSteps')}</label>
      <textarea id="desc-steps" rows={3} maxLength={3000} value={value.steps} onChange={(e) => set('steps', e.target.value)} />
    </section>
  );
}
