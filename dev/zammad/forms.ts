/**
 * Web form endpoints (§5), after `form_controller.rb` and the Rack::Attack throttles:
 * `POST /api/v1/form_config` and `POST /api/v1/form_submit`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { buildArticle, flattenWhitespace, withArticle } from './articles';
import { ApiError, forbidden, unauthorized } from './errors';
import { isBlank, parseBodyParams, type Params } from './http';
import type { AuthContext } from './auth';
import { GROUPS, type User } from './seeds';
import { safeFilename, type PendingFile, type Store, type TicketRecord } from './store';
import { newCustomer, ticketNumber, validEmail } from './tickets';

export interface FormFile {
  filename: string;
  type: string;
  data: Buffer;
}

export interface FormParams {
  params: Params;
  files: FormFile[];
}

/** JSON, urlencoded or multipart/form-data (through the WHATWG `Request.formData()` of Node). */
export async function parseFormParams(req: IncomingMessage, body: Buffer): Promise<FormParams> {
  const ct = String(req.headers['content-type'] ?? '').toLowerCase();
  if (!ct.startsWith('multipart/form-data')) return { params: parseBodyParams(req, body), files: [] };
  const request = new Request('http://stand-in.invalid/', {
    method: 'POST',
    headers: { 'content-type': String(req.headers['content-type']) },
    body: new Uint8Array(body),
  });
  const form = await request.formData();
  const params: Params = {};
  const files: FormFile[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') params[key] = value;
    else if (key === 'file[]' || key === 'file') {
      files.push({ filename: value.name, type: value.type || 'application/octet-stream', data: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { params, files };
}

/** `ActiveSupport::MessageEncryptor` stand-in: AES-256-GCM under a per-instance secret. */
export class FormTokens {
  private readonly key = randomBytes(32);

  constructor(private readonly fqdn: string) {}

  generate(fingerprint: string, nowSeconds: number): string {
    const plain = `${Buffer.from(this.fqdn).toString('base64')}:${nowSeconds}:${Buffer.from(fingerprint).toString('base64')}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }

  /** `token_valid?`: 403 for a missing token, 401 `Authorization failed` for anything wrong. */
  check(token: unknown, fingerprint: string, nowSeconds: number): void {
    if (isBlank(token)) throw forbidden('Not authorized');
    let plain: string;
    try {
      const raw = Buffer.from(String(token), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw unauthorized('Authorization failed');
    }
    const parts = plain.split(':');
    if (parts.length !== 3) throw unauthorized('Authorization failed');
    if (Buffer.from(parts[0] ?? '', 'base64').toString('utf8') !== this.fqdn) throw unauthorized('Authorization failed');
    if (Buffer.from(parts[2] ?? '', 'base64').toString('utf8') !== fingerprint) throw unauthorized('Authorization failed');
    if (Number(parts[1]) < nowSeconds - 60 * 60 * 24) throw unauthorized('Authorization failed');
  }
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
export const FORM_PER_IP_PER_DAY = 240;
export const FORM_PER_DAY = 5000;

/** Rack::Attack throttles on `/api/v1/form_submit`: per IP per hour / per day, whole instance per day. */
export class FormThrottle {
  private hits: { ip: string; at: number }[] = [];

  reset(): void {
    this.hits = [];
  }

  /** Records the hit; true when it is over a limit (Rack::Attack counts, then compares). */
  hit(ip: string, now: number, perHour: number): boolean {
    this.hits = this.hits.filter((h) => h.at > now - DAY);
    this.hits.push({ ip, at: now });
    const mine = this.hits.filter((h) => h.ip === ip);
    const lastHour = mine.filter((h) => h.at > now - HOUR).length;
    return lastHour > perHour || mine.length > FORM_PER_IP_PER_DAY || this.hits.length > FORM_PER_DAY;
  }
}

export function fingerprintOk(params: Params): string {
  const fp = params.fingerprint;
  if (typeof fp === 'string' && fp.length > 30) return fp;
  throw forbidden('Not authorized');
}

/** Format check, plus a loose MX stand-in: domains under `.invalid` have no mail exchanger. */
export function formEmailValid(email: string): boolean {
  return validEmail(email) && !/\.invalid$/i.test(email);
}

export function formErrors(params: Params): Record<string, string> {
  const errors: Record<string, string> = {};
  if (isBlank(params.name)) errors.name = 'required';
  if (isBlank(params.title)) errors.title = 'required';
  if (isBlank(params.body)) errors.body = 'required';
  if (isBlank(params.email)) errors.email = 'required';
  else if (!formEmailValid(String(params.email).trim())) errors.email = 'invalid';
  return errors;
}

/** Builds the form ticket: customer (found or created), web article, files as attachments. */
export function buildFormTicket(
  ctx: { store: Store; fqdn: string; systemId: number; now: string },
  form: FormParams,
  remoteIp: string,
): { ticket: TicketRecord; files: PendingFile[]; newUsers: User[]; commit(): void } {
  const { store } = ctx;
  const p = form.params;
  const alloc = store.allocator();
  const name = String(p.name).trim();
  const email = String(p.email).trim().toLowerCase();
  const newUsers: User[] = [];
  let customer = store.userByEmail(email);
  if (!customer) {
    customer = newCustomer(alloc, ctx.now, { firstname: name, lastname: '', email });
    newUsers.push(customer);
  }
  const group = GROUPS.find((g) => g.active) ?? GROUPS[0];
  if (!group) throw new ApiError(500, { error: 'no group' });
  const id = alloc.ticketId();
  let ticket: TicketRecord = {
    id,
    group_id: group.id,
    priority_id: 2,
    state_id: 1,
    organization_id: null,
    number: ticketNumber(ctx.systemId, alloc.ticketCounter()),
    title: flattenWhitespace(String(p.title)),
    owner_id: 1,
    customer_id: customer.id,
    note: null,
    first_response_at: null,
    close_at: null,
    last_contact_at: null,
    last_contact_agent_at: null,
    last_contact_customer_at: null,
    create_article_type_id: null,
    create_article_sender_id: null,
    article_count: 0,
    pending_time: null,
    type: null,
    time_unit: null,
    preferences: {
      form: { remote_ip: remoteIp, fingerprint_md5: createHash('md5').update(String(p.fingerprint)).digest('hex') },
    },
    updated_by_id: customer.id,
    created_by_id: customer.id,
    created_at: ctx.now,
    updated_at: ctx.now,
    tags: [],
    mention_user_ids: [],
    articles: [],
  };
  // `created_by` is the new customer: buildArticle falls back to it when it is not stored yet.
  const auth: AuthContext = { user: customer, authType: 'session', token: null };
  const built = buildArticle(
    { auth, store, fqdn: ctx.fqdn, now: ctx.now },
    ticket,
    { body: String(p.body), subject: String(p.title), type: 'web', internal: false },
    alloc,
  );
  const files = [...built.files];
  for (const f of form.files) {
    const attId = alloc.attachmentId();
    const rel = `attachments/${id}/${attId}-${safeFilename(f.filename)}`;
    files.push({ rel, data: f.data });
    built.article.attachments.push({ id: attId, filename: f.filename, size: f.data.length, preferences: { 'Mime-Type': f.type }, file: rel });
  }
  ticket = withArticle(ticket, built.article);
  return { ticket, files, newUsers, commit: () => alloc.commit() };
}
