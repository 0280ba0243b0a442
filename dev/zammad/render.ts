/**
 * Ticket and user renderings: `attributes_with_association_ids`, `attributes_with_association_names`,
 * assets, and the `expand` / `full` / `all` variants of the ticket endpoints.
 */
import { isTrueFlag, type Params } from './http';
import { ARTICLE_TYPES, byId, GROUPS, PRIORITIES, SENDERS, STATES, type User } from './seeds';
import type { Store, TicketRecord } from './store';

/** The escalation and newer fields a stand-in may return as null (§2.2). */
const NULL_ESCALATION = {
  first_response_escalation_at: null,
  first_response_in_min: null,
  first_response_diff_in_min: null,
  close_escalation_at: null,
  close_in_min: null,
  close_diff_in_min: null,
  update_escalation_at: null,
  update_in_min: null,
  update_diff_in_min: null,
  last_close_at: null,
  last_owner_update_at: null,
  escalation_at: null,
  checklist_id: null,
} as const;

/** `attributes_with_association_ids`. */
export function renderTicket(t: TicketRecord): Record<string, unknown> {
  const { articles, tags: _tags, mention_user_ids: _m, ...attrs } = t;
  return {
    ...attrs,
    ...NULL_ESCALATION,
    article_ids: articles.map((a) => a.id),
    ticket_time_accounting_ids: [],
  };
}

/** `attributes_with_association_names`: the ids plus names. */
export function renderTicketExpanded(store: Store, t: TicketRecord): Record<string, unknown> {
  const login = (id: number | null): string | null => (id === null ? null : (store.userById(id)?.login ?? null));
  return {
    ...renderTicket(t),
    group: byId(GROUPS, t.group_id)?.name ?? null,
    state: byId(STATES, t.state_id)?.name ?? null,
    priority: byId(PRIORITIES, t.priority_id)?.name ?? null,
    owner: login(t.owner_id),
    customer: login(t.customer_id),
    organization: null,
    created_by: login(t.created_by_id),
    updated_by: login(t.updated_by_id),
    create_article_type: byId(ARTICLE_TYPES, t.create_article_type_id)?.name ?? null,
    create_article_sender: byId(SENDERS, t.create_article_sender_id)?.name ?? null,
  };
}

export function renderUser(u: User): Record<string, unknown> {
  return {
    id: u.id,
    organization_id: null,
    login: u.login,
    firstname: u.firstname,
    lastname: u.lastname,
    email: u.email,
    image: null,
    image_source: null,
    web: '',
    phone: '',
    fax: '',
    mobile: '',
    department: null,
    street: '',
    zip: '',
    city: '',
    country: '',
    address: null,
    vip: false,
    verified: false,
    active: u.active,
    note: '',
    last_login: null,
    source: null,
    login_failed: 0,
    out_of_office: false,
    out_of_office_start_at: null,
    out_of_office_end_at: null,
    out_of_office_replacement_id: null,
    preferences: {},
    updated_by_id: u.updated_by_id,
    created_by_id: u.created_by_id,
    created_at: u.created_at,
    updated_at: u.updated_at,
    role_ids: u.role_ids,
    two_factor_preference_ids: [],
    organization_ids: [],
    authorization_ids: [],
    overview_sorting_ids: [],
    group_ids: u.group_ids,
  };
}

/** `Ticket#assets`: the ticket and the users it references. */
export function assetsOf(store: Store, tickets: TicketRecord[]): Record<string, Record<string, unknown>> {
  const Ticket: Record<string, unknown> = {};
  const User: Record<string, unknown> = {};
  for (const t of tickets) {
    Ticket[String(t.id)] = renderTicket(t);
    for (const id of [t.customer_id, t.owner_id, t.created_by_id, t.updated_by_id]) {
      const u = store.userById(id);
      if (u) User[String(u.id)] = renderUser(u);
    }
  }
  return { Ticket, User };
}

/** The 201/200 body for `expand`, `full`, `all` or the default rendering. */
export function ticketResponse(store: Store, t: TicketRecord, query: Params): unknown {
  if (isTrueFlag(query.expand)) return renderTicketExpanded(store, t);
  if (isTrueFlag(query.full)) return { id: t.id, assets: assetsOf(store, [t]) };
  if (isTrueFlag(query.all)) {
    return {
      ticket_id: t.id,
      ticket_article_ids: t.articles.map((a) => a.id),
      assets: assetsOf(store, [t]),
      links: [],
      tags: t.tags,
      mentions: [],
      time_accountings: [],
    };
  }
  return renderTicket(t);
}
