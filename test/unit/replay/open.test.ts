import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseReport } from '../../../lib/report/schema';
import { openReportFiles, readReport, readReportText, ReportOpenError } from '../../../lib/replay/open';
import { barFaultScreenshot, fixtureText } from '../../fixtures/reports/hostile';

const v1 = fixtureText('bar-fault.v1.json');
const shot = barFaultScreenshot();
const file = (name: string, text: string) => ({ name, bytes: strToU8(text) });
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof ReportOpenError ? `${e.code}` : `other: ${String(e)}`;
  }
  return 'opened';
};

describe('opening a report', () => {
  it('opens a current context.json as it is, with no notice', () => {
    const { report, notices } = readReportText(v1);
    expect(report).toEqual(parseReport(v1));
    expect(notices).toEqual([]);
  });

  it('opens the pre-release (schemaVersion 0) file through its migration', () => {
    const { report, notices } = readReportText(fixtureText('bar-fault.v0.json'));
    expect(notices).toEqual([{ code: 'migrated', from: 0, to: 1 }]);
    const current = parseReport(v1);
    expect(report.schemaVersion).toBe(1);
    expect(report.timeline).toEqual(current.timeline);
    expect(report.fault.at.ms).toBe(current.fault.at.ms);
    expect(report.fault.at.paris).toBe(current.fault.at.paris);
    expect(report.description.what).toBe(current.description.what);
    expect(report.description.steps).toBe(current.description.steps);
    expect(report.checklist.find((c) => c.id === 'callId')).toMatchObject({ label: 'ID appel (si un appel était en cours)', value: current.checklist.find((c) => c.id === 'callId')!.value });
    expect(report.screenshots[0]).toMatchObject({ filename: 'capture-1.jpg', mimeType: 'image/jpeg', width: 1280, height: 720 });
    expect(report.env).toEqual(current.env);
    expect(report.ownSide).toBeNull();
  });

  it('opens a newer version with what it knows, keeps its unknown fields and says so', () => {
    const { report, notices } = readReportText(fixtureText('bar-fault.v2.json'));
    expect(notices).toEqual([
      { code: 'newer', version: 2 },
      { code: 'dropped-events', count: 1 },
      { code: 'unknown-fields', fields: ['audioQuality'] },
    ]);
    expect(report['audioQuality']).toEqual({ mos: 3.1, samples: 42 });
    expect(report.timeline).toHaveLength(parseReport(v1).timeline.length);
  });

  it('keeps unknown fields of a current file and lists them', () => {
    const { report, notices } = readReport({ ...JSON.parse(v1), extra: { a: 1 } });
    expect(report['extra']).toEqual({ a: 1 });
    expect(notices).toEqual([{ code: 'unknown-fields', fields: ['extra'] }]);
  });

  it('keeps unknown fields at every depth (nested objects and timeline events), and still validates the known ones', () => {
    const data = JSON.parse(v1);
    data.description = { ...data.description, mood: 'agacé' };
    data.timeline[0] = { ...data.timeline[0], addedLater: [1, { deep: true }] };
    data.env = data.env && { ...data.env, gpu: 'llvmpipe' };
    const { report } = readReport(data);
    expect((report.description as Record<string, unknown>)['mood']).toBe('agacé');
    expect((report.timeline[0] as Record<string, unknown>)['addedLater']).toEqual([1, { deep: true }]);
    if (data.env) expect((report.env as Record<string, unknown>)['gpu']).toBe('llvmpipe');
    expect(report.timeline[0]!.t).toBe(data.timeline[0].t);
    data.description.what = 42;
    expect(code(() => readReport(data))).toBe('invalid');
  });

  it('names what is wrong with a file it cannot open', () => {
    expect(code(() => readReportText('{ nope'))).toBe('not-json');
    expect(code(() => readReportText('[1,2]'))).toBe('not-report');
    expect(code(() => readReportText('{"hello":1}'))).toBe('not-report');
    expect(code(() => readReport({ schemaVersion: -1 }))).toBe('version');
    expect(code(() => readReport({ schemaVersion: '1' }))).toBe('version');
    expect(code(() => readReport({ schemaVersion: 1.5 }))).toBe('version');
    const broken = { ...JSON.parse(v1), surface: 'moon', timeline: 'x' };
    try {
      readReport(broken);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ReportOpenError);
      expect((e as ReportOpenError).code).toBe('invalid');
      expect((e as ReportOpenError).detail).toMatch(/surface: .*timeline: /);
    }
    // A current file with an unknown event kind is invalid (only newer files may carry new kinds).
    const v2 = JSON.parse(fixtureText('bar-fault.v2.json'));
    expect(code(() => readReport({ ...v2, schemaVersion: 1 }))).toBe('invalid');
  });
});

describe('opening files', () => {
  it('opens the exported bundle: context.json and its screenshots from the zip', () => {
    const zip = zipSync({ 'TMN-x/context.json': strToU8(v1), 'TMN-x/capture-1.jpg': new Uint8Array(shot.bytes), 'TMN-x/report.html': strToU8('<html></html>') });
    const opened = openReportFiles([{ name: 'rapport.zip', bytes: zip }]);
    expect(opened.source).toBe('rapport.zip');
    expect(opened.report.id).toBe(parseReport(v1).id);
    expect(opened.shots).toEqual({ 'capture-1.jpg': shot.dataUrl });
  });

  it('opens a context.json picked with its screenshot, matched by file name', () => {
    const opened = openReportFiles([file('context.json', v1), { name: 'capture-1.jpg', bytes: new Uint8Array(shot.bytes) }, file('notes.txt', 'x')]);
    expect(opened.shots).toEqual({ 'capture-1.jpg': shot.dataUrl });
    expect(opened.source).toBe('context.json');
    expect(openReportFiles([file('TMN-3f6c.json', v1)]).shots).toEqual({});
  });

  it('refuses archives without a report, unreadable archives and files that are not reports', () => {
    expect(code(() => openReportFiles([{ name: 'a.zip', bytes: zipSync({ 'capture-1.jpg': new Uint8Array(shot.bytes) }) }]))).toBe('no-context');
    const zip = zipSync({ 'context.json': strToU8(v1) });
    expect(code(() => openReportFiles([{ name: 'a.zip', bytes: zip.slice(0, 40) }]))).toBe('zip');
    expect(code(() => openReportFiles([{ name: 'capture-1.jpg', bytes: new Uint8Array(shot.bytes) }]))).toBe('no-file');
    expect(code(() => openReportFiles([file('context.json', 'PK not really')]))).toBe('not-json');
  });
});
