import { unzipSync } from 'fflate';
import { z } from 'zod';
import { keepUnknownFields, REPORT_SCHEMA_VERSION, ReportSchema, type Report } from '../report/schema';
import { migrateV0, ReportV0Schema } from './migrate';

/**
 * Opening a report for the viewer: a context.json, the exported bundle (.zip with context.json,
 * the screenshots and report.html), or a context.json chosen with its screenshot files.
 *
 * Versions:
 * - the current one (1) is parsed as it is; fields this version does not know are kept and listed;
 * - 0 (the pre-release shape, see migrate.ts) is migrated, with a notice;
 * - a newer one is read as the current one: its unknown fields are kept, timeline events of kinds
 *   this version does not know are left out, and a notice says so. If what it does know no longer
 *   validates, opening fails with the invalid fields named.
 */

export type OpenErrorCode = 'not-json' | 'not-report' | 'version' | 'invalid' | 'no-context' | 'zip' | 'too-large' | 'no-file';

export class ReportOpenError extends Error {
  constructor(
    readonly code: OpenErrorCode,
    readonly detail = '',
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ReportOpenError';
  }
}

export type OpenNotice =
  | { code: 'migrated'; from: number; to: number }
  | { code: 'newer'; version: number }
  | { code: 'dropped-events'; count: number }
  | { code: 'unknown-fields'; fields: string[] };

export interface ReadReport {
  report: Report;
  notices: OpenNotice[];
}

export interface OpenedReport extends ReadReport {
  /** Screenshot file name → data: URL, for the screenshots found beside the report. */
  shots: Record<string, string>;
  /** The name of the file the report came from. */
  source: string;
}

export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** Largest file the viewer reads, and largest total a bundle may expand to. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;
export const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function issuesText(error: z.ZodError, max = 5): string {
  const list = error.issues.slice(0, max).map((i) => `${i.path.map(String).join('.') || '(racine)'}: ${i.message}`);
  if (error.issues.length > max) list.push(`… (+${error.issues.length - max})`);
  return list.join(' ; ');
}

/** A parsed JSON value (a context.json's content) as a current report, with what the reader should know. */
export function readReport(value: unknown): ReadReport {
  if (!isObj(value) || !('schemaVersion' in value)) throw new ReportOpenError('not-report');
  const version = value['schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) throw new ReportOpenError('version', String(version).slice(0, 40));
  const notices: OpenNotice[] = [];
  let data: Record<string, unknown>;
  if (version === 0) {
    const v0 = ReportV0Schema.safeParse(value);
    if (!v0.success) throw new ReportOpenError('invalid', issuesText(v0.error));
    data = migrateV0(v0.data);
    notices.push({ code: 'migrated', from: 0, to: REPORT_SCHEMA_VERSION });
  } else if (version > REPORT_SCHEMA_VERSION) {
    data = { ...value, schemaVersion: REPORT_SCHEMA_VERSION };
    notices.push({ code: 'newer', version });
  } else {
    data = value;
  }

  let parsed = ReportSchema.safeParse(data);
  if (!parsed.success && version > REPORT_SCHEMA_VERSION && Array.isArray(data['timeline'])) {
    // A newer Témoin may record kinds of events this one does not know: leave those out.
    const bad = new Set<number>();
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === 'timeline' && typeof issue.path[1] === 'number') bad.add(issue.path[1]);
    }
    if (bad.size) {
      data = { ...data, timeline: (data['timeline'] as unknown[]).filter((_, i) => !bad.has(i)) };
      notices.push({ code: 'dropped-events', count: bad.size });
      parsed = ReportSchema.safeParse(data);
    }
  }
  if (!parsed.success) throw new ReportOpenError('invalid', issuesText(parsed.error));

  const known = new Set(Object.keys(ReportSchema.shape));
  const unknown = Object.keys(parsed.data).filter((k) => !known.has(k));
  if (unknown.length) notices.push({ code: 'unknown-fields', fields: unknown.slice(0, 20) });
  return { report: keepUnknownFields(parsed.data, data), notices };
}

/** A context.json's text as a current report. */
export function readReportText(text: string): ReadReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportOpenError('not-json', e instanceof Error ? e.message.slice(0, 200) : '');
  }
  return readReport(value);
}

const decoder = new TextDecoder('utf-8');
const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isImageName = (name: string) => /\.(?:png|jpe?g|webp)$/i.test(name);

/** Bytes as a base64 data: URL. */
export function dataUrl(mime: string, bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${mime};base64,${btoa(bin)}`;
}

function unzip(file: InputFile): InputFile[] {
  let total = 0;
  try {
    const entries = unzipSync(file.bytes, {
      filter: (f) => {
        const name = basename(f.name);
        if (!(name === 'context.json' || isImageName(name)) || f.name.includes('__MACOSX')) return false;
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new ReportOpenError('too-large', String(Math.round(total / 1048576)));
        return true;
      },
    });
    return Object.entries(entries).map(([name, bytes]) => ({ name, bytes }));
  } catch (e) {
    if (e instanceof ReportOpenError) throw e;
    throw new ReportOpenError('zip', e instanceof Error ? e.message.slice(0, 200) : String(e));
  }
}

/**
 * Opens what the user picked or dropped: one .zip bundle, or one context.json, each with any
 * screenshot files beside it (matched to the report's screenshots by file name).
 */
export function openReportFiles(files: readonly InputFile[]): OpenedReport {
  for (const f of files) {
    if (f.bytes.length > MAX_FILE_BYTES) throw new ReportOpenError('too-large', String(Math.round(f.bytes.length / 1048576)));
  }
  const all: InputFile[] = [];
  let source = '';
  for (const f of files) {
    if (isZip(f.bytes)) {
      const inner = unzip(f);
      if (!inner.some((x) => basename(x.name) === 'context.json')) throw new ReportOpenError('no-context');
      if (!source) source = f.name;
      all.push(...inner);
    } else all.push(f);
  }
  // The shallowest context.json (a bundle may sit in one folder).
  const contexts = all.filter((f) => basename(f.name) === 'context.json' || (/\.json$/i.test(f.name) && !f.name.includes('/')));
  contexts.sort((a, b) => a.name.split('/').length - b.name.split('/').length);
  const ctx = contexts[0];
  if (!ctx) throw new ReportOpenError('no-file');
  const read = readReportText(decoder.decode(ctx.bytes));
  const shots: Record<string, string> = {};
  for (const s of read.report.screenshots) {
    const file = all.find((f) => basename(f.name) === s.filename && isImageName(f.name));
    if (file) shots[s.filename] = dataUrl(s.mimeType, file.bytes);
  }
  return { ...read, shots, source: source || ctx.name };
}
