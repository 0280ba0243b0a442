/**
 * An e-mail draft (.eml) of the report, for the support procedure by e-mail: `X-Unsent: 1` makes
 * Outlook and Thunderbird open it as a message to send, addressed to the support e-mail, with the
 * summary (HTML and plain text) and the same attachments as the ticket. RFC 5322 / 2045–2047:
 * CRLF lines, an RFC 2047 encoded subject, base64 parts wrapped at 76 characters, RFC 2231 file
 * names when they are not plain ASCII.
 */

export interface EmlAttachment {
  filename: string;
  mimeType: string;
  data: Uint8Array;
}

export interface EmlInput {
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments: readonly EmlAttachment[];
  date: Date;
  /** Extra headers, e.g. `X-Temoin-Report`. */
  headers?: Record<string, string>;
  /** Fixed boundary seed (tests); random by default. */
  boundarySeed?: string;
}

const CRLF = '\r\n';

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function base64(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 0x8000 * 3;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const slice = bytes.subarray(i, i + CHUNK);
    let s = '';
    for (let j = 0; j < slice.length; j += 0x8000) s += String.fromCharCode(...slice.subarray(j, j + 0x8000));
    out += btoa(s);
  }
  return out;
}

/** Base64 in lines of at most 76 characters (RFC 2045 §6.8). */
export function wrap76(b64: string): string {
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join(CRLF);
}

const isPlainAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

/**
 * RFC 2047 `=?UTF-8?B?…?=` words, each at most 75 characters, never splitting a character;
 * joined by CRLF + space (folding). Plain ASCII text is returned as it is.
 */
export function encodeWord(text: string, firstLineUsed = 0): string {
  if (isPlainAscii(text) && !/=\?/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  // 75 - "=?UTF-8?B?".length - "?=".length = 63 base64 chars → at most 45 bytes per word; the
  // first word shares its line with the header name (`firstLineUsed` characters).
  const budget = (first: boolean) => Math.floor((63 - (first ? firstLineUsed : 0)) / 4) * 3;
  for (const ch of text) {
    if (utf8(chunk + ch).length > budget(words.length === 0)) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(utf8(w))}?=`).join(`${CRLF} `);
}

/** RFC 5322 date in UTC, e.g. `Tue, 03 Mar 2026 14:05:09 +0000`. */
export function rfc5322Date(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** `filename="x"` for plain ASCII names, else RFC 2231 `filename*=UTF-8''…`. */
function fileParam(param: 'filename' | 'name', name: string): string {
  if (isPlainAscii(name) && !/["\\]/.test(name)) return `${param}="${name}"`;
  const enc = [...utf8(name)].map((b) => (/[A-Za-z0-9.\-_~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return `${param}*=UTF-8''${enc}`;
}

function randomSeed(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Header values must not break lines (no header injection through a setting or a title). */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');

export function buildEml(input: EmlInput): string {
  const seed = input.boundarySeed ?? randomSeed();
  const mixed = `=_temoin_mixed_${seed}`;
  const alt = `=_temoin_alt_${seed}`;
  const lines: string[] = [];
  const header = (name: string, value: string) => lines.push(`${name}: ${value}`);
  header('X-Unsent', '1');
  if (input.to.trim()) header('To', oneLine(input.to.trim()));
  header('Subject', encodeWord(oneLine(input.subject), 'Subject: '.length));
  header('Date', rfc5322Date(input.date));
  header('MIME-Version', '1.0');
  for (const [k, v] of Object.entries(input.headers ?? {})) header(k, oneLine(v));
  header('Content-Type', `multipart/mixed;${CRLF} boundary="${mixed}"`);
  lines.push('', 'This is a multi-part message in MIME format.', '');

  lines.push(`--${mixed}`, `Content-Type: multipart/alternative;${CRLF} boundary="${alt}"`, '');
  for (const [type, body] of [
    ['text/plain', input.text],
    ['text/html', input.html],
  ] as const) {
    lines.push(`--${alt}`, `Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', wrap76(base64(utf8(body))), '');
  }
  lines.push(`--${alt}--`, '');

  for (const a of input.attachments) {
    lines.push(
      `--${mixed}`,
      `Content-Type: ${oneLine(a.mimeType)};${CRLF} ${fileParam('name', a.filename)}`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment;${CRLF} ${fileParam('filename', a.filename)}`,
      '',
      wrap76(base64(a.data)),
      '',
    );
  }
  lines.push(`--${mixed}--`, '');
  return lines.join(CRLF);
}

export function emlFilename(id: string): string {
  return `temoin-${id}.eml`;
}
