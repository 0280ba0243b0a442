/**
 * Handlers of the `/api/v1` routes. Each returns after sending, or throws an ApiError that the
 * router turns into Zammad's error answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsAllowed, permit, requireAuth, isAgent, type AuthContext, type AuthDirectory } from './auth';
import { buildArticle, renderArticle, toId, withArticle } from './articles';
import { apiError, forbidden, masked, recordNotFound } from './errors';
import { buildFormTicket, fingerprintOk, formErrors, parseFormParams, type FormTokens } from './forms';
import { clientIp, CORS_HEADERS, isBlank, isPlainObject, isTrueFlag, NO_CACHE_HEADERS, send, sendJson, type Params } from './http';
import type { Fault, Knobs } from './knobs';
import { searchTickets } from './search';
import { GROUPS } from './seeds';
import type { Store, TicketRecord } from './store';
import {
  addTag,
  buildTicket,
  canChange,
  canCreateArticle,
  canRead,
  type TicketCtx,
} from './tickets';
import { renderTicket, renderTicketExpanded, renderUser, ticketResponse } from './render';

export interface Env {
  store: Store;
  knobs: Knobs;
  dir: AuthDirectory;
  formTokens: FormTokens;
  fqdn: string;
  systemId: number;
  nowMs(): number;
  /** Keeps the request unanswered (timeoutAfterCommit). */
  hang(req: IncomingMessage, fault: Fault): void;
}

export interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  pathname: string;
  query: Params;
  params: Params;
  rawBody: Buffer;
  match: RegExpExecArray;
}

type Handler = (env: Env, c: Call) => void | Promise<void>;

function ok(c: Call, auth: AuthContext | null, status: number, data: unknown): void {
  sendJson(c.res, status, data, { cors: corsAllowed(auth) });
}

function findTicket(env: Env, raw: unknown): TicketRecord {
  const id = toId(raw);
  const t = id === null ? undefined : env.store.tickets.get(id);
  if (!t) throw recordNotFound('Ticket', raw);
  return t;
}

function ticketCtx(env: Env, auth: AuthContext): TicketCtx {
  return { auth, store: env.store, fqdn: env.fqdn, systemId: env.systemId, now: new Date(env.nowMs()).toISOString() };
}

/** After commit: maybe never answer (the `timeoutAfterCommit` knob). */
function hungAfterCommit(env: Env, c: Call): boolean {
  const f = env.knobs.take('timeoutAfterCommit', c.method, c.pathname, '/api/v1/tickets');
  if (!f) return false;
  env.hang(c.req, f);
  return true;
}

const usersMe: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  ok(c, auth, 200, renderUser(auth.user));
};

const groups: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  permit(auth, ['ticket.agent', 'admin.group', 'ticket.customer']);
  const now = '2026-01-05T08:00:00.000Z';
  ok(
    c,
    auth,
    200,
    GROUPS.map((g) => ({
      id: g.id,
      signature_id: null,
      email_address_id: null,
      name: g.name,
      name_last: g.name,
      parent_id: null,
      assignment_timeout: null,
      follow_up_possible: 'yes',
      reopen_time_in_days: null,
      follow_up_assignment: true,
      active: g.active,
      shared_drafts: true,
      note: '',
      updated_by_id: 1,
      created_by_id: 1,
      created_at: now,
      updated_at: now,
    })),
  );
};

/** The silent-loss knobs: the article's last attachment dropped, or cut to half its bytes. */
function lossyAttachments(env: Env, c: Call): Params {
  const drop = env.knobs.take('dropLastAttachment', c.method, c.pathname, '/api/v1/tickets');
  const cut = drop ? undefined : env.knobs.take('truncateLastAttachment', c.method, c.pathname, '/api/v1/tickets');
  const article = c.params.article;
  if (!(drop || cut) || !isPlainObject(article) || !Array.isArray(article.attachments) || article.attachments.length === 0) return c.params;
  const list = [...article.attachments];
  const last = list.pop();
  if (cut && isPlainObject(last) && typeof last.data === 'string') {
    const bytes = Buffer.from(last.data, 'base64');
    list.push({ ...last, data: bytes.subarray(0, Math.floor(bytes.length / 2)).toString('base64') });
  }
  return { ...c.params, article: { ...article, attachments: list } };
}

