/**
 * `GET|POST /api/v1/tickets/search` answered like the SQL backend (no Elasticsearch): always up to
 * date. `query` is a case-insensitive LIKE over ticket title/number and article body, from, to,
 * subject; `condition` is a selector hash (`lib/selector/sql.rb`).
 */
import type { AuthContext } from './auth';
import { masked } from './errors';
import { isBlank, isPlainObject, isTrueFlag, type Params } from './http';
import type { Store, TicketRecord } from './store';
import { assetsOf, renderTicket, renderTicketExpanded } from './render';
import { canRead } from './tickets';

type Matcher = (t: TicketRecord) => boolean;

function values(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null).map((x) => String(x));
}

const TEXT_ATTRIBUTES = new Set([
  'ticket.title',
  'ticket.number',
  'ticket.note',
  'ticket.group_id',
  'ticket.state_id',
  'ticket.priority_id',
  'ticket.customer_id',
  'ticket.owner_id',
  'article.body',
  'article.subject',
  'article.from',
  'article.to',
]);

function textFields(t: TicketRecord, attribute: string): string[] | null {
  switch (attribute) {
    case 'ticket.title':
      return [t.title];
    case 'ticket.number':
      return [t.number];
    case 'ticket.note':
      return [t.note ?? ''];
    case 'ticket.group_id':
      return [String(t.group_id)];
    case 'ticket.state_id':
      return [String(t.state_id)];
    case 'ticket.priority_id':
      return [String(t.priority_id)];
    case 'ticket.customer_id':
      return [String(t.customer_id)];
    case 'ticket.owner_id':
      return [String(t.owner_id)];
    case 'article.body':
      return t.articles.map((a) => a.body);
    case 'article.subject':
      return t.articles.map((a) => a.subject ?? '');
    case 'article.from':
      return t.articles.map((a) => a.from ?? '');
    case 'article.to':
      return t.articles.map((a) => a.to ?? '');
    default:
      return null;
  }
}

/** One `{ "<table.attr>": {operator, value} }` entry. Blank values are ignored (null = no constraint). */
function condition(attribute: string, spec: unknown): Matcher | null {
  if (!isPlainObject(spec)) throw masked(500);
  const operator = String(spec.operator ?? '');
  const wanted = values(spec.value).map((v) => v.toLowerCase());
  if (wanted.length === 0 || wanted.every((v) => v === '')) return null;
  if (attribute === 'ticket.tags') {
    const tags = (t: TicketRecord): string[] => t.tags.map((x) => x.toLowerCase());
    const list = wanted.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    switch (operator) {
      case 'contains all':
        return (t) => list.every((v) => tags(t).includes(v));
      case 'contains one':
        return (t) => list.some((v) => tags(t).includes(v));
      case 'contains all not':
        return (t) => !list.every((v) => tags(t).includes(v));
      case 'contains one not':
        return (t) => !list.some((v) => tags(t).includes(v));
      default:
        throw masked(500);
    }
  }
  const fieldsOf = (t: TicketRecord): string[] => (textFields(t, attribute) ?? []).map((f) => f.toLowerCase());
  if (!TEXT_ATTRIBUTES.has(attribute)) throw masked(500);
  switch (operator) {
    case 'contains':
      return (t) => fieldsOf(t).some((f) => wanted.some((w) => f.includes(w)));
    case 'contains not':
      return (t) => !fieldsOf(t).some((f) => wanted.some((w) => f.includes(w)));
    case 'is':
      return (t) => fieldsOf(t).some((f) => wanted.includes(f));
    case 'is not':
      return (t) => !fieldsOf(t).some((f) => wanted.includes(f));
    case 'starts with':
      return (t) => fieldsOf(t).some((f) => wanted.some((w) => f.startsWith(w)));
    case 'ends with':
      return (t) => fieldsOf(t).some((f) => wanted.some((w) => f.endsWith(w)));
    default:
      throw masked(500);
  }
}

/** Flat selector hash, or the newer `{operator: 'AND'|'OR', conditions: [{name, operator, value}]}`. */
export function compileCondition(cond: unknown): Matcher | null {
  if (!isPlainObject(cond) || isBlank(cond)) return null;
  if (Array.isArray(cond.conditions)) {
    const op = String(cond.operator ?? 'AND').toUpperCase();
    const parts = cond.conditions
      .map((c: unknown) => (isPlainObject(c) && typeof c.name === 'string' ? condition(c.name, c) : compileCondition(c)))
      .filter((m): m is Matcher => m !== null);
    if (parts.length === 0) return null;
    return op === 'OR' ? (t) => parts.some((m) => m(t)) : op === 'NOT' ? (t) => !parts.some((m) => m(t)) : (t) => parts.every((m) => m(t));
  }
  const parts = Object.entries(cond)
    .map(([attr, spec]) => condition(attr, spec))
    .filter((m): m is Matcher => m !== null);
  return parts.length === 0 ? null : (t) => parts.every((m) => m(t));
}

function queryMatcher(q: string): Matcher {
  const needle = q.toLowerCase();
  return (t) =>
    t.title.toLowerCase().includes(needle) ||
    t.number.toLowerCase().includes(needle) ||
    t.articles.some((a) => [a.body, a.from ?? '', a.to ?? '', a.subject ?? ''].some((f) => f.toLowerCase().includes(needle)));
}

const SORTABLE = new Set(['id', 'number', 'title', 'created_at', 'updated_at', 'group_id', 'state_id', 'priority_id']);

export function searchTickets(store: Store, auth: AuthContext, params: Params, opts: { legacyShape: boolean }): unknown {
  const raw = params.query ?? params.term;
  const query = typeof raw === 'string' ? raw.replace(/\*/g, '').trim() : '';
  const cond = compileCondition(params.condition);
  const matchers: Matcher[] = [(t) => canRead(auth, t)];
  if (query !== '') matchers.push(queryMatcher(query));
  if (cond) matchers.push(cond);

  const sortBy = typeof params.sort_by === 'string' && SORTABLE.has(params.sort_by) ? params.sort_by : 'created_at';
  const asc = typeof params.order_by === 'string' && params.order_by.toLowerCase() === 'asc';
  const found = [...store.tickets.values()]
    .filter((t) => matchers.every((m) => m(t)))
    .sort((a, b) => {
      const x = (a as unknown as Record<string, string | number>)[sortBy] ?? 0;
      const y = (b as unknown as Record<string, string | number>)[sortBy] ?? 0;
      const c = x < y ? -1 : x > y ? 1 : a.id - b.id;
      return asc ? c : -c;
    });

  if (isTrueFlag(params.only_total_count)) return { total_count: found.length };

  const perPageRaw = Number(params.per_page ?? params.limit ?? 50);
  const perPage = Math.min(200, Math.max(1, Number.isFinite(perPageRaw) ? Math.trunc(perPageRaw) : 50));
  const page = Math.max(1, Math.trunc(Number(params.page ?? 1)) || 1);
  const pageItems = found.slice((page - 1) * perPage, page * perPage);

  if (isTrueFlag(params.expand)) return pageItems.map((t) => renderTicketExpanded(store, t));
  if (opts.legacyShape) {
    return { tickets: pageItems.map((t) => t.id), tickets_count: pageItems.length, assets: assetsOf(store, pageItems) };
  }
  if (isTrueFlag(params.full)) {
    return { record_ids: pageItems.map((t) => t.id), assets: assetsOf(store, pageItems), total_count: found.length };
  }
  return pageItems.map(renderTicket);
}
