/**
 * Article creation and rendering, after `creates_ticket_articles.rb` (7.0), `Ticket::Article`
 * (`check_subject`, `check_body`), `HtmlSanitizer.replace_inline_images` and
 * `Ticket::Article.insert_urls`.
 */
import { randomUUID } from 'node:crypto';
import { isAgent, type AuthContext } from './auth';
import { masked, rubyInspect, unprocessable } from './errors';
import { isBlank, isPlainObject, isTruthy, type Params } from './http';
import { ARTICLE_TYPES, byId, byName, fullname, SENDERS, type User } from './seeds';
import { safeFilename, type ArticleRecord, type AttachmentRecord, type IdAllocator, type PendingFile, type Store, type TicketRecord } from './store';

export const BODY_LIMIT = 1_500_000;

/** Ruby `String#length` (code points), not UTF-16 units. */
export function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = s.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/** `check_title` / `check_subject`: `\s`, `\t`, `\r` become spaces. */
export function flattenWhitespace(s: string): string {
  return s.replace(/[ \t\r\n\f\v]/g, ' ');
}

/** Ruby `Base64.strict_decode64` after CR/LF removal: canonical base64 only. */
export function strictBase64(data: string): Buffer | null {
  const s = data.replace(/[\r\n]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  const buf = Buffer.from(s, 'base64');
  return buf.toString('base64') === s ? buf : null;
}

/** Integer casting of an id parameter (ActiveModel): `"2"` → 2, junk → 0, nil → null. */
export function toId(v: unknown): number | null {
  if (v === undefined || v === null || v === '' || typeof v === 'boolean') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'string') {
    const m = /^\s*[+-]?\d+/.exec(v);
    return m ? Number.parseInt(m[0], 10) : 0;
  }
  return 0;
}

function toBool(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1' || v === 't';
}

function optString(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : String(v);
}

/** Rough stand-in for the HTML sanitizer: scripts, styles, event handlers and javascript: URLs go. */
export function sanitizeHtml(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<\/?(script|style)\b[^>]*>/gi, '')
    .replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/(href|src)\s*=\s*("|')\s*javascript:[^"']*\2/gi, '$1=$2#$2');
}

interface InlineImage {
  filename: string;
  data: Buffer;
  preferences: Record<string, string>;
}

/** Every `<img src="data:image/…;base64,…">` becomes an attachment referenced as `cid:`. */
export function replaceInlineImages(html: string, ticketId: number, fqdn: string): { body: string; images: InlineImage[] } {
  const images: InlineImage[] = [];
  const body = html.replace(/<img\b[^>]*>/gi, (tag) =>
    tag.replace(/(\ssrc\s*=\s*)("|')data:(image\/(png|jpe?g|gif|webp));base64,([^"']*)\2/i, (_m, pre: string, q: string, mime: string, sub: string, b64: string) => {
      const mimeType = mime.toLowerCase();
      const cid = `${ticketId}.${randomUUID()}@${fqdn}`;
      images.push({
        filename: `image${images.length + 1}.${sub.toLowerCase()}`,
        data: Buffer.from(b64.replace(/\s/g, ''), 'base64'),
        preferences: { 'Content-Type': mimeType, 'Mime-Type': mimeType, 'Content-ID': cid, 'Content-Disposition': 'inline' },
      });
      return `${pre}${q}cid:${cid}${q}`;
    }),
  );
  return { body, images };
}

export interface BuiltArticle {
  article: ArticleRecord;
  files: PendingFile[];
}

function lookupAssoc<T extends { id: number; name: string }>(rows: readonly T[], assoc: string, value: unknown): number {
  const row = byName(rows, String(value));
  if (!row) throw unprocessable(`No lookup value found for '${assoc}': ${rubyInspect(value)}`);
  return row.id;
}

/**
 * Validates and builds one article of `ticket` from the `article` hash (or the
 * `POST /ticket_articles` params). Throws the ApiError Zammad would answer with; nothing is stored.
 */
