import { useEffect, useState } from 'react';
import { browser, type Browser } from '#imports';
import { Prechecks } from '../../components/Prechecks';
import { Status } from '../../components/Status';
import { t } from '../../lib/i18n';
import { sendMessage, type ScreenshotResult } from '../../lib/messaging';
import { checkOwnSide, surfaceOrigin, type OwnSide } from '../../lib/report/own-side';
import { loadEffectiveSettings } from '../../lib/settings/store';
import { tabSurface, type TabSurface } from '../../lib/surfaces/summary';

type Loaded = { tab: Browser.tabs.Tab; surface: TabSurface; active: boolean };

export function App() {
  const [state, setState] = useState<Loaded | null>(null);
  const [shot, setShot] = useState<ScreenshotResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [ownSide, setOwnSide] = useState<OwnSide | null>(null);

  useEffect(() => {
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (!tab?.id) return;
      const { frames } = await sendMessage('getTabState', { tabId: tab.id });
      setState({ tab, surface: tabSurface(frames), active: frames.some((f) => f.hook) });
      const [snap, { settings }] = await Promise.all([sendMessage('getSnapshot', { tabId: tab.id }), loadEffectiveSettings()]);
      setOwnSide(
        await checkOwnSide({
          origin: surfaceOrigin(snap),
          env: snap.env,
          stunServer: settings.stunServer,
          fetchImpl: (url, init) => fetch(url, init),
          RTCPeerConnection: globalThis.RTCPeerConnection,
        }),
      );
    })();
  }, []);

  async function capture() {
    if (!state) return;
    setBusy(true);
    setShot(await sendMessage('captureScreenshot', { windowId: state.tab.windowId ?? -2 }));
    setBusy(false);
  }

  return (
    <main style={{ width: 360, padding: 12 }}>
      <h1>{t('popupHeading')}</h1>
      {state && (
        <>
          <p data-testid="surface">
            <strong>{t('surfaceLabel')} : </strong>
            {t(`surface_${state.surface.surface}`)}
            {state.surface.embeddedIn ? ` (${t('embeddedIn', state.surface.embeddedIn)})` : ''}
          </p>
          <Status tone={state.active ? 'ok' : 'info'} text={t(state.active ? 'captureReady' : 'captureMissing')} testId="capture-status" />
          <button type="button" onClick={() => void capture()} disabled={busy}>
            {t('takeScreenshot')}
          </button>
        </>
      )}
      {state && <Prechecks results={ownSide?.prechecks ?? null} skew={ownSide?.skew ?? null} />}
      {shot?.ok && (
        <>
          <Status tone="ok" text={t('screenshotTaken', `${Math.round(shot.bytes / 1024)} Ko`)} testId="shot-status" />
          {shot.dataUrl.startsWith('data:image/') && <img src={shot.dataUrl} alt="" style={{ width: '100%', border: '1px solid #c5ceda' }} />}
        </>
      )}
      {shot && !shot.ok && <Status tone="bad" text={t('screenshotFailed', shot.error)} testId="shot-status" />}
      <p className="muted">
        <a href="#" onClick={(e) => { e.preventDefault(); void browser.runtime.openOptionsPage(); }}>
          {t('openOptions')}
        </a>
      </p>
    </main>
  );
}
