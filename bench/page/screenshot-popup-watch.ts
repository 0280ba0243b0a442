/**
 * Popup benchmark: evaluated (Runtime.evaluate) in Témoin's popup as soon as its document is
 * popup.html, to time when it becomes ready. Nothing of the popup's code is changed: a
 * MutationObserver notes when each element first appears, and an animation-frame loop notes the
 * first frame in which the screenshot canvas holds pixels.
 *
 * The screenshot is shown on the fault path only: the observer answers the triage question
 * ("a service that usually works is failing": `triage-fault`) the instant it appears, as a user
 * with no think time would.
 *
 * Times are performance.now() of the popup (ms from its timeOrigin).
 */
export interface PopupWatch {
  installedAt: number;
  /** What was already there when the observer was installed (those marks are upper bounds). */
  already: string[];
  marks: Partial<Record<'heading' | 'surface' | 'triage' | 'form' | 'fault' | 'canvas' | 'drawn', number>>;
  error?: string;
}

declare global {
  interface Window {
    __temoinPopupWatch?: { watch: PopupWatch; ready: Promise<PopupWatch> };
  }
}

function install(): { installed: boolean; href: string } {
  if (!location.href.includes('/popup.html')) return { installed: false, href: location.href };
  if (window.__temoinPopupWatch) return { installed: true, href: location.href };
  const watch: PopupWatch = { installedAt: performance.now(), already: [], marks: {} };
  let done: (w: PopupWatch) => void = () => undefined;
  const ready = new Promise<PopupWatch>((r) => (done = r));
  window.__temoinPopupWatch = { watch, ready };
  const mark = (k: keyof PopupWatch['marks']) => {
    if (watch.marks[k] === undefined) watch.marks[k] = performance.now();
  };
  let polling = false;
  let clicked = false;
  const check = () => {
    if (document.querySelector('h1')) mark('heading');
    if (document.querySelector('[data-testid="surface"]')) mark('surface');
    if (document.querySelector('form')) mark('form');
    const fault = document.querySelector<HTMLInputElement>('[data-testid="triage-fault"]');
    if (fault) {
      mark('triage');
      if (!clicked && !fault.checked) {
        clicked = true;
        fault.click();
        mark('fault');
      }
    }
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="screenshot"] canvas');
    if (canvas && !polling) {
      mark('canvas');
      polling = true;
      const frame = () => {
        try {
          const px = canvas.getContext('2d')?.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
          if (px && px[3]! > 0 && document.querySelector('[data-testid="surface"]')) {
            mark('drawn');
            observer.disconnect();
            return done(watch);
          }
        } catch (e) {
          watch.error = String(e);
        }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    }
  };
  const observer = new MutationObserver(check);
  check();
  watch.already = Object.keys(watch.marks);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
  return { installed: true, href: location.href };
}

(window as unknown as { __temoinPopupInstall?: typeof install }).__temoinPopupInstall = install;