const createTicket: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  permit(auth, ['ticket.agent', 'ticket.customer']);
  const alloc = env.store.allocator();
  const built = buildTicket(ticketCtx(env, auth), lossyAttachments(env, c), alloc);
  if ('earlyResponse' in built) {
    sendJson(c.res, built.earlyResponse.status, built.earlyResponse.body);
    return;
  }
  env.store.commit(built, alloc);
  if (hungAfterCommit(env, c)) return;
  ok(c, auth, 201, ticketResponse(env.store, built.ticket, c.params));
};

const listTickets: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  const perPage = Math.min(100, Math.max(1, Math.trunc(Number(c.params.per_page ?? 100)) || 100));
  const page = Math.max(1, Math.trunc(Number(c.params.page ?? 1)) || 1);
  const list = [...env.store.tickets.values()]
    .filter((t) => canRead(auth, t))
    .sort((a, b) => a.id - b.id)
    .slice((page - 1) * perPage, page * perPage);
  ok(c, auth, 200, isTrueFlag(c.params.expand) ? list.map((t) => renderTicketExpanded(env.store, t)) : list.map(renderTicket));
};

const showTicket: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  const t = findTicket(env, c.match[1]);
  if (!canRead(auth, t)) throw forbidden('Not authorized');
  ok(c, auth, 200, ticketResponse(env.store, t, c.params));
};

const search: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  ok(c, auth, 200, searchTickets(env.store, auth, c.params, { legacyShape: env.knobs.state.legacySearchShape }));
};

const createArticle: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  permit(auth, ['ticket.agent', 'ticket.customer']);
  const t = findTicket(env, c.params.ticket_id);
  if (!canCreateArticle(auth, t)) throw forbidden('Not authorized');
  const alloc = env.store.allocator();
  const built = buildArticle(ticketCtx(env, auth), t, c.params, alloc);
  env.store.commit({ ticket: withArticle(t, built.article), files: built.files, newUsers: [] }, alloc);
  if (hungAfterCommit(env, c)) return;
  ok(c, auth, 201, renderArticle(env.store, built.article));
};

function visibleArticles(auth: AuthContext, t: TicketRecord): TicketRecord['articles'] {
  return isAgent(auth) ? t.articles : t.articles.filter((a) => !a.internal);
}

const articlesByTicket: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  const t = findTicket(env, c.match[1]);
  if (!canRead(auth, t)) throw forbidden('Not authorized');
  ok(
    c,
    auth,
    200,
    visibleArticles(auth, t).map((a) => renderArticle(env.store, a)),
  );
};

const showArticle: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  const id = toId(c.match[1]);
  for (const t of env.store.tickets.values()) {
    const a = t.articles.find((x) => x.id === id);
    if (!a) continue;
    if (!canRead(auth, t) || !visibleArticles(auth, t).includes(a)) throw forbidden('Not authorized');
    ok(c, auth, 200, renderArticle(env.store, a));
    return;
  }
  throw recordNotFound('Ticket::Article', c.match[1]);
};

