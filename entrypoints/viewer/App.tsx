import { useEffect, useRef, useState } from 'react';
import { browser } from '#imports';
import { Status } from '../../components/Status';
import { t } from '../../lib/i18n';
import { buildReportHtml, loadRendererJs } from '../../lib/report/report-html';
import { pickLang } from '../../lib/replay/i18n';
import { replayDicts } from '../../lib/replay/messages';
import { openReportFiles, ReportOpenError, type OpenedReport, type OpenNotice } from '../../lib/replay/open';
import { renderReport } from '../../lib/replay/render';
import { REPLAY_CSS } from '../../lib/replay/styles';

/** The viewer's error text for a file it cannot open. */
function errorText(e: unknown): string {
  if (e instanceof ReportOpenError) {
    switch (e.code) {
      case 'not-json':
        return t('viewerErrNotJson', e.detail);
      case 'not-report':
        return t('viewerErrNotReport');
      case 'version':
        return t('viewerErrVersion', e.detail);
      case 'invalid':
        return t('viewerErrInvalid', e.detail);
      case 'no-context':
        return t('viewerErrNoContext');
      case 'zip':
        return t('viewerErrZip', e.detail);
      case 'too-large':
        return t('viewerErrTooLarge', e.detail, '100');
      case 'no-file':
        return t('viewerErrNoFile');
    }
  }
  return e instanceof Error ? e.message : String(e);
}

function noticeText(n: OpenNotice): string {
  switch (n.code) {
    case 'migrated':
      return t('viewerNoticeMigrated', String(n.from), String(n.to));
    case 'newer':
      return t('viewerNoticeNewer', String(n.version));
    case 'dropped-events':
      return t('viewerNoticeDroppedEvents', String(n.count));
    case 'unknown-fields':
      return t('viewerNoticeUnknownFields', n.fields.join(', '));
  }
}

/** Opens a context.json, the exported .zip bundle, or a context.json with its screenshots, and replays it with report.html's renderer. */
export function App() {
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<OpenedReport | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const style = document.createElement('style');
    style.textContent = `${REPLAY_CSS}\nmain.viewer{min-height:100vh}\n.viewer-bar{max-width:1200px;margin:1rem auto 0;padding:0 16px;box-sizing:border-box}\n.viewer-bar input[type=file]{margin-bottom:.5rem}`;
    document.head.append(style);
    return () => style.remove();
  }, []);

  useEffect(() => {
    const el = container.current;
    if (!el || !opened) return;
    const view = renderReport(el, {
      report: opened.report,
      shots: opened.shots,
      dicts: replayDicts(),
      lang: pickLang(browser.i18n.getUILanguage()),
      notices: opened.notices.map(noticeText),
    });
    return () => view.destroy();
  }, [opened]);

  async function open(list: FileList | null | undefined) {
    const files = [...(list ?? [])];
    if (!files.length) return;
    try {
      const read = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      const result = openReportFiles(read);
      setError(null);
      setExportError(null);
      setOpened(result);
    } catch (e) {
      setOpened(null);
      setError(t('viewerInvalid', errorText(e)));
    }
  }

  async function exportHtml() {
    if (!opened) return;
    try {
      const html = await buildReportHtml({
        report: opened.report,
        screenshots: Object.entries(opened.shots).map(([filename, dataUrl]) => ({ filename, dataUrl })),
        rendererJs: await loadRendererJs(),
        lang: opened.report.lang,
      });
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      const a = document.createElement('a');
      a.href = url; // our own blob, never data from the report
      a.download = 'report.html';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setExportError(null);
    } catch (e) {
      setExportError(t('viewerExportFailed', e instanceof Error ? e.message : String(e)));
    }
  }

  return (
    <main
      className="viewer"
      data-testid="viewer"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        void open(e.dataTransfer.files);
      }}
    >
      <div className="viewer-bar">
        <h1>{t('viewerHeading')}</h1>
        <p className="muted">{t('viewerDropHere')}</p>
        <label htmlFor="viewer-file">{t('viewerOpen')}</label>
        <input
          id="viewer-file"
          data-testid="viewer-file"
          type="file"
          multiple
          accept=".json,.zip,application/json,application/zip,image/png,image/jpeg,image/webp"
          onChange={(e) => void open(e.target.files)}
        />
        {error && <Status tone="bad" text={error} testId="viewer-error" />}
        {opened && (
          <>
            <Status
              tone="ok"
              testId="viewer-opened"
              text={t('viewerOpened', opened.source, String(opened.report.timeline.length), String(Object.keys(opened.shots).length))}
            />
            <button type="button" data-testid="viewer-export" onClick={() => void exportHtml()}>
              {t('viewerExport')}
            </button>
          </>
        )}
        {exportError && <Status tone="bad" text={exportError} testId="viewer-export-error" />}
      </div>
      <div ref={container} data-testid="viewer-report" />
    </main>
  );
}
