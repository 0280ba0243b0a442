// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildEml, encodeWord, rfc5322Date, wrap76 } from '../../../lib/delivery/eml';
import { exportEml } from '../../../lib/delivery/export';
import { decodeWords, param, parsePart, type Part } from '../../mime';

const bytes = (n: number) => new Uint8Array(n).map((_, i) => (i * 13 + 7) & 0xff);

describe('.eml draft', () => {
  const subject = '[Bandeau opérateur] Plus de son après le transfert — appel « client » n° 42, très long titre qui dépasse une ligne';
  const attachments = [
    { filename: 'capture-1.jpg', mimeType: 'image/jpeg', data: bytes(10_000) },
    { filename: 'context.json', mimeType: 'application/json', data: new TextEncoder().encode('{"note":"é ✓"}') },
    { filename: 'rapport été.html', mimeType: 'text/html', data: new TextEncoder().encode('<p>été</p>') },
  ];
  const eml = buildEml({
    to: 'support@axialys.example',
    subject,
    html: '<p>Plus de son &amp; bouton</p>',
    text: 'Plus de son & bouton',
    attachments,
    date: new Date('2026-07-01T10:00:00Z'),
    headers: { 'X-Temoin-Report': 'TMN-1' },
  });

  it('is an unsent draft to the support address, with an RFC 2047 subject', () => {
    const msg = parsePart(eml);
    expect(msg.headers.get('x-unsent')).toBe('1');
    expect(msg.headers.get('to')).toBe('support@axialys.example');
    expect(msg.headers.get('mime-version')).toBe('1.0');
    expect(msg.headers.get('date')).toBe('Wed, 01 Jul 2026 10:00:00 +0000');
    expect(msg.headers.get('x-temoin-report')).toBe('TMN-1');
    expect(decodeWords(msg.headers.get('subject')!)).toBe(subject);
    expect(msg.headers.get('content-type')).toMatch(/^multipart\/mixed;\s+boundary="/);
  });

  it('uses CRLF only, keeps every line within 78 characters, and base64 lines within 76', () => {
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of eml.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    for (const w of eml.match(/=\?UTF-8\?B\?[^?]*\?=/g)!) expect(w.length).toBeLessThanOrEqual(75);
  });

  it('holds the summary (text and HTML) and the attachments, byte for byte', () => {
    const msg = parsePart(eml);
    const [alt, ...files] = msg.parts;
    expect(alt!.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    const [text, html] = alt!.parts;
    const decode = (p: Part) => Buffer.from(p.body.replace(/\r\n/g, ''), 'base64');
    expect(text!.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(decode(text!).toString('utf8')).toBe('Plus de son & bouton');
    expect(decode(html!).toString('utf8')).toBe('<p>Plus de son &amp; bouton</p>');
    expect(files).toHaveLength(3);
    files.forEach((f, i) => {
      const want = attachments[i]!;
      expect(f.headers.get('content-transfer-encoding')).toBe('base64');
      expect(f.headers.get('content-type')!.startsWith(want.mimeType)).toBe(true);
      expect(param(f.headers.get('content-disposition')!, 'filename')).toBe(want.filename);
      expect(param(f.headers.get('content-type')!, 'name')).toBe(want.filename);
      expect(decode(f).equals(Buffer.from(want.data))).toBe(true);
      for (const line of f.body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    });
  });

  it('cannot be given extra headers through a title or an address', () => {
    const e = buildEml({ to: 'a@b.example\r\nBcc: evil@x.example', subject: 'x\r\nBcc: evil@x.example', html: '', text: '', attachments: [], date: new Date(0) });
    expect(parsePart(e).headers.has('bcc')).toBe(false);
  });

  it('helpers: folding, dates, wrapping', () => {
    expect(encodeWord('plain ascii')).toBe('plain ascii');
    expect(decodeWords(encodeWord('é'.repeat(100)))).toBe('é'.repeat(100));
    expect(rfc5322Date(new Date('2026-03-03T14:05:09Z'))).toBe('Tue, 03 Mar 2026 14:05:09 +0000');
    expect(wrap76('A'.repeat(200)).split('\r\n').map((l) => l.length)).toEqual([76, 76, 48]);
  });

  it('exports an outbox report as message/rfc822 with the marker in the body', async () => {
    const id = 'TMN-3f2c0000-0000-4000-8000-000000000001';
    const f = await exportEml(
      { id, title: 'Titre', bodyHtml: '<p>Résumé</p>', createdAt: 0, attachments: [{ filename: 'context.json', mimeType: 'application/json', data: new Blob(['{}']), size: 2, level: 0 }] },
      'support@axialys.example',
      new Date('2026-07-01T10:00:00Z'),
    );
    expect(f.filename).toBe(`temoin-${id}.eml`);
    expect(f.blob.type).toBe('message/rfc822');
    const msg = parsePart(await f.blob.text());
    const html = Buffer.from(msg.parts[0]!.parts[1]!.body.replace(/\r\n/g, ''), 'base64').toString('utf8');
    expect(html).toContain(id);
    expect(msg.parts).toHaveLength(2);
  });
});
