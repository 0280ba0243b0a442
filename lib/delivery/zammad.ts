/**
 * Zammad REST client (background only: it holds the token). Follows shared/docs/zammad-api.md:
 * `Authorization: Token token=…`, JSON both ways, `credentials: 'omit'` (a Zammad session cookie
 * would otherwise win over the token), and a timeout. The token is never logged nor put in an
 * error message: errors carry Zammad's own text (`error_human`, else `error`) or the HTTP status.
 */
import { z } from 'zod';

export const ZammadErrorBodySchema = z.object({ error: z.string(), error_human: z.string().optional() });
export const ZammadUserSchema = z
  .object({
    id: z.number(),
    login: z.string(),
    firstname: z.string().nullable().optional(),
    lastname: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    /** `{ "<group id>": ["full", …] }` for agents; empty for customers. */
    group_ids: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .passthrough();
export type ZammadUser = z.infer<typeof ZammadUserSchema>;

export type ZammadErrorKind = 'auth' | 'too-large' | 'invalid' | 'rate-limited' | 'server' | 'network' | 'timeout' | 'protocol';

export class ZammadError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly kind: ZammadErrorKind,
    /** A `Retry-After` the server (or a proxy in front of it) sent, in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ZammadError';
  }
}

export interface ZammadConfig {
  url: string;
  token: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export function kindOf(status: number): ZammadErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 413) return 'too-large';
  if (status === 422) return 'invalid';
  if (status === 429) return 'rate-limited';
  return status >= 500 ? 'server' : 'protocol';
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

type Body = { json: unknown } | { form: FormData } | undefined;

async function send(cfg: ZammadConfig, method: string, path: string, body: Body, auth: boolean): Promise<{ status: number; text: string }> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), cfg.timeoutMs ?? 30_000);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (auth) headers.Authorization = `Token token=${cfg.token}`;
  if (body && 'json' in body) headers['Content-Type'] = 'application/json';
  try {
    const res = await (cfg.fetchImpl ?? fetch)(`${cfg.url}${path}`, {
      method,
      credentials: 'omit',
      cache: 'no-store',
      signal: ctrl.signal,
      headers,
      body: body === undefined ? undefined : 'json' in body ? JSON.stringify(body.json) : body.form,
    });
    // The body is read under the same timeout: a server may send headers and then stall.
    const text = await res.text();
    if (!res.ok) {
      let message = `HTTP ${res.status}`;
      try {
        const err = ZammadErrorBodySchema.parse(JSON.parse(text));
        message = err.error_human ?? err.error;
      } catch {
        /* nginx / proxy pages are HTML or plain text */
      }
      throw new ZammadError(message, res.status, kindOf(res.status), parseRetryAfter(res.headers.get('retry-after')));
    }
    return { status: res.status, text };
  } catch (e) {
    if (e instanceof ZammadError) throw e;
    throw ctrl.signal.aborted
      ? new ZammadError('timeout', null, 'timeout')
      : new ZammadError(e instanceof Error ? e.message : String(e), null, 'network');
  } finally {
    clearTimeout(timer);
  }
}

function parse<T>(status: number, text: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw new ZammadError('unexpected response', status, 'protocol');
  }
}

export async function zammadRequest<T>(cfg: ZammadConfig, method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const res = await send(cfg, method, path, body === undefined ? undefined : { json: body }, true);
  return parse(res.status, res.text, schema);
}

export function getMe(cfg: ZammadConfig): Promise<ZammadUser> {
  return zammadRequest(cfg, 'GET', '/api/v1/users/me', ZammadUserSchema);
}

export function displayName(u: ZammadUser): string {
  const full = [u.firstname, u.lastname].filter(Boolean).join(' ').trim();
  return full ? `${full} (${u.login})` : u.login;
}

/** An agent token's user has group access; a customer's has none (§2.4). */
export function isAgentUser(u: ZammadUser): boolean {
  return !!u.group_ids && Object.keys(u.group_ids).length > 0;
}

const GroupSchema = z.object({ id: z.number(), name: z.string(), active: z.boolean().optional() }).passthrough();
export async function listGroups(cfg: ZammadConfig): Promise<{ id: number; name: string; active: boolean }[]> {
  const groups = await zammadRequest(cfg, 'GET', '/api/v1/groups', z.array(GroupSchema));
  return groups.map((g) => ({ id: g.id, name: g.name, active: g.active !== false }));
}

// ---------------------------------------------------------------------------------------------
// Tickets and articles

export interface AttachmentPayload {
  filename: string;
  /** Strict base64 (no data: prefix, padded). */
  data: string;
  'mime-type': string;
}

export interface ArticlePayload {
  subject?: string;
  body: string;
  content_type: 'text/html' | 'text/plain';
  type: 'note' | 'web';
  internal: false;
  attachments?: AttachmentPayload[];
}

export interface TicketPayload {
  title: string;
  group: string;
  /** `guess:<email>` or an id; dropped by Zammad for customer tokens. */
  customer_id?: string | number;
  /** Comma-separated (an array breaks Zammad's `.split`). */
  tags: string;
  article: ArticlePayload;
}

export interface TicketRef {
  id: number;
  number: string;
}

const TicketRefSchema = z.object({ id: z.number(), number: z.union([z.string(), z.number()]).transform(String) }).passthrough();

export async function createTicket(cfg: ZammadConfig, payload: TicketPayload): Promise<TicketRef> {
  const t = await zammadRequest(cfg, 'POST', '/api/v1/tickets', TicketRefSchema, payload);
  return { id: t.id, number: t.number };
}

