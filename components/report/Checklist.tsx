import { t, type MessageKey } from '../../lib/i18n';
import { CHECKLISTS, type ChecklistValues } from '../../lib/report/checklist';
import { SURFACES, type Surface } from '../../lib/surfaces/rules';

/** Seed §2.1: the surface (detected, changeable) and what support needs for it. */
export function Checklist(props: {
  surface: Surface;
  values: ChecklistValues;
  missing: string[];
  showMissing: boolean;
  onSurface(s: Surface): void;
  onValue(id: string, v: string): void;
}) {
  const { surface, values, missing, showMissing } = props;
  return (
    <section aria-labelledby="checklist-h">
      <h2 id="checklist-h">{t('checklistHeading')}</h2>
      <label htmlFor="surface-select">{t('surfaceLabel')}</label>
      <select id="surface-select" value={surface} onChange={(e) => props.onSurface(e.target.value as Surface)}>
        {SURFACES.map((s) => (
          <option key={s} value={s}>
            {t(`surface_${s}`)}
          </option>
        ))}
      </select>
      {CHECKLISTS[surface].map((item) => {
        const id = `check-${item.id}`;
        const label = t(`check_${item.id}` as MessageKey);
        const invalid = showMissing && missing.includes(item.id);
        return (
          <div key={item.id} className={invalid ? 'field invalid' : 'field'}>
            <label htmlFor={id}>
              {label}
              {item.required && <span className="muted"> ({t('requiredMark')})</span>}
            </label>
            {item.input === 'select' ? (
              <select id={id} data-testid={`field-${item.id}`} value={values[item.id] ?? ''} onChange={(e) => props.onValue(item.id, e.target.value)} aria-invalid={invalid}>
                <option value="">—</option>
                {item.options?.map((o) => (
                  <option key={o} value={o}>
                    {t(`check_${item.id}_${o.replace(/-/g, '_')}` as MessageKey)}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} data-testid={`field-${item.id}`} type="text" value={values[item.id] ?? ''} maxLength={500} required={item.required} aria-invalid={invalid} onChange={(e) => props.onValue(item.id, e.target.value)} />
            )}
            {invalid && <p className="error">{t('missingRequired', label)}</p>}
          </div>
        );
      })}
    </section>
  );
}
