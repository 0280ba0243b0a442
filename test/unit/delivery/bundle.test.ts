// @vitest-environment node
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildBundle, bundleFilename, safeName } from '../../../lib/delivery/bundle';
import { exportBundle } from '../../../lib/delivery/export';

const ID = 'TMN-3f2c0000-0000-4000-8000-000000000001';
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * seed + 11) & 0xff);

describe('zip bundle', () => {
  it('holds context.json, the screenshots and report.html, byte for byte, in a folder named after the report', async () => {
    const files = [
      { filename: 'capture-1.jpg', mimeType: 'image/jpeg', data: new Blob([bytes(50_000, 3)]) },
      { filename: 'capture-2.png', mimeType: 'image/png', data: new Blob([bytes(20_000, 5)]) },
      { filename: 'context.json', mimeType: 'application/json', data: new Blob(['{"schemaVersion":1,"note":"é ✓"}']) },
      { filename: 'report.html', mimeType: 'text/html', data: new Blob(['<!doctype html><p>Rapport</p>'.repeat(200)]) },
    ];
    const zip = await buildBundle(ID, files, new Date('2026-07-01T10:00:00Z'));
    const out = unzipSync(zip);
    expect(Object.keys(out).sort()).toEqual([`${ID}/capture-1.jpg`, `${ID}/capture-2.png`, `${ID}/context.json`, `${ID}/report.html`]);
    for (const f of files) expect(Buffer.from(out[`${ID}/${f.filename}`]!).equals(Buffer.from(await f.data.arrayBuffer()))).toBe(true);
    // Text is deflated, images stored: the zip is smaller than the sum of its text.
    expect(zip.length).toBeLessThan(50_000 + 20_000 + 6000);
  });

  it('never lets a name leave the folder, and keeps same-name files apart', async () => {
    expect(safeName('../../etc/passwd')).toBe('passwd');
    expect(safeName('..\\x.txt')).toBe('x.txt');
    expect(safeName('\u0000')).toBe('file');
    const out = unzipSync(
      await buildBundle(ID, [
        { filename: 'a.txt', mimeType: 'text/plain', data: new Blob(['1']) },
        { filename: 'a.txt', mimeType: 'text/plain', data: new Blob(['2']) },
      ]),
    );
    expect(Object.keys(out).sort()).toEqual([`${ID}/a-2.txt`, `${ID}/a.txt`]);
  });

  it('exports as an application/zip Blob named after the report', async () => {
    const f = await exportBundle({ id: ID, title: 't', bodyHtml: '', createdAt: 0, attachments: [{ filename: 'context.json', mimeType: 'application/json', data: new Blob(['{}']), size: 2, level: 0 }] });
    expect(f.filename).toBe(bundleFilename(ID));
    expect(f.blob.type).toBe('application/zip');
    expect(Object.keys(unzipSync(new Uint8Array(await f.blob.arrayBuffer())))).toEqual([`${ID}/context.json`]);
  });
});
