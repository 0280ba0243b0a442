import { afterEach, describe, expect, it } from 'vitest';
import { replayDicts } from '../../../lib/replay/messages';
import { renderReport } from '../../../lib/replay/render';
import { auditDom, XSS_CANARY_SELECTOR, XSS_PAYLOADS } from '../../fixtures/xss-payloads';
import { barFaultReport, barFaultScreenshot, hostileReport } from '../../fixtures/reports/hostile';

const dicts = replayDicts();

function mount() {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  return root;
}
const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLTableRowElement>('[data-part="timeline"] tbody tr')];
const visible = (root: HTMLElement) => rows(root).filter((r) => !r.hidden);

afterEach(() => document.body.replaceChildren());

describe('the replay renderer', () => {
  const report = barFaultReport();
  const shot = barFaultScreenshot();

  it('renders every section of a real capture, in French by default', () => {
    const root = mount();
    renderReport(root, { report, shots: { [shot.filename]: shot.dataUrl }, dicts, lang: 'fr' });
    const sections = [...root.querySelectorAll('[data-section]')].map((s) => s.getAttribute('data-section'));
    expect(sections).toEqual(['header', 'counts', 'description', 'screenshots', 'timeline', 'webrtc', 'prechecks', 'environment', 'footer']);
    const header = root.querySelector('[data-section="header"]')!.textContent!;
    expect(header).toContain('Bandeau opérateur — Incident');
    expect(header).toContain('jdupont');
    expect(header).toMatch(/Incident \(heure de Paris\)\d\d\/\d\d\/2026 \d\d:\d\d:\d\d,\d{3} \(heure de Paris, UTC\+0[12]:00\)/);
    expect(header).toContain('(UTC)');
    expect(header).toContain('horloge du poste décalée de +3,2 s');
    expect(header).toContain('Chromium 156.0.8078.108 · Linux');
    expect(root.querySelector('[data-field="url"]')!.textContent).toBe('https://voice-management.axialys.com/operateurs/index.htm');
    expect(root.querySelector('[data-section="description"]')!.textContent).toContain('le statut reste « En communication »');
    expect(root.querySelector('[data-part="checklist"]')!.textContent).toContain('Horizon Assurances');
    const img = root.querySelector<HTMLImageElement>('[data-section="screenshots"] img')!;
    expect(img.getAttribute('src')).toBe(shot.dataUrl);
    expect(root.querySelector('figcaption')!.textContent).toContain('1 zone(s) surlignée(s), 1 zone(s) masquée(s)');
    expect(root.querySelectorAll('[data-section="prechecks"] li[data-status="pass"]')).toHaveLength(4);
    expect(root.querySelector('[data-check="clock"]')!.getAttribute('data-status')).toBe('warn');
    expect(root.querySelectorAll('[data-part="rtcstats"] tbody tr').length).toBeGreaterThan(0);
    expect(root.querySelector('[data-count="replayCountWsDrops"]')!.textContent).toBe('1coupures WebSocket');
  });

  it('shows one merged timeline in time order, the fault marked, with stacks on demand', () => {
    const root = mount();
    renderReport(root, { report, shots: {}, dicts, lang: 'en' });
    const all = rows(root);
    expect(all).toHaveLength(report.timeline.length + 1);
    const times = all.map((r) => Number(r.getAttribute('data-t')));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const kinds = new Set(all.map((r) => r.getAttribute('data-k')));
    for (const k of ['page', 'ws', 'click', 'rtc', 'error', 'net', 'console', 'resource', 'csp', 'rejection', 'rtcstats', 'fault']) expect(kinds, k).toContain(k);
    const error = all.find((r) => r.getAttribute('data-k') === 'error')!;
    expect(error.querySelector('.tmn-rel')!.textContent).toBe('±00:00.000');
    const details = error.querySelector('details')!;
    expect(details.querySelector('pre')).toBeNull(); // built on demand
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    expect(details.querySelector('pre')!.textContent).toContain('at rappelerDernierTransfert');
    expect(root.querySelector('[data-section="screenshots"] [data-missing="screenshot"]')!.textContent).toContain('capture-1.jpg');
  });

  it('filters by kind, by problems and by text', () => {
    const root = mount();
    renderReport(root, { report, shots: {}, dicts, lang: 'fr' });
    const total = rows(root).length;
    const box = (k: string) => root.querySelector<HTMLInputElement>(`input[data-filter="${k}"]`)!;
    box('click').checked = false;
    box('click').dispatchEvent(new Event('change'));
    expect(visible(root).some((r) => r.getAttribute('data-k') === 'click')).toBe(false);
    expect(visible(root).length).toBe(total - report.timeline.filter((e) => e.k === 'click').length);
    box('problems').checked = true;
    box('problems').dispatchEvent(new Event('change'));
    expect(visible(root).every((r) => r.getAttribute('data-severity') !== 'info')).toBe(true);
    box('problems').checked = false;
    box('problems').dispatchEvent(new Event('change'));
    const search = box('search');
    search.value = 'ID_APPEL';
    search.dispatchEvent(new Event('input'));
    expect(visible(root).map((r) => r.getAttribute('data-k'))).toEqual(['error', 'fault']);
    expect(root.querySelector('[data-part="shown"]')!.textContent).toBe(`1 événement(s) affiché(s) sur ${report.timeline.length}`);
  });

  it('switches between French and English', () => {
    const root = mount();
    renderReport(root, { report, shots: {}, dicts, lang: 'fr' });
    expect(root.querySelector('h1')!.textContent).toBe('Bandeau opérateur — Incident');
    root.querySelector<HTMLButtonElement>('button[data-lang="en"]')!.click();
    expect(root.querySelector('h1')!.textContent).toBe('Operator bar — Fault');
    expect(root.querySelector('.tmn-report')!.getAttribute('lang')).toBe('en');
    expect(root.querySelectorAll('.tmn-report')).toHaveLength(1);
  });

  it('refuses screenshot sources that are not base64 raster data URLs', () => {
    const root = mount();
    const shots = ['javascript:alert(1)', 'data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+', 'data:text/html,<script>alert(1)</script>'];
    for (const url of shots) {
      renderReport(root, { report, shots: { 'capture-1.jpg': url }, dicts, lang: 'fr' });
      expect(root.querySelector('img')).toBeNull();
      expect(root.querySelector('[data-missing="screenshot"]')!.textContent).toContain('refusée');
    }
  });

  it(`renders ${XSS_PAYLOADS.length} XSS payloads planted everywhere as text, never as markup`, () => {
    const { report: hostile, used } = hostileReport(report);
    expect(used.size).toBe(XSS_PAYLOADS.length);
    const root = mount();
    (globalThis as { __xssHit?: unknown }).__xssHit = () => {
      throw new Error('XSS payload executed');
    };
    const view = renderReport(root, { report: hostile, shots: { 'capture-1.jpg': shot.dataUrl }, dicts, lang: 'fr' });
    // Every lazy block opened: stacks, arguments, page state, pre-check details.
    for (const d of root.querySelectorAll('details')) {
      d.open = true;
      d.dispatchEvent(new Event('toggle'));
    }
    expect(auditDom({ canary: XSS_CANARY_SELECTOR })).toEqual([]);
    expect([...root.querySelectorAll('script, style, img')].map((e) => e.tagName)).toEqual(['IMG']);
    const tags = new Set([...root.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()));
    for (const t of tags) expect(['div', 'span', 'header', 'h1', 'h2', 'dl', 'dt', 'dd', 'section', 'p', 'ul', 'li', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'pre', 'figure', 'figcaption', 'img', 'input', 'label', 'button']).toContain(t);
    const text = root.textContent!;
    for (const p of XSS_PAYLOADS.filter((x) => x.length < 200 && !/[\u0000\ud800\u202e\r]/.test(x))) expect(text, p).toContain(p);
    view.setLang('en');
    expect(auditDom({ canary: XSS_CANARY_SELECTOR })).toEqual([]);
  }, 120_000); // ~1,800 hostile events rendered twice in happy-dom on a shared machine
});