export function buildArticle(
  ctx: { auth: AuthContext; store: Store; fqdn: string; now: string },
  ticket: Pick<TicketRecord, 'id'>,
  input: unknown,
  alloc: IdAllocator,
): BuiltArticle {
  if (!isPlainObject(input)) throw masked(500); // NoMethodError on a non-hash
  const p: Params = input;
  if (!isTruthy(p.body)) throw unprocessable("Need at least an 'article body' field.");
  const agent = isAgent(ctx.auth);
  const me = ctx.auth.user;

  let typeId = toId(p.type_id);
  if (typeId === null && isBlank(p.type)) typeId = 10;
  if (!isBlank(p.type)) typeId = lookupAssoc(ARTICLE_TYPES, 'type', p.type);
  let senderId = toId(p.sender_id);
  if (senderId === null && isBlank(p.sender)) senderId = agent ? 1 : 3;
  if (!isBlank(p.sender)) senderId = lookupAssoc(SENDERS, 'sender', p.sender);
  let originById: number | null = toId(p.origin_by_id);
  if (!isBlank(p.origin_by)) {
    const u = ctx.store.userByLogin(String(p.origin_by)) ?? ctx.store.userByEmail(String(p.origin_by));
    if (!u) throw unprocessable(`No lookup value found for 'origin_by': ${rubyInspect(p.origin_by)}`);
    originById = u.id;
  }
  let internal = toBool(p.internal);

  if (!agent) {
    senderId = 3;
    originById = null;
    const type = byId(ARTICLE_TYPES, typeId);
    if (!type) throw masked(500); // `type.name` on nil
    if (type.name !== 'note' && type.name !== 'web') typeId = 10;
    internal = false;
  }
  const type = byId(ARTICLE_TYPES, typeId);
  if (!type || !byId(SENDERS, senderId)) throw masked(422); // foreign key violation

  const contentType = optString(p.content_type) ?? 'text/plain';
  let body = typeof p.body === 'string' ? p.body : String(p.body);
  let images: InlineImage[] = [];
  if (/text\/html/i.test(contentType)) {
    ({ body, images } = replaceInlineImages(sanitizeHtml(body), ticket.id, ctx.fqdn));
  }
  if (isBlank(body)) throw unprocessable("Need at least an 'article body' field.");
  const length = charCount(body);
  if (length > BODY_LIMIT) throw unprocessable(`body of article is too large, ${length} chars - only ${BODY_LIMIT} allowed`);

  const subject = optString(p.subject);
  const author = ctx.store.userById(originById ?? me.id) ?? me;
  const articleId = alloc.articleId();
  const files: PendingFile[] = [];
  const attachments: AttachmentRecord[] = [];
  const addFile = (filename: string, data: Buffer, preferences: Record<string, string>): void => {
    const id = alloc.attachmentId();
    const rel = `attachments/${ticket.id}/${id}-${safeFilename(filename)}`;
    files.push({ rel, data });
    attachments.push({ id, filename, size: data.length, preferences, file: rel });
  };
  for (const img of images) addFile(img.filename, img.data, img.preferences);

  if (!isBlank(p.attachments)) {
    if (!Array.isArray(p.attachments)) throw masked(500);
    p.attachments.forEach((raw: unknown, index: number) => {
      if (!isPlainObject(raw)) throw masked(500);
      for (const key of ['mime-type', 'filename', 'data']) {
        if (!isTruthy(raw[key])) throw unprocessable(`Attachment needs '${key}' param for attachment with index '${index}'`);
      }
      const preferences: Record<string, string> = {};
      if (isTruthy(raw.charset)) preferences.Charset = String(raw.charset);
      preferences['Mime-Type'] = String(raw['mime-type']);
      if (typeof raw.data !== 'string') throw masked(500); // `gsub` on a non-string
      const data = strictBase64(raw.data);
      if (!data) throw unprocessable(`Invalid base64 for attachment with index '${index}'`);
      addFile(String(raw.filename), data, preferences);
    });
  }

  const article: ArticleRecord = {
    id: articleId,
    ticket_id: ticket.id,
    type_id: type.id,
    sender_id: senderId ?? 1,
    from: fromLine(author, type.name),
    to: optString(p.to),
    cc: optString(p.cc),
    subject: subject === null ? null : flattenWhitespace(subject),
    reply_to: null,
    message_id: null,
    message_id_md5: null,
    in_reply_to: null,
    content_type: contentType,
    references: null,
    body,
    internal,
    preferences: isBlank(p.subtype) ? {} : { subtype: String(p.subtype) },
    updated_by_id: me.id,
    created_by_id: me.id,
    origin_by_id: originById,
    created_at: ctx.now,
    updated_at: ctx.now,
    time_unit: isBlank(p.time_unit) ? null : String(p.time_unit),
    attachments,
  };
  return { article, files };
}

