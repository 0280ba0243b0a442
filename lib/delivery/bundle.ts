/**
 * The complete report as one zip (export mode, and the last resort in any mode): context.json,
 * the screenshots and report.html, in a folder named after the report's marker. Built with fflate
 * (kept, no dependencies); images are stored as they are (already compressed), text is deflated.
 */
import { zipSync, type Zippable } from 'fflate';

export interface BundleFile {
  filename: string;
  mimeType: string;
  data: Blob;
}

const STORED = /^(image\/(jpeg|png|webp|gif)|application\/(zip|gzip))$/;

/** A file name safe inside the zip (no folders, no control characters). */
export function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^\.+/, '').trim();
  return clean || 'file';
}

export function bundleFilename(id: string): string {
  return `temoin-${id}.zip`;
}

/** Zip bytes of the report's files under `<id>/`. `mtime` fixes the entries' date (reproducible output). */
export async function buildBundle(id: string, files: readonly BundleFile[], mtime: Date = new Date()): Promise<Uint8Array> {
  // Zip dates run from 1980 to 2099.
  const date = new Date(Math.min(Math.max(mtime.getTime(), Date.UTC(1980, 0, 2)), Date.UTC(2099, 11, 30)));
  const entries: Zippable = {};
  const used = new Set<string>();
  const folder = safeName(id);
  for (const f of files) {
    const name = safeName(f.filename);
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = name.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
    used.add(unique);
    entries[`${folder}/${unique}`] = [new Uint8Array(await f.data.arrayBuffer()), { level: STORED.test(f.mimeType) ? 0 : 6, mtime: date }];
  }
  return zipSync(entries, { mtime: date });
}
