/**
 * `POST /api/v1/tickets` and ticket access rules, after `tickets_controller.rb#create`,
 * `TicketPolicy`, Core Workflow (`create_middle`) and the `Ticket` model validations.
 */
import { canAny, isAgent, type AuthContext } from './auth';
import { buildArticle, flattenWhitespace, toId, withArticle } from './articles';
import { forbidden, masked, rubyInspect, unprocessable } from './errors';
import { isBlank, isPlainObject, isTruthy, type Params } from './http';
import {
  byId,
  byName,
  CUSTOMER_CREATE_STATE_IDS,
  DEFAULT_PRIORITY_ID,
  DEFAULT_STATE_ID,
  GROUPS,
  PRIORITIES,
  ROLE,
  STATES,
  type User,
} from './seeds';
import type { IdAllocator, PendingFile, Store, TicketRecord } from './store';

export interface TicketCtx {
  auth: AuthContext;
  store: Store;
  fqdn: string;
  systemId: number;
  now: string;
}

/** `Ticket::Number::Increment`: system id + zero padding + counter, at least 5 digits. */
export function ticketNumber(systemId: number, counter: number): string {
  const prefix = String(systemId);
  const n = String(counter);
  return prefix + '0'.repeat(Math.max(0, 5 - prefix.length - n.length)) + n;
}

/** Ruby `URI::MailTo::EMAIL_REGEXP`, plus a dot in the domain. */
export function validEmail(email: string): boolean {
  return (
    /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(email) &&
    email.split('@')[1]!.includes('.')
  );
}

export function newCustomer(alloc: IdAllocator, now: string, fields: { firstname: string; lastname: string; email: string; login?: string }): User {
  return {
    id: alloc.userId(),
    login: (fields.login || fields.email).toLowerCase(),
    firstname: fields.firstname,
    lastname: fields.lastname,
    email: fields.email,
    active: true,
    role_ids: [ROLE.customer],
    permissions: ['ticket.customer', 'user_preferences'],
    group_ids: {},
    created_at: now,
    updated_at: now,
    created_by_id: 1,
    updated_by_id: 1,
  };
}

export function agentGroupAccess(auth: AuthContext, groupId: number): boolean {
  return isAgent(auth) && (auth.user.group_ids[String(groupId)]?.length ?? 0) > 0;
}

/** Agents with group access, or the ticket's own customer (with a ticket permission on the token). */
export function canRead(auth: AuthContext, t: TicketRecord): boolean {
  return agentGroupAccess(auth, t.group_id) || (t.customer_id === auth.user.id && canAny(auth, ['ticket.agent', 'ticket.customer']));
}

/** `TicketPolicy#create?` on an existing ticket (adding an article). */
export function canCreateArticle(auth: AuthContext, t: TicketRecord): boolean {
  return canRead(auth, t);
}

/** Tag add/remove need agent change access. */
export function canChange(auth: AuthContext, t: TicketRecord): boolean {
  return agentGroupAccess(auth, t.group_id);
}

/** Case-insensitive tag lookup across all tickets (`Tag::Item`): reuses the first spelling. */
export function canonicalTag(store: Store, extra: string[], tag: string): string {
  const lower = tag.toLowerCase();
  for (const t of store.tickets.values()) {
    const hit = t.tags.find((x) => x.toLowerCase() === lower);
    if (hit) return hit;
  }
  return extra.find((x) => x.toLowerCase() === lower) ?? tag;
}

export function addTag(store: Store, tags: string[], raw: string): string[] {
  const item = raw.trim();
  if (item === '' || tags.some((x) => x.toLowerCase() === item.toLowerCase())) return tags;
  return [...tags, canonicalTag(store, tags, item)];
}

const USER_ASSOCS = new Set(['owner', 'customer', 'created_by', 'updated_by']);

/** `association_name_to_id_convert`: `group`, `state`, `priority`, `owner`, `customer` by name. */
function convertAssociations(store: Store, params: Params): Params {
  const out: Params = { ...params };
  for (const [key, value] of Object.entries(params)) {
    let rows: readonly { id: number; name: string }[] | null = null;
    if (key === 'group') rows = GROUPS;
    else if (key === 'state') rows = STATES;
    else if (key === 'priority') rows = PRIORITIES;
    else if (!USER_ASSOCS.has(key)) continue;
    delete out[key];
    if (isBlank(value) || isPlainObject(value)) continue;
    let id: number | undefined;
    if (rows) id = byName(rows, String(value))?.id;
    else id = (store.userByLogin(String(value)) ?? store.userByEmail(String(value)))?.id;
    if (id === undefined) throw unprocessable(`No lookup value found for '${key}': ${rubyInspect(value)}`);
    out[`${key}_id`] = id;
  }
  return out;
}

export interface BuiltTicket {
  ticket: TicketRecord;
  files: PendingFile[];
  newUsers: User[];
}

/**
 * Builds the ticket (with tags, mentions and its article) without storing anything. Every
 * failure throws before commit, so a failed create leaves no trace.
 */
