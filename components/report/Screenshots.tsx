import { t } from '../../lib/i18n';
import type { ScreenshotMeta } from '../../lib/report/draft';
import { ScreenshotEditor, type ScreenshotEditorValue } from '../ScreenshotEditor';

export interface ShownScreenshot {
  meta: ScreenshotMeta;
  dataUrl: string;
}

/** Seed §3.3 (plural): the tab's capture, more captures or files, each editable. */
export function Screenshots(props: {
  shots: ShownScreenshot[];
  error: string | null;
  busy: boolean;
  onRetake(): void;
  onAdd(): void;
  onFile(file: File): void;
  onRemove(id: string): void;
  onEdit(id: string, v: ScreenshotEditorValue): void;
  /** The native capture was refused during a live call: the in-page re-drawing waits for the user. */
  fallback: { callLive: boolean; nativeError: string } | null;
  onFallback(): void;
}) {
  return (
    <section aria-labelledby="shots-h">
      <h2 id="shots-h">{t('screenshotsHeading')}</h2>
      {props.error && <p className="status bad" role="alert" data-testid="shot-status">{t('screenshotFailed', props.error)}</p>}
      {props.fallback && (
        <div className="status bad" role="alert" data-testid="fallback-offer">
          <p>{t('fallbackOffer', props.fallback.nativeError)}</p>
          {props.fallback.callLive && <p><strong>{t('fallbackCallLive')}</strong></p>}
          <button type="button" data-testid="render-fallback" disabled={props.busy} onClick={props.onFallback}>
            {t('fallbackRun')}
          </button>
        </div>
      )}
      {props.shots.map((s) => (
        <figure key={s.meta.id} data-testid="screenshot" data-source={s.meta.source}>
          {s.meta.source === 'page-render' && <figcaption className="muted">{t('pageRenderNote')}</figcaption>}
          <ScreenshotEditor dataUrl={s.dataUrl} initialShapes={s.meta.shapes} initialLossless={s.meta.lossless} onChange={(v) => props.onEdit(s.meta.id, v)} />
          <button type="button" className="secondary" onClick={() => props.onRemove(s.meta.id)}>
            {t('removeScreenshot')}
          </button>
        </figure>
      ))}
      <p className="choices">
        <button type="button" className="secondary" disabled={props.busy} onClick={props.onRetake}>
          {t('retakeScreenshot')}
        </button>
        <button type="button" className="secondary" disabled={props.busy} onClick={props.onAdd}>
          {t('addScreenshot')}
        </button>
        <label className="secondary button-like">
          {t('attachFile')}
          <input type="file" accept="image/png,image/jpeg,image/webp" hidden onChange={(e) => e.target.files?.[0] && props.onFile(e.target.files[0])} />
        </label>
      </p>
    </section>
  );
}
