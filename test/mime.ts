/**
 * A small MIME reader (RFC 5322 / 2045 / 2046 / 2047 / 2231), enough to read Témoin's .eml drafts
 * back: headers (unfolded, names lower-cased), multipart bodies split on their boundary (the
 * closing delimiter is required), RFC 2231 / quoted parameters, RFC 2047 UTF-8 B-words and base64
 * bodies. Shared by the unit test of lib/delivery/eml.ts and the e2e test of export mode.
 */

export interface Part {
  headers: Map<string, string>;
  body: string;
  parts: Part[];
}

/** A header block (CRLF lines, folded lines joined) as a map of lower-cased names to values. */
export function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = block.replace(/\r\n[ \t]/g, ' ');
  for (const line of unfolded.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
  }
  return headers;
}

/** A parameter of a header value: RFC 2231 `name*=UTF-8''…`, else `name="…"`. */
export function param(value: string, name: string): string | undefined {
  const star = new RegExp(`${name}\\*=UTF-8''([^;]+)`, 'i').exec(value);
  if (star) return decodeURIComponent(star[1]!);
  return new RegExp(`${name}="([^"]*)"`, 'i').exec(value)?.[1];
}

/** One entity (a whole message, or a part of one), its multipart children parsed recursively. */
export function parsePart(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const type = headers.get('content-type') ?? 'text/plain';
  const parts: Part[] = [];
  if (/^multipart\//i.test(type)) {
    const boundary = param(type, 'boundary')!;
    const chunks = body.split(`--${boundary}`);
    if (!chunks.at(-1)!.startsWith('--')) throw new Error(`multipart body without its closing delimiter --${boundary}--`);
    for (const chunk of chunks.slice(1, -1)) parts.push(parsePart(chunk.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  }
  return { headers, body, parts };
}

/** RFC 2047 `=?UTF-8?B?…?=` words decoded (and the folding between them dropped). */
export const decodeWords = (v: string): string =>
  v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8')).trim();

/** The bytes of a base64 part (its lines joined). */
export const decodeBase64Body = (p: Part): Buffer => Buffer.from(p.body.replace(/\r\n/g, ''), 'base64');