export function buildTicket(ctx: TicketCtx, params: Params, alloc: IdAllocator): BuiltTicket | { earlyResponse: { status: number; body: unknown } } {
  const { auth, store } = ctx;
  const agent = isAgent(auth);
  const newUsers: User[] = [];
  const findUser = (pred: (u: User) => boolean): User | undefined => store.users.find(pred) ?? newUsers.find(pred);

  let customerObject: Params | null = null;
  const input: Params = { ...params };
  if (isPlainObject(input.customer)) {
    customerObject = input.customer;
    delete input.customer;
  }
  const p = convertAssociations(store, input);

  if (!agent) {
    for (const k of ['owner', 'owner_id', 'customer', 'customer_id', 'preferences']) delete p[k];
    p.customer_id = auth.user.id;
  }

  let customerId: number | null;
  const rawCustomer = p.customer_id;
  const guess = typeof rawCustomer === 'string' ? /^guess:(.+?)$/.exec(rawCustomer) : null;
  if (guess) {
    const email = guess[1] ?? '';
    if (!validEmail(email)) return { earlyResponse: { status: 422, body: { error: `Invalid email '${email}' of customer` } } };
    let u = findUser((x) => x.email.toLowerCase() === email.toLowerCase());
    if (!u) {
      u = newCustomer(alloc, ctx.now, { firstname: '', lastname: '', email });
      newUsers.push(u);
    }
    customerId = u.id;
  } else customerId = toId(rawCustomer);

  if (customerId === null && customerObject && !isBlank(customerObject)) {
    const c = customerObject;
    let u: User | undefined;
    const cid = toId(c.id);
    if (cid !== null) u = findUser((x) => x.id === cid);
    if (!u && !isBlank(c.email)) u = findUser((x) => x.email.toLowerCase() === String(c.email).toLowerCase());
    if (!u && !isBlank(c.login)) u = findUser((x) => x.login.toLowerCase() === String(c.login).toLowerCase());
    if (!u) {
      u = newCustomer(alloc, ctx.now, {
        firstname: isBlank(c.firstname) ? '' : String(c.firstname),
        lastname: isBlank(c.lastname) ? '' : String(c.lastname),
        email: isBlank(c.email) ? '' : String(c.email),
        login: isBlank(c.login) ? undefined : String(c.login),
      });
      newUsers.push(u);
    }
    customerId = u.id;
  }

  // TicketPolicy#create? (ensure_group? first)
  const groupId = toId(p.group_id);
  if (groupId === null) throw unprocessable("The required value 'group_id' is missing.");
  if (agent) {
    if (!agentGroupAccess(auth, groupId)) throw forbidden('Not authorized');
  } else if (customerId !== auth.user.id) throw forbidden('Not authorized');

  // Core Workflow (create_middle): masked 422 for non-admins.
  const group = byId(GROUPS, groupId);
  if (!group || !group.active) throw masked(422);
  const stateId = toId(p.state_id) ?? DEFAULT_STATE_ID;
  const state = byId(STATES, stateId);
  if (!state || !state.active || (!agent && !CUSTOMER_CREATE_STATE_IDS.includes(stateId))) throw masked(422);
  const priorityId = toId(p.priority_id) ?? DEFAULT_PRIORITY_ID;
  const priority = byId(PRIORITIES, priorityId);
  if (!priority || !priority.active) throw masked(422);
  if (isBlank(p.title)) throw masked(422);

  // Model validations
  const note = p.note === undefined || p.note === null ? null : String(p.note);
  if (note !== null && note.length > 250) throw unprocessable('Note is too long (maximum is 250 characters)');

  let ownerId = 1;
  if (agent && p.owner_id !== undefined && p.owner_id !== null && p.owner_id !== '') {
    const oid = toId(p.owner_id) ?? 0;
    const owner = store.userById(oid);
    if (oid === 0 || !owner || !owner.permissions.includes('ticket.agent')) {
      throw unprocessable(`Invalid value for param 'owner_id': ${rubyInspect(p.owner_id)}`);
    }
    ownerId = oid;
  }

  // Database constraints
  if (customerId === null) throw unprocessable("Attribute 'customer_id' required!");
  if (!findUser((u) => u.id === customerId)) throw masked(422);

  const id = alloc.ticketId();
  const title = flattenWhitespace(typeof p.title === 'string' ? p.title : String(p.title));
  let ticket: TicketRecord = {
    id,
    group_id: groupId,
    priority_id: priorityId,
    state_id: stateId,
    organization_id: null,
    number: ticketNumber(ctx.systemId, alloc.ticketCounter()),
    title,
    owner_id: ownerId,
    customer_id: customerId,
    note,
    first_response_at: null,
    close_at: null,
    last_contact_at: null,
    last_contact_agent_at: null,
    last_contact_customer_at: null,
    create_article_type_id: null,
    create_article_sender_id: null,
    article_count: 0,
    pending_time: isBlank(p.pending_time) ? null : String(p.pending_time),
    type: isBlank(p.type) ? null : String(p.type),
    time_unit: null,
    preferences: agent && isPlainObject(p.preferences) ? p.preferences : {},
    updated_by_id: auth.user.id,
    created_by_id: auth.user.id,
    created_at: ctx.now,
    updated_at: ctx.now,
    tags: [],
    mention_user_ids: [],
    articles: [],
  };

  // Tags: a comma-separated string (an array breaks `.split`: unexpected exception → 500).
  if (!isBlank(params.tags)) {
    if (typeof params.tags !== 'string') throw masked(500);
    for (const tag of params.tags.split(',')) ticket.tags = addTag(store, ticket.tags, tag);
  }

  if (!isBlank(params.mentions)) {
    if (!agent) throw forbidden('You have insufficient permissions to mention other users.');
    const ids = (Array.isArray(params.mentions) ? params.mentions : [params.mentions]).map(toId).filter((x): x is number => x !== null);
    ticket.mention_user_ids = [...new Set(ids)];
  }

  const files: PendingFile[] = [];
  if (isTruthy(params.article)) {
    const built = buildArticle(ctx, ticket, params.article, alloc);
    ticket = withArticle(ticket, built.article);
    ticket.updated_at = ctx.now;
    files.push(...built.files);
  }
  return { ticket, files, newUsers };
}
