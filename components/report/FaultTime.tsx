import type { TimelineEvent } from '../../lib/capture/snapshot';
import { t } from '../../lib/i18n';
import { faultMs, type Draft, type FaultTime as FaultTimeValue } from '../../lib/report/draft';
import { describeMoment, moment, PARIS, parseFaultTime, type Lang } from '../../lib/report/time';

/** What a timeline event is, in a few words (captured text stays text: React escapes it). */
export function eventLabel(e: TimelineEvent): string {
  switch (e.k) {
    case 'error':
      return e.m;
    case 'rejection':
      return `${t('evtRejection')} : ${typeof e.r === 'string' ? e.r : JSON.stringify(e.r)}`;
    case 'console':
      return `console.${e.l} : ${e.a.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`;
    case 'net':
      return `${e.method} ${e.url} → ${e.failed ? t('evtNetFailed') : e.status}`;
    case 'ws':
      return `WebSocket ${e.e}${e.code ? ` ${e.code}` : ''} ${e.url}`;
    case 'click':
      return `${t('evtClick')} : ${e.name || e.sel}`;
    default:
      return e.k;
  }
}

const PICKABLE = new Set(['error', 'rejection', 'console', 'net', 'ws', 'click', 'resource', 'csp']);

/** Seed §3.2: a precise time, in Paris, the zone written out. */
export function FaultTime(props: {
  draft: Pick<Draft, 'faultTime' | 'openedAt'>;
  timeline: TimelineEvent[];
  userZone: string;
  skewMs: number | null;
  lang: Lang;
  onChange(v: FaultTimeValue): void;
}) {
  const { draft, timeline, userZone, skewMs, lang } = props;
  const ms = faultMs(draft);
  const shown = ms === null ? null : describeMoment(moment(ms, userZone, skewMs), lang);
  const events = timeline.filter((e) => PICKABLE.has(e.k) && e.t <= draft.openedAt).slice(-30).reverse();
  const ft = draft.faultTime;
  return (
    <section aria-labelledby="time-h">
      <h2 id="time-h">{t('faultTimeHeading')}</h2>
      <p className="choices">
        <label className="choice">
          <input type="radio" name="ft" checked={ft.mode === 'now'} onChange={() => props.onChange({ mode: 'now' })} /> {t('faultTimeNow')}
        </label>
        <label className="choice">
          <input type="radio" name="ft" checked={ft.mode === 'event'} disabled={!events.length} onChange={() => events[0] && props.onChange({ mode: 'event', ms: events[0].t, label: eventLabel(events[0]).slice(0, 200) })} />{' '}
          {t('faultTimeEvent')}
        </label>
        <label className="choice">
          <input type="radio" name="ft" checked={ft.mode === 'typed'} onChange={() => props.onChange({ mode: 'typed', text: '', ms: null })} /> {t('faultTimeTyped')}
        </label>
      </p>
      {ft.mode === 'event' && (
        <select aria-label={t('faultTimeEvent')} data-testid="fault-event" value={String(ft.ms)} onChange={(e) => {
          const ev = events.find((x) => String(x.t) === e.target.value);
          if (ev) props.onChange({ mode: 'event', ms: ev.t, label: eventLabel(ev).slice(0, 200) });
        }}>
          {events.map((e, i) => (
            <option key={`${e.t}-${i}`} value={String(e.t)}>
              {describeMoment(moment(e.t, PARIS), lang).paris.slice(11, 23)} — {eventLabel(e).slice(0, 90)}
            </option>
          ))}
        </select>
      )}
      {ft.mode === 'typed' && (
        <>
          <input type="text" aria-label={t('faultTimeTyped')} data-testid="fault-typed" placeholder={t('faultTimeTypedHint')} value={ft.text} maxLength={100}
            onChange={(e) => props.onChange({ mode: 'typed', text: e.target.value, ms: parseFaultTime(e.target.value, draft.openedAt, userZone) })} />
          {ft.text && ft.ms === null && <p className="error">{t('faultTimeInvalid')}</p>}
        </>
      )}
      {shown && (
        <p data-testid="fault-time">
          <strong>{shown.paris}</strong>
          {shown.user && <><br />{t('userZoneLine', shown.user)}</>}
          {shown.corrected && <><br />{t('correctedLine', shown.corrected)}</>}
        </p>
      )}
    </section>
  );
}
