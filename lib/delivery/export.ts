/**
 * The two files of export mode (and of the last resort in any mode), built from an outbox report
 * in the page that downloads them: the zip bundle and the .eml draft to the support e-mail.
 */
import { buildBundle, bundleFilename } from './bundle';
import { buildEml, emlFilename } from './eml';
import type { OutboxItem } from './outbox-types';
import { bodyWithMarker, htmlToText } from './text';

export interface ExportFile {
  filename: string;
  blob: Blob;
}

type Exportable = Pick<OutboxItem, 'id' | 'title' | 'bodyHtml' | 'attachments' | 'createdAt'>;

export async function exportBundle(item: Exportable): Promise<ExportFile> {
  const bytes = await buildBundle(item.id, item.attachments, new Date(item.createdAt));
  return { filename: bundleFilename(item.id), blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }) };
}

export async function exportEml(item: Exportable, supportEmail: string, now = new Date()): Promise<ExportFile> {
  const html = bodyWithMarker(item.bodyHtml, item.id);
  const attachments = await Promise.all(item.attachments.map(async (a) => ({ filename: a.filename, mimeType: a.mimeType, data: new Uint8Array(await a.data.arrayBuffer()) })));
  const eml = buildEml({
    to: supportEmail,
    subject: item.title,
    html: `<!doctype html><html><head><meta charset="utf-8"></head><body>${html}</body></html>`,
    text: htmlToText(html),
    attachments,
    date: now,
    headers: { 'X-Temoin-Report': item.id },
  });
  return { filename: emlFilename(item.id), blob: new Blob([eml], { type: 'message/rfc822' }) };
}
