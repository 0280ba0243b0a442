import { pickLang, type Dicts } from './i18n';
import { isObj } from './model';
import { renderReport } from './render';

/** Ids of the data blocks report.html carries (`<script type="application/json">`, never executed). */
export const DATA_IDS = { report: 'temoin-report', i18n: 'temoin-i18n', shots: 'temoin-shots', app: 'temoin-app' } as const;

function readJson(doc: Document, id: string): unknown {
  const el = doc.getElementById(id);
  if (!el || el.tagName !== 'SCRIPT' || (el as HTMLScriptElement).type !== 'application/json') return null;
  try {
    return JSON.parse(el.textContent ?? 'null');
  } catch {
    return null;
  }
}

/**
 * report.html's script: reads the embedded report, dictionaries and screenshots and renders them in
 * the reader's language (navigator.language; French by default).
 */
export function bootReportPage(doc: Document = document, language: string | undefined = doc.defaultView?.navigator.language): void {
  const app = doc.getElementById(DATA_IDS.app);
  if (!app) return;
  const report = readJson(doc, DATA_IDS.report);
  const dicts = readJson(doc, DATA_IDS.i18n);
  const shots = readJson(doc, DATA_IDS.shots);
  if (!isObj(report) || !isObj(dicts) || !isObj(dicts['fr']) || !isObj(dicts['en'])) {
    app.textContent = 'Témoin: report data missing or unreadable / données du rapport absentes ou illisibles.';
    return;
  }
  const safeShots: Record<string, string> = {};
  if (isObj(shots)) for (const [k, v] of Object.entries(shots)) if (typeof v === 'string') safeShots[k] = v;
  renderReport(app, { report, shots: safeShots, dicts: dicts as unknown as Dicts, lang: pickLang(language) });
}