/** `Ticket::Article::FillupFromGeneral`. */
function fromLine(user: User, typeName: string): string {
  const name = fullname(user);
  if ((typeName === 'web' || typeName === 'phone') && user.email) return name ? `${name} <${user.email}>` : user.email;
  return name;
}

/** Adds a built article to a ticket copy (counts, timestamps, first-article fields). */
export function withArticle(ticket: TicketRecord, article: ArticleRecord): TicketRecord {
  const t: TicketRecord = { ...ticket, articles: [...ticket.articles, article] };
  t.article_count = t.articles.length;
  t.updated_at = article.created_at;
  t.updated_by_id = article.created_by_id;
  if (t.create_article_type_id === null) {
    t.create_article_type_id = article.type_id;
    t.create_article_sender_id = article.sender_id;
  }
  const typeName = byId(ARTICLE_TYPES, article.type_id)?.name;
  if (typeName !== 'note' && !article.internal) {
    t.last_contact_at = article.created_at;
    if (article.sender_id === 3) t.last_contact_customer_at = article.created_at;
    if (article.sender_id === 1) t.last_contact_agent_at = article.created_at;
  }
  return t;
}

export function renderAttachment(a: AttachmentRecord): { id: number; filename: string; size: string; preferences: Record<string, string> } {
  return { id: a.id, filename: a.filename, size: String(a.size), preferences: a.preferences };
}

/** `attributes_with_association_names` + attachments, with `insert_urls` applied to inline images. */
export function renderArticle(store: Store, a: ArticleRecord): Record<string, unknown> {
  const inline = new Set<number>();
  let body = a.body;
  if (/text\/html/i.test(a.content_type)) {
    body = body.replace(/<img\b[^>]*>/gi, (tag) => {
      const m = /\ssrc\s*=\s*("|')cid:([^"']+)\1/i.exec(tag);
      if (!m) return tag;
      const cid = m[2];
      const file = a.attachments.find((f) => f.preferences['Content-ID'] === cid || f.preferences['Content-ID'] === `<${cid}>`);
      if (!file) return tag;
      inline.add(file.id);
      let out = tag.replace(m[0], ` src=${m[1]}/api/v1/ticket_attachment/${a.ticket_id}/${a.id}/${file.id}?view=inline${m[1]}`);
      if (!/\sstyle\s*=/i.test(out)) out = out.replace(/^<img\b/i, '<img style="max-width:100%;"');
      return out;
    });
  }
  const login = (id: number | null): string | null => (id === null ? null : (store.userById(id)?.login ?? null));
  const { attachments, ...rest } = a;
  return {
    ...rest,
    body,
    attachments: attachments.filter((f) => !inline.has(f.id)).map(renderAttachment),
    type: byId(ARTICLE_TYPES, a.type_id)?.name ?? null,
    sender: byId(SENDERS, a.sender_id)?.name ?? null,
    created_by: login(a.created_by_id),
    updated_by: login(a.updated_by_id),
    origin_by: login(a.origin_by_id),
  };
}
