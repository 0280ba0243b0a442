import { useState } from 'react';
import { t } from '../../lib/i18n';
import { publicIpOf, timelineCounts, type Include } from '../../lib/report/assemble';
import type { OwnSide } from '../../lib/report/own-side';
import type { Report } from '../../lib/report/schema';
import { describeMoment, type Lang } from '../../lib/report/time';
import { kilobytes } from '../../lib/screenshot/encode';

export interface PreviewAttachment {
  filename: string;
  mimeType: string;
  bytes: number;
}

/**
 * Issue 4 §8: exactly what will leave the machine — the fields, the timeline's counts, every
 * attachment with its size, and the full context.json on demand — with toggles for the parts the
 * user may keep back. Everything captured is rendered as text (React escapes it).
 */
export function Preview(props: {
  report: Report;
  attachments: PreviewAttachment[];
  /** The screenshots exactly as they will be sent (object URLs of the encoded files). */
  images: { filename: string; url: string }[];
  include: Include;
  /** The own-side checks before the toggles (to show the public IP the user may remove). */
  ownSide: OwnSide | null;
  /** Counts before the toggles, so a toggle says what it removes. */
  fullTimeline: readonly { k: string }[];
  destination: string;
  lang: Lang;
  busy: boolean;
  onInclude(next: Include): void;
  onSend(): void;
  onBack(): void;
}) {
  const { report: r, include, lang } = props;
  const [showJson, setShowJson] = useState(false);
  const counts = timelineCounts(r.timeline);
  const full = props.fullTimeline;
  const nConsole = full.filter((e) => e.k === 'console').length;
  const nNet = full.filter((e) => e.k === 'net').length;
  const ip = publicIpOf(props.ownSide);
  const at = describeMoment(r.fault.at, lang);
  const d = r.description;
  const rows: [string, string][] = [
    [t('surfaceLabel'), `${t(`surface_${r.surface}`)}${r.embeddedIn ? ` (${t('embeddedIn', r.embeddedIn)})` : ''}`],
    [t('previewUser'), r.user ?? '—'],
    [t('faultTimeHeading'), [at.paris, at.user, at.corrected].filter(Boolean).join(' · ')],
    [t('previewUrl'), r.url || '—'],
    ...r.checklist.filter((c) => c.value).map((c): [string, string] => [c.label, c.value]),
    [t('descWhat'), d.what],
    ...(d.button ? [[t('descButton'), d.button] as [string, string]] : []),
    ...(d.missing ? [[t('descMissing'), d.missing] as [string, string]] : []),
    ...(d.steps ? [[t('descSteps'), d.steps] as [string, string]] : []),
  ];
  const total = props.attachments.reduce((n, a) => n + a.bytes, 0);
  return (
    <section data-testid="preview" aria-labelledby="preview-h">
      <h2 id="preview-h" tabIndex={-1}>
        {t('previewHeading')}
      </h2>
      <p className="muted">{t('previewDestination', props.destination)}</p>
      <table className="preview-fields">
        <tbody>
          {rows.map(([k, v], i) => (
            <tr key={i}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('previewTimeline')}</h3>
      <p data-testid="preview-counts">
        {t('previewCounts', String(counts.total), String(counts.errors), String(counts.consoleErrors), String(counts.failedRequests), String(counts.wsDrops), String(counts.clicks))}
      </p>
      <fieldset>
        <legend>{t('previewInclude')}</legend>
        <label className="choice">
          <input type="checkbox" data-testid="include-console" checked={include.console} onChange={(e) => props.onInclude({ ...include, console: e.target.checked })} />
          {t('previewIncludeConsole', String(nConsole))}
        </label>
        <label className="choice">
          <input type="checkbox" data-testid="include-network" checked={include.network} onChange={(e) => props.onInclude({ ...include, network: e.target.checked })} />
          {t('previewIncludeNetwork', String(nNet))}
        </label>
        {ip && (
          <label className="choice">
            <input type="checkbox" data-testid="include-public-ip" checked={include.publicIp} onChange={(e) => props.onInclude({ ...include, publicIp: e.target.checked })} />
            {t('previewIncludePublicIp', ip)}
          </label>
        )}
      </fieldset>
      <h3>{t('previewAttachments')}</h3>
      <ul data-testid="preview-attachments">
        {props.attachments.map((a) => (
          <li key={a.filename} data-filename={a.filename} data-bytes={a.bytes}>
            {a.filename} — {t('sizeKo', String(kilobytes(a.bytes)))}
          </li>
        ))}
      </ul>
      {props.images.map((img) => (
        <img key={img.filename} className="preview-shot" data-testid="preview-shot" data-filename={img.filename} src={img.url} alt={img.filename} />
      ))}
      <p className="muted">{t('previewTotal', String(kilobytes(total)))}</p>
      <p>
        <button type="button" className="link" aria-expanded={showJson} onClick={() => setShowJson(!showJson)}>
          {t(showJson ? 'previewHideJson' : 'previewShowJson')}
        </button>
      </p>
      {showJson && <pre className="preview-json" data-testid="preview-json" tabIndex={0}>{JSON.stringify(r, null, 2)}</pre>}
      <p className="choices">
        <button type="button" data-testid="send" disabled={props.busy} onClick={props.onSend}>
          {t('sendButton')}
        </button>
        <button type="button" className="secondary" disabled={props.busy} onClick={props.onBack}>
          {t('previewBack')}
        </button>
      </p>
    </section>
  );
}
