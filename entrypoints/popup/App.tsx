import { useEffect, useRef, useState } from 'react';
import { browser, type Browser } from '#imports';
import { Outbox } from '../../components/Outbox';
import { Prechecks } from '../../components/Prechecks';
import { Checklist } from '../../components/report/Checklist';
import { DescriptionForm } from '../../components/report/DescriptionForm';
import { FaultTime } from '../../components/report/FaultTime';
import { Preview, type PreviewAttachment } from '../../components/report/Preview';
import { Screenshots, type ShownScreenshot } from '../../components/report/Screenshots';
import { Triage } from '../../components/report/Triage';
import { Status } from '../../components/Status';
import type { TabSnapshot } from '../../lib/capture/snapshot';
import { t } from '../../lib/i18n';
import { sendMessage, type ScreenshotResult } from '../../lib/messaging';
import { enqueue } from '../../lib/delivery/outbox';
import { buildReportHtml, loadRendererJs } from '../../lib/report/report-html';
import { summaryHtml, ticketTitle } from '../../lib/report/summary';
import { assembleReport, DEFAULT_INCLUDE, surfaceFrame, type Include } from '../../lib/report/assemble';
import { missingItems, prefill } from '../../lib/report/checklist';
import { newDraft, type Draft, type ScreenshotMeta } from '../../lib/report/draft';
import { deleteScreenshot, discardDraft, loadDraft, loadScreenshot, saveDraft, saveScreenshot } from '../../lib/report/draft-store';
import { checkOwnSide, surfaceOrigin, type OwnSide } from '../../lib/report/own-side';
import { formatInZone, PARIS, type Lang } from '../../lib/report/time';
import type { Report, ReportScreenshot } from '../../lib/report/schema';
import { blobToDataUrl, dataUrlToBlob, exportScreenshot, loadImage } from '../../lib/screenshot/encode';
import { fallbackScreenshot, messagingTransport } from '../../lib/screenshot/render-snapshot';
import type { MessageKey } from '../../lib/i18n';
import { loadPublicSettings, type PublicSettings } from '../../lib/settings/store';
import { tabSurface, type TabSurface } from '../../lib/surfaces/summary';

/** A screenshot as it will be sent: annotations drawn, redactions burned into the pixels. */
type Encoded = { meta: ReportScreenshot; blob: Blob };
/** The report frozen for sending: what the preview lists is exactly what is queued, byte for byte. */
type Prepared = {
  id: string;
  shots: Encoded[];
  images: { filename: string; url: string }[];
  include: Include;
  report: Report;
  files: { filename: string; mimeType: string; data: Blob }[];
  attachments: PreviewAttachment[];
};

type Loaded = { tab: Browser.tabs.Tab & { id: number }; surface: TabSurface; active: boolean; snap: TabSnapshot; settings: PublicSettings };

const lang: Lang = browser.i18n.getUILanguage().startsWith('fr') ? 'fr' : 'en';
const userZone = Intl.DateTimeFormat().resolvedOptions().timeZone || PARIS;

/** A call is ringing, being dialled or in progress on the bar (the fallback capture must ask first). */
function callIsLive(fields: unknown): boolean {
  const state = (fields as { call?: { state?: string | null } | null } | null)?.call?.state;
  return state === 'en-communication' || state === 'sonnerie' || state === 'numerotation';
}

function fieldsOf(snap: TabSnapshot, surface: Draft['surface']) {
  return snap.frames.find((f) => f.live && f.surface === surface)?.fields ?? null;
}

