/**
 * THE scrubber: every string that leaves a page (URLs, console text, error messages, stacks)
 * goes through here before it is buffered, shown or sent. One function for every path.
 */

/** Query/fragment parameter names whose values are secrets. Compared case-insensitively. */
export const SECRET_PARAMS = [
  'token_session', 'token', 'access_token', 'refresh_token', 'id_token', 'auth', 'authorization',
  'password', 'passwd', 'pwd', 'pass', 'secret', 'client_secret', 'key', 'api_key', 'apikey',
  'session', 'sessionid', 'session_id', 'sid', 'jwt', 'code', 'signature', 'sig', 'credential',
];

export const REDACTED = '[filtré]';

const secretSet = new Set(SECRET_PARAMS);
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const AUTH_VALUE = /\b(Bearer|Basic|Token|APIKey)(\s+token=|\s+)("?)([A-Za-z0-9._~+/=-]{6,})\3/gi;
const PARAM = /([?&#;]|^)([A-Za-z0-9_.-]+)=([^&#\s"'<>]*)/g;

function scrubParams(s: string): string {
  return s.replace(PARAM, (m, sep: string, name: string, value: string) =>
    value && secretSet.has(name.toLowerCase()) ? `${sep}${name}=${REDACTED}` : m,
  );
}

/**
 * Each rule below needs one of these in the text ("=" for a parameter, "eyJ" for a JWT, a scheme
 * word for an Authorization-like value): most logged strings (messages, stacks) have none, and are
 * returned after this one scan instead of three.
 */
const MAY_HOLD_SECRET = /=|eyJ|bearer|basic|token|apikey/i;

/** Scrubs secrets from any text (URLs inside it included). */
export function scrubText(s: string): string {
  if (!MAY_HOLD_SECRET.test(s)) return s;
  return scrubParams(
    s.replace(JWT, REDACTED).replace(AUTH_VALUE, (m, scheme: string, sep: string, _q: string, value: string) =>
      // `token=` always introduces a credential; a bare word ("Token expired") only if it looks like one.
      /token=/i.test(sep) || /[0-9=]/.test(value) || value.length >= 20 ? `${scheme} ${REDACTED}` : m,
    ),
  );
}

/** Scrubs a URL: secret parameters in the query and fragment, user:password in the authority. */
export function scrubUrl(url: string): string {
  let out = url;
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      out = u.toString();
    }
  } catch {
    /* not an absolute URL: text rules only */
  }
  return scrubText(out);
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * Phone numbers: French national (0X XX XX XX XX, any of space . - as separators, or none) and
 * international (+CC or 00CC, then 6 to 14 digits in groups). Not inside longer digit runs or words.
 */
const PHONE = /(?<![\w+])(?:(?:\+|00)[1-9]\d{0,2}[ .-]?(?:\(0\)[ .-]?)?\d(?:[ .-]?\d){5,13}|0[1-9](?:[ .-]?\d{2}){4})(?![\w])/g;

/** Masks e-mail addresses and phone numbers (optional privacy setting, for captured logs). */
export function maskContactData(s: string): string {
  // An address needs an "@", a phone number a digit.
  return (s.includes('@') ? s.replace(EMAIL, REDACTED) : s).replace(PHONE, REDACTED);
}

export interface ScrubOptions {
  /** Also mask e-mail addresses and phone numbers. */
  maskContactData?: boolean;
}

/** Scrubs every string inside a captured value (URLs, messages, stacks, console arguments). */
export function scrubDeep<T>(value: T, opts: ScrubOptions = {}): T {
  if (typeof value === 'string') {
    const s = scrubText(value);
    return (opts.maskContactData ? maskContactData(s) : s) as T;
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, opts)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const scrubbed = k === 'url' && typeof v === 'string' ? scrubUrl(v) : scrubDeep(v, opts);
      out[k] = k === 'url' && typeof scrubbed === 'string' && opts.maskContactData ? maskContactData(scrubbed) : scrubbed;
    }
    return out as T;
  }
  return value;
}