export const ArticleAttachmentSchema = z
  .object({ id: z.number(), filename: z.string(), size: z.union([z.string(), z.number()]).transform((s) => Number(s)) })
  .passthrough();
export const ArticleSchema = z.object({ id: z.number(), ticket_id: z.number(), attachments: z.array(ArticleAttachmentSchema).default([]) }).passthrough();
export type ZammadArticle = z.infer<typeof ArticleSchema>;

export function addArticle(cfg: ZammadConfig, ticketId: number, article: ArticlePayload): Promise<ZammadArticle> {
  return zammadRequest(cfg, 'POST', '/api/v1/ticket_articles', ArticleSchema, { ticket_id: ticketId, ...article });
}

export function articlesOf(cfg: ZammadConfig, ticketId: number): Promise<ZammadArticle[]> {
  return zammadRequest(cfg, 'GET', `/api/v1/ticket_articles/by_ticket/${ticketId}`, z.array(ArticleSchema));
}

/**
 * Search answers: an array of tickets (current Zammad), or the pre-2023
 * `{tickets: [ids], tickets_count, assets: {Ticket: {id: ticket}}}` (§4.2). Both give refs.
 */
export function ticketsOfSearch(res: unknown): TicketRef[] {
  const refs: TicketRef[] = [];
  const push = (t: unknown) => {
    const r = TicketRefSchema.safeParse(t);
    if (r.success) refs.push({ id: r.data.id, number: r.data.number });
  };
  if (Array.isArray(res)) res.forEach(push);
  else if (res && typeof res === 'object' && Array.isArray((res as { tickets?: unknown }).tickets)) {
    const legacy = res as { tickets: unknown[]; assets?: { Ticket?: Record<string, unknown> } };
    for (const id of legacy.tickets) push(legacy.assets?.Ticket?.[String(id)]);
  } else throw new ZammadError('unexpected response', 200, 'protocol');
  return refs;
}

/**
 * The tickets whose article body holds the marker: a `condition` search, which Zammad runs
 * against the database (no Elasticsearch lag), for agent and customer tokens alike (§4.3).
 * Oldest first.
 */
export async function findByMarker(cfg: ZammadConfig, marker: string): Promise<TicketRef[]> {
  const res = await zammadRequest(cfg, 'POST', '/api/v1/tickets/search', z.unknown(), {
    condition: { 'article.body': { operator: 'contains', value: marker } },
    limit: 5,
  });
  return ticketsOfSearch(res).sort((a, b) => a.id - b.id);
}

// ---------------------------------------------------------------------------------------------
// Web form (§5): no token

const FormConfigSchema = z.object({ enabled: z.boolean().optional(), endpoint: z.string().optional(), token: z.string() }).passthrough();
const FormSubmitSchema = z.object({
  ticket: z.object({ id: z.number(), number: z.union([z.string(), z.number()]).transform(String) }).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});

export type FormSubmitResult = { ok: true; ticket: TicketRef } | { ok: false; errors: Record<string, string> };

export async function formConfig(cfg: Omit<ZammadConfig, 'token'>, fingerprint: string): Promise<string> {
  const res = await send({ ...cfg, token: '' }, 'POST', '/api/v1/form_config', { json: { fingerprint } }, false);
  return parse(res.status, res.text, FormConfigSchema).token;
}

export interface FormFields {
  fingerprint: string;
  token: string;
  name: string;
  email: string;
  title: string;
  body: string;
  files: { filename: string; mimeType: string; data: Blob }[];
}

/**
 * `form_submit` as the widget sends it: multipart, files as `file[]`. Posted to the configured
 * origin (the `endpoint` of form_config is built from Zammad's own fqdn setting, which may not be
 * the address this browser reaches it by).
 */
export async function formSubmit(cfg: Omit<ZammadConfig, 'token'>, f: FormFields): Promise<FormSubmitResult> {
  const form = new FormData();
  for (const k of ['fingerprint', 'token', 'name', 'email', 'title', 'body'] as const) form.append(k, f[k]);
  for (const file of f.files) form.append('file[]', new File([file.data], file.filename, { type: file.mimeType }));
  const res = await send({ ...cfg, token: '' }, 'POST', '/api/v1/form_submit', { form }, false);
  const r = parse(res.status, res.text, FormSubmitSchema);
  if (r.ticket) return { ok: true, ticket: { id: r.ticket.id, number: r.ticket.number } };
  if (r.errors) return { ok: false, errors: r.errors };
  throw new ZammadError('unexpected response', res.status, 'protocol');
}

// ---------------------------------------------------------------------------------------------

/** Strict base64 of a Blob (what `attachments[].data` needs), without FileReader (absent in workers). */
export async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const parts: string[] = [];
  const CHUNK = 0x8000; // a multiple of 3: each chunk encodes without padding except the last
  for (let i = 0; i < bytes.length; i += CHUNK * 3) {
    const slice = bytes.subarray(i, Math.min(bytes.length, i + CHUNK * 3));
    let s = '';
    for (let j = 0; j < slice.length; j += CHUNK) s += String.fromCharCode(...slice.subarray(j, j + CHUNK));
    parts.push(btoa(s));
  }
  return parts.join('');
}

/** The ticket's page in Zammad's agent UI. */
export function ticketUrl(base: string, id: number): string {
  return `${base.replace(/\/+$/, '')}/#ticket/zoom/${id}`;
}
