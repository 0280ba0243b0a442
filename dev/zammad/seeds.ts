/**
 * Seed data of the Zammad stand-in: users, tokens, groups and the lookup tables of a fresh
 * Zammad install (states, priorities, article types and senders keep their real seed ids).
 */

export interface User {
  id: number;
  login: string;
  firstname: string;
  lastname: string;
  email: string;
  active: boolean;
  role_ids: number[];
  /** Effective permissions of the user's roles (a parent such as `admin` covers `admin.user`). */
  permissions: string[];
  /** Group access of agents: group id → access levels. */
  group_ids: Record<string, string[]>;
  /** Only seeded users have one; it never leaves the stand-in. */
  password?: string;
  created_at: string;
  updated_at: string;
  created_by_id: number;
  updated_by_id: number;
}

export interface ApiToken {
  token: string;
  name: string;
  user_id: number;
  /** `preferences.permission` of a personal access token. */
  permissions: string[];
  /** ISO date; the token is expired from that day on. */
  expires_at: string | null;
}

export interface Group {
  id: number;
  name: string;
  active: boolean;
}

export interface NamedRow {
  id: number;
  name: string;
  active: boolean;
}

const SEED_TIME = '2026-01-05T08:00:00.000Z';

export const ROLE = { admin: 1, agent: 2, customer: 3 } as const;

export const SEED_PASSWORD = 'temoin-demo-password';

export const SEED_TOKENS = {
  /** Agent Témoin: ticket.agent + admin.user. */
  agent: 'temoin-agent-token',
  /** Client Démo: ticket.customer. */
  customer: 'temoin-customer-token',
  /** Agent Témoin, expired: 401 `Not authorized (token expired)!`. */
  expired: 'temoin-expired-token',
  /** Agent Témoin, token holding only `user_preferences`: 403 `Not authorized (token)!`. */
  noTicketPermission: 'temoin-no-ticket-permission-token',
  /** Inactive user "Ancien Agent": 401 unified login error. */
  disabledUser: 'temoin-disabled-user-token',
} as const;

/** Basic auth credentials of the seeded agent (login or email as user name). */
export const SEED_BASIC = { login: 'agent@axialys.example', password: SEED_PASSWORD } as const;

function user(u: Omit<User, 'created_at' | 'updated_at' | 'created_by_id' | 'updated_by_id'>): User {
  return { ...u, created_at: SEED_TIME, updated_at: SEED_TIME, created_by_id: 1, updated_by_id: 1 };
}

export function seedUsers(): User[] {
  return [
    user({ id: 1, login: '-', firstname: '-', lastname: '', email: '', active: false, role_ids: [], permissions: [], group_ids: {} }),
    user({
      id: 2,
      login: 'agent@axialys.example',
      firstname: 'Agent',
      lastname: 'Témoin',
      email: 'agent@axialys.example',
      active: true,
      role_ids: [ROLE.agent],
      permissions: ['ticket.agent', 'admin.user', 'user_preferences'],
      group_ids: { '1': ['full'], '2': ['full'] },
      password: SEED_PASSWORD,
    }),
    user({
      id: 3,
      login: 'client@demo.example',
      firstname: 'Client',
      lastname: 'Démo',
      email: 'client@demo.example',
      active: true,
      role_ids: [ROLE.customer],
      permissions: ['ticket.customer', 'user_preferences'],
      group_ids: {},
    }),
    user({
      id: 4,
      login: 'ancien.agent@axialys.example',
      firstname: 'Ancien',
      lastname: 'Agent',
      email: 'ancien.agent@axialys.example',
      active: false,
      role_ids: [ROLE.agent],
      permissions: ['ticket.agent', 'user_preferences'],
      group_ids: { '1': ['full'] },
    }),
  ];
}

/** First id handed to users created by `guess:`, `customer{}` or the web form. */
export const FIRST_CREATED_USER_ID = 10;

export function seedTokens(): ApiToken[] {
  return [
    { token: SEED_TOKENS.agent, name: 'Témoin (agent)', user_id: 2, permissions: ['ticket.agent', 'admin.user'], expires_at: null },
    { token: SEED_TOKENS.customer, name: 'Témoin (client)', user_id: 3, permissions: ['ticket.customer'], expires_at: null },
    { token: SEED_TOKENS.expired, name: 'Témoin (expired)', user_id: 2, permissions: ['ticket.agent'], expires_at: '2024-01-01' },
    { token: SEED_TOKENS.noTicketPermission, name: 'Témoin (profile only)', user_id: 2, permissions: ['user_preferences'], expires_at: null },
    { token: SEED_TOKENS.disabledUser, name: 'Témoin (disabled user)', user_id: 4, permissions: ['ticket.agent'], expires_at: null },
  ];
}

export const GROUPS: readonly Group[] = [
  { id: 1, name: 'Users', active: true },
  { id: 2, name: 'Support technique', active: true },
  { id: 3, name: 'Archives 2019', active: false },
];

/** `db/seeds/ticket_states.rb`. */
export const STATES: readonly NamedRow[] = [
  { id: 1, name: 'new', active: true },
  { id: 2, name: 'open', active: true },
  { id: 3, name: 'pending reminder', active: true },
  { id: 4, name: 'closed', active: true },
  { id: 5, name: 'merged', active: true },
  { id: 6, name: 'removed', active: false },
  { id: 7, name: 'pending close', active: true },
];
export const DEFAULT_STATE_ID = 1;
/** States a customer may pick on create (`viewable_customer_new`). */
export const CUSTOMER_CREATE_STATE_IDS: readonly number[] = [1, 4];

export const PRIORITIES: readonly NamedRow[] = [
  { id: 1, name: '1 low', active: true },
  { id: 2, name: '2 normal', active: true },
  { id: 3, name: '3 high', active: true },
];
export const DEFAULT_PRIORITY_ID = 2;

export const ARTICLE_TYPES: readonly NamedRow[] = [
  { id: 1, name: 'email', active: true },
  { id: 2, name: 'sms', active: true },
  { id: 3, name: 'chat', active: true },
  { id: 4, name: 'fax', active: true },
  { id: 5, name: 'phone', active: true },
  { id: 10, name: 'note', active: true },
  { id: 11, name: 'web', active: true },
];

export const SENDERS: readonly NamedRow[] = [
  { id: 1, name: 'Agent', active: true },
  { id: 2, name: 'System', active: true },
  { id: 3, name: 'Customer', active: true },
];

export function byName<T extends { name: string }>(rows: readonly T[], name: string): T | undefined {
  return rows.find((r) => r.name === name) ?? rows.find((r) => r.name.toLowerCase() === name.toLowerCase());
}

export function byId<T extends { id: number }>(rows: readonly T[], id: number | null | undefined): T | undefined {
  return id == null ? undefined : rows.find((r) => r.id === id);
}

export function fullname(u: User): string {
  return `${u.firstname} ${u.lastname}`.trim();
}