export function App() {
  const openedAt = useRef(Date.now()).current;
  const [state, setState] = useState<Loaded | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [restored, setRestored] = useState(false);
  const [shots, setShots] = useState<ShownScreenshot[]>([]);
  const [shotError, setShotError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ownSide, setOwnSide] = useState<OwnSide | null>(null);
  const [review, setReview] = useState(false);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [prepError, setPrepError] = useState<string | null>(null);
  const [preparing, setPreparing] = useState(false);
  const [sending, setSending] = useState(false);
  // The preview's toggles answer at once; the report they shape is rebuilt behind them.
  const [include, setInclude] = useState<Include>(DEFAULT_INCLUDE);
  const [sentId, setSentId] = useState<string | null>(null);
  const rendererJs = useRef<string | null>(null);

  const [fallback, setFallback] = useState<{ frameId: number; replaceId: string | null; callLive: boolean; nativeError: string } | null>(null);
  // The latest draft and snapshot, for work that finishes after other edits (a slow capture).
  const draftRef = useRef<Draft | null>(null);
  const snapRef = useRef<TabSnapshot | null>(null);

  const update = (next: Draft) => {
    const d = { ...next, updatedAt: Date.now() };
    draftRef.current = d;
    setDraft(d);
    void saveDraft(d);
  };
  /**
   * An edit from the form, applied to the latest draft: a handler's `draft` can be one render old
   * when a capture has just landed (its screenshot would be lost).
   */
  const edit = (fn: (d: Draft) => Draft) => {
    if (draftRef.current) update(fn(draftRef.current));
  };

  /** `taken`: a capture already started (the popup's first one starts with the popup, not after the context). */
  async function capture(into: Draft, replaceId: string | null, taken?: Promise<ScreenshotResult>): Promise<Draft> {
    setBusy(true);
    setFallback(null);
    const res = await (taken ??
      browser.tabs.get(into.tabId).then((tab) => sendMessage('captureScreenshot', { windowId: (tab as Browser.tabs.Tab).windowId ?? -2 })));
    setBusy(false);
    if (res.ok) {
      setShotError(null);
      return addImage(into, res.dataUrl, 'tab', replaceId);
    }
    // Refused (the activeTab grant is gone after a navigation, a minimised window, the quota):
    // re-draw the surface's frame from its DOM. During a live call the user decides, because the
    // re-drawing can hold the bar's main thread for seconds.
    const snap = snapRef.current;
    const frame = snap ? surfaceFrame(snap, into.surface) : null;
    if (!frame) {
      setShotError(res.error);
      return into;
    }
    const offer = { frameId: frame.frameId, replaceId, callLive: callIsLive(frame.fields), nativeError: res.error };
    if (offer.callLive) {
      setFallback(offer);
      return into;
    }
    return renderFallback(into, offer);
  }

  async function renderFallback(into: Draft, offer: { frameId: number; replaceId: string | null; nativeError: string }): Promise<Draft> {
    setFallback(null);
    setBusy(true);
    // The frame writes its document out in short slices; the drawing happens here, in a sandboxed
    // frame of the popup (lib/screenshot/render-snapshot.ts), never in the page.
    const res = await fallbackScreenshot(messagingTransport({ tabId: into.tabId, frameId: offer.frameId }));
    setBusy(false);
    if (!res.ok) {
      const why = res.code === 'too-large' && res.limit ? t('fallbackTooLarge', String(Math.round(res.limit / (1024 * 1024)))) : res.error;
      setShotError(`${offer.nativeError} / ${why}`);
      return into;
    }
    setShotError(null);
    return addImage(into, res.dataUrl, 'page-render', offer.replaceId);
  }

  async function addImage(into: Draft, dataUrl: string, source: ScreenshotMeta['source'], replaceId: string | null, name = 'capture'): Promise<Draft> {
    const img = await loadImage(dataUrl);
    const meta: ScreenshotMeta = { id: crypto.randomUUID(), source, name, width: img.width, height: img.height, shapes: [], lossless: false };
    img.close();
    await saveScreenshot(into.tabId, meta.id, dataUrlToBlob(dataUrl));
    if (replaceId) await deleteScreenshot(replaceId);
    setShots((list) => [...list.filter((s) => s.meta.id !== replaceId), { meta, dataUrl }]);
    into = draftRef.current ?? into;
    const next = { ...into, screenshots: [...into.screenshots.filter((s) => s.id !== replaceId), meta] };
    update(next);
    return next;
  }

  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (!tab?.id) return;
      const tabId = tab.id;
      // The page as it is at the click: captured while the context is being gathered. Kept only for a new draft.
      const firstShot = sendMessage('captureScreenshot', { windowId: tab.windowId ?? -2 }).catch((e: unknown) => ({ ok: false as const, error: String(e) }));
      const [{ frames }, snap, settings, kept] = await Promise.all([
        sendMessage('getTabState', { tabId }),
        sendMessage('getSnapshot', { tabId }),
        loadPublicSettings(),
        loadDraft(tabId),
      ]);
      const surface = tabSurface(frames);
      snapRef.current = snap;
      // The own-side checks (seconds: latency samples, STUN) run beside the capture.
      const ownSide = checkOwnSide({
        origin: surfaceOrigin(snap),
        env: snap.env,
        stunServer: settings.stunServer,
        fetchImpl: (url, init) => fetch(url, init),
        RTCPeerConnection: globalThis.RTCPeerConnection,
      }).then(setOwnSide);
      setState({ tab: { ...tab, id: tabId }, surface, active: frames.some((f) => f.hook), snap, settings });
      let d: Draft;
      if (kept) {
        d = kept;
        setRestored(true);
        draftRef.current = d;
        setDraft(d);
        const restoredShots: ShownScreenshot[] = [];
        for (const meta of d.screenshots) {
          const blob = await loadScreenshot(meta.id);
          if (blob) restoredShots.push({ meta, dataUrl: await blobToDataUrl(blob) });
        }
        setShots(restoredShots);
      } else {
        d = newDraft(tabId, openedAt, surface.surface, prefill(surface.surface, fieldsOf(snap, surface.surface)));
        draftRef.current = d;
        setDraft(d);
        d = await capture(d, null, firstShot);
      }
      await ownSide;
    })();
  }, []);

  /** Encodes every screenshot for sending (redactions burned in), once per preview. */
  async function encodeShots(d: Draft): Promise<Encoded[]> {
    const out: Encoded[] = [];
    for (const [i, meta] of d.screenshots.entries()) {
      const shown = shots.find((s) => s.meta.id === meta.id);
      if (!shown) continue;
      const img = await loadImage(shown.dataUrl);
      try {
        // The capture as it is when nothing is drawn on it and it fits; otherwise drawn (redactions burned in) and encoded.
        const enc = await exportScreenshot(img, meta.shapes, { lossless: meta.lossless });
        const ext = enc.type === 'image/png' ? 'png' : 'jpg';
        out.push({
          blob: enc.blob,
          meta: {
            filename: `capture-${i + 1}.${ext}`,
            mimeType: enc.type,
            bytes: enc.bytes,
            width: enc.width,
            height: enc.height,
            source: meta.source,
            shapes: meta.shapes,
            redactions: meta.shapes.filter((s) => s.kind === 'redact').length,
          },
        });
      } finally {
        img.close();
      }
    }
    return out;
  }

  async function assemble(d: Draft, id: string, enc: Encoded[], include: Include): Promise<Prepared> {
    if (!state) throw new Error('not loaded');
    const report = assembleReport({
      id,
      version: browser.runtime.getManifest().version,
      lang,
      userZone,
      now: Date.now(),
      draft: d,
      snap: state.snap,
      ownSide,
      include,
      screenshots: enc.map((e) => e.meta),
      label: (item) => t(`check_${item}` as MessageKey),
    });
    const json = new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' });
    const html = await buildReportHtml({
      report,
      screenshots: await Promise.all(enc.map(async (e) => ({ filename: e.meta.filename, dataUrl: await blobToDataUrl(e.blob) }))),
      rendererJs: (rendererJs.current ??= await loadRendererJs()),
      lang,
    });
    const files = [
      ...enc.map((e) => ({ filename: e.meta.filename, mimeType: e.meta.mimeType, data: e.blob })),
      { filename: 'context.json', mimeType: 'application/json', data: json },
      { filename: 'report.html', mimeType: 'text/html', data: new Blob([html], { type: 'text/html' }) },
    ];
    const attachments = files.map((f) => ({ filename: f.filename, mimeType: f.mimeType, bytes: f.data.size }));
    const images = prepared?.shots === enc ? prepared.images : enc.map((e) => ({ filename: e.meta.filename, url: URL.createObjectURL(e.blob) }));
    return { id, shots: enc, images, include, report, files, attachments };
  }

  async function openPreview() {
    const current = draftRef.current;
    if (!current) return;
    setPreparing(true);
    setPrepError(null);
    try {
      const enc = await encodeShots(current);
      setPrepared(await assemble(current, prepared?.id ?? `TMN-${crypto.randomUUID()}`, enc, include));
    } catch (e) {
      setPrepError(e instanceof Error ? e.message : String(e));
    } finally {
      setPreparing(false);
    }
  }

  /**
   * Hands the frozen report to the outbox (IndexedDB: it survives the popup, the worker and the
   * browser), then asks the background to deliver it. The draft goes once the outbox holds it.
   */
  async function send() {
    if (!prepared || !draft) return;
    setSending(true);
    setPrepError(null);
    try {
      await enqueue({
        id: prepared.id,
        createdAt: prepared.report.createdAt.ms,
        surface: prepared.report.surface,
        title: ticketTitle(prepared.report, lang),
        bodyHtml: summaryHtml(prepared.report, lang),
        attachments: prepared.files,
      });
      await discardDraft(draft.tabId);
      setSentId(prepared.id);
      setPrepared(null);
      setShots([]);
      setDraft(null);
      draftRef.current = null;
      void sendMessage('flushOutbox', undefined);
    } catch (e) {
      setPrepError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  }

  async function discard() {
    if (!draft || !state) return;
    await discardDraft(draft.tabId);
    setShots([]);
    setRestored(false);
    setReview(false);
    setPrepared(null);
    const d = newDraft(draft.tabId, Date.now(), state.surface.surface, prefill(state.surface.surface, fieldsOf(state.snap, state.surface.surface)));
    draftRef.current = d;
    setDraft(d);
    await capture(d, null);
  }

  const missing = draft ? missingItems(draft.surface, draft.checklist) : [];
  const incomplete = draft ? [...missing, ...(draft.description.what.trim() ? [] : ['what'])] : [];
  const skewMs = ownSide?.skew.ok ? ownSide.skew.offsetMs : null;

  return (
    <main className="popup">
      <h1>{t('popupHeading')}</h1>
      {state && (
        <>
          <p data-testid="surface">
            <strong>{t('surfaceLabel')} : </strong>
            {t(`surface_${state.surface.surface}`)}
            {state.surface.embeddedIn ? ` (${t('embeddedIn', state.surface.embeddedIn)})` : ''}
          </p>
          <Status tone={state.active ? 'ok' : 'info'} text={t(state.active ? 'captureReady' : 'captureMissing')} testId="capture-status" />
        </>
      )}
      {draft && restored && (
        <p className="status info" data-testid="draft-restored">
          {t('draftRestored', formatInZone(draft.openedAt, PARIS, lang))}{' '}
          <button type="button" className="link" onClick={() => void discard()}>
            {t('discardDraft')}
          </button>
        </p>
      )}
      {draft && state && (
        <form
          hidden={prepared !== null}
          onSubmit={(e) => {
            e.preventDefault();
            setReview(true);
            if (incomplete.length === 0) void openPreview();
          }}
          noValidate
        >
          <Triage kind={draft.kind} onKind={(kind) => edit((d) => ({ ...d, kind }))} customerSuccessEmail={state.settings.customerSuccessEmail} />
          <Prechecks results={ownSide?.prechecks ?? null} skew={ownSide?.skew ?? null} />
          {draft.kind === 'fault' && (
            <>
              <Checklist
                surface={draft.surface}
                values={draft.checklist}
                missing={missing}
                showMissing={review}
                onSurface={(surface) => edit((d) => ({ ...d, surface, checklist: { ...prefill(surface, fieldsOf(state.snap, surface)), ...d.checklist } }))}
                onValue={(id, v) => edit((d) => ({ ...d, checklist: { ...d.checklist, [id]: v } }))}
              />
              <FaultTime draft={draft} timeline={state.snap.timeline} userZone={userZone} skewMs={skewMs} lang={lang} onChange={(faultTime) => edit((d) => ({ ...d, faultTime }))} />
              <DescriptionForm value={draft.description} showMissing={review} onChange={(description) => edit((d) => ({ ...d, description }))} />
              <Screenshots
                shots={shots}
                error={shotError}
                busy={busy}
                onRetake={() => void capture(draft, draft.screenshots.find((s) => s.source === 'tab')?.id ?? null)}
                onAdd={() => void capture(draft, null)}
                onFile={(file) => void blobToDataUrl(file).then((u) => addImage(draft, u, 'file', null, file.name.slice(0, 200)))}
                onRemove={(id) => {
                  void deleteScreenshot(id);
                  setShots((l) => l.filter((s) => s.meta.id !== id));
                  edit((d) => ({ ...d, screenshots: d.screenshots.filter((s) => s.id !== id) }));
                }}
                fallback={fallback ? { callLive: fallback.callLive, nativeError: fallback.nativeError } : null}
                onFallback={() => fallback && void renderFallback(draftRef.current ?? draft, fallback)}
                onEdit={(id, v) => edit((d) => ({ ...d, screenshots: d.screenshots.map((s) => (s.id === id ? { ...s, shapes: v.shapes, lossless: v.lossless } : s)) }))}
              />
              {review && incomplete.length > 0 && (
                <div className="status bad" role="alert" data-testid="form-incomplete">
                  {t('formIncomplete')} {incomplete.length}
                </div>
              )}
              {preparing && <Status tone="info" text={t('previewBuilding')} testId="preview-building" />}
              {prepError && <Status tone="bad" text={t('previewFailed', prepError)} testId="preview-error" />}
              <p className="choices">
                <button type="submit" disabled={preparing}>{t('reviewButton')}</button>
                <button type="button" className="secondary" onClick={() => void discard()}>
                  {t('discardDraft')}
                </button>
              </p>
            </>
          )}
        </form>
      )}
      {draft && state && prepared && (
        <Preview
          report={prepared.report}
          attachments={prepared.attachments}
          images={prepared.images}
          include={include}
          ownSide={ownSide}
          fullTimeline={state.snap.timeline}
          destination={state.settings.zammadUrl}
          lang={lang}
          busy={sending}
          onInclude={(next) => {
            setInclude(next);
            void assemble(draft, prepared.id, prepared.shots, next).then(setPrepared, (e: unknown) => setPrepError(String(e)));
          }}
          onSend={() => void send()}
          onBack={() => setPrepared(null)}
        />
      )}
      {prepared && prepError && <Status tone="bad" text={t('previewFailed', prepError)} testId="send-error" />}
      {sentId && <Status tone="ok" text={t('reportQueued')} testId="report-queued" />}
      <Outbox limit={5} />
      <p className="muted">
        <a href="#" onClick={(e) => { e.preventDefault(); void browser.runtime.openOptionsPage(); }}>
          {t('openOptions')}
        </a>
      </p>
    </main>
  );
}