const attachment: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  const t = findTicket(env, c.match[1]);
  if (!canRead(auth, t)) throw forbidden('Not authorized');
  const articleId = toId(c.match[2]);
  const owner = [...env.store.tickets.values()].find((x) => x.articles.some((a) => a.id === articleId));
  const article = owner?.articles.find((a) => a.id === articleId);
  if (!owner || !article) throw recordNotFound('Ticket::Article', c.match[2]);
  if (owner.id !== t.id) throw forbidden('No access, article_id/ticket_id is not matching.');
  const file = article.attachments.find((f) => f.id === toId(c.match[3]));
  if (!file) throw forbidden('Requested file id is not linked with article_id.');
  const disposition = c.params.disposition === 'attachment' ? 'attachment' : 'inline';
  const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  send(c.res, 200, env.store.readFile(file.file), {
    'Content-Type': file.preferences['Content-Type'] ?? file.preferences['Mime-Type'] ?? 'application/octet-stream',
    'Content-Disposition': `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    'X-Content-Type-Options': 'nosniff',
    ...NO_CACHE_HEADERS,
    ...(corsAllowed(auth) ? CORS_HEADERS : {}),
  });
};

function tagTarget(env: Env, c: Call): { auth: AuthContext; ticket: TicketRecord; item: string } {
  const auth = requireAuth(c.req, env.dir);
  if (c.params.object !== 'Ticket') throw masked(500); // only tickets are taggable here
  const ticket = findTicket(env, c.params.o_id);
  if (!canChange(auth, ticket)) throw forbidden('Not authorized');
  if (typeof c.params.item !== 'string') throw masked(500); // `strip!` on nil
  return { auth, ticket, item: c.params.item.trim() };
}

const tagAdd: Handler = (env, c) => {
  const { auth, ticket, item } = tagTarget(env, c);
  const tags = item === '' ? ticket.tags : addTag(env.store, ticket.tags, item);
  if (tags !== ticket.tags) env.store.commit({ ticket: { ...ticket, tags }, files: [], newUsers: [] });
  ok(c, auth, 201, true);
};

const tagRemove: Handler = (env, c) => {
  const { auth, ticket, item } = tagTarget(env, c);
  const tags = ticket.tags.filter((x) => x.toLowerCase() !== item.toLowerCase());
  if (tags.length !== ticket.tags.length) env.store.commit({ ticket: { ...ticket, tags }, files: [], newUsers: [] });
  ok(c, auth, 200, true);
};

const tagList: Handler = (env, c) => {
  const auth = requireAuth(c.req, env.dir);
  const id = toId(c.params.o_id);
  const t = c.params.object === 'Ticket' && id !== null ? env.store.tickets.get(id) : undefined;
  ok(c, auth, 200, { tags: t ? t.tags : [] });
};

const formConfig: Handler = async (env, c) => {
  const { params } = await parseFormParams(c.req, c.rawBody);
  if (!env.knobs.state.formEnabled) throw forbidden('Not authorized');
  const fingerprint = fingerprintOk({ ...c.query, ...params });
  sendJson(
    c.res,
    200,
    { enabled: true, endpoint: `https://${env.fqdn}/api/v1/form_submit`, token: env.formTokens.generate(fingerprint, Math.floor(env.nowMs() / 1000)) },
    { cors: true },
  );
};

const formSubmit: Handler = async (env, c) => {
  const form = await parseFormParams(c.req, c.rawBody);
  form.params = { ...c.query, ...form.params };
  if (!env.knobs.state.formEnabled) throw forbidden('Not authorized');
  const fingerprint = fingerprintOk(form.params);
  env.formTokens.check(form.params.token, fingerprint, Math.floor(env.nowMs() / 1000));
  const errors = formErrors(form.params);
  if (!isBlank(errors)) {
    sendJson(c.res, 200, { errors }, { cors: true });
    return;
  }
  const now = new Date(env.nowMs()).toISOString();
  const built = buildFormTicket({ store: env.store, fqdn: env.fqdn, systemId: env.systemId, now }, form, clientIp(c.req));
  env.store.commit(built, built);
  if (hungAfterCommit(env, c)) return;
  sendJson(c.res, 200, { ticket: { id: built.ticket.id, number: built.ticket.number } }, { cors: true });
};

export const ROUTES: [string, RegExp, Handler][] = [
  ['GET', /^\/api\/v1\/users\/me$/, usersMe],
  ['GET', /^\/api\/v1\/groups$/, groups],
  ['GET', /^\/api\/v1\/tickets\/search$/, search],
  ['POST', /^\/api\/v1\/tickets\/search$/, search],
  ['GET', /^\/api\/v1\/tickets$/, listTickets],
  ['POST', /^\/api\/v1\/tickets$/, createTicket],
  ['GET', /^\/api\/v1\/tickets\/([^/]+)$/, showTicket],
  ['POST', /^\/api\/v1\/ticket_articles$/, createArticle],
  ['GET', /^\/api\/v1\/ticket_articles\/by_ticket\/([^/]+)$/, articlesByTicket],
  ['GET', /^\/api\/v1\/ticket_articles\/([^/]+)$/, showArticle],
  ['GET', /^\/api\/v1\/ticket_attachment\/([^/]+)\/([^/]+)\/([^/]+)$/, attachment],
  ['POST', /^\/api\/v1\/tags\/add$/, tagAdd],
  ['DELETE', /^\/api\/v1\/tags\/remove$/, tagRemove],
  ['GET', /^\/api\/v1\/tags$/, tagList],
  ['POST', /^\/api\/v1\/form_config$/, formConfig],
  ['POST', /^\/api\/v1\/form_submit$/, formSubmit],
];

/** `errors#routing`. */
export function routingError(method: string, pathname: string): ReturnType<typeof apiError> {
  return apiError(404, `No route matches [${method}] ${pathname}`);
}
