/**
 * State of the stand-in, kept in memory and written through to `dataDir` so a person can open it:
 *
 *   tickets/<id>.json                       the ticket with its tags, articles and attachment metadata
 *   attachments/<ticket>/<id>-<filename>    each attachment's raw bytes
 *   users.json                              users created by `guess:`, `customer{}` or the web form
 *
 * Writes are all-or-nothing: files go first, the ticket JSON last (temp file + rename), and
 * memory changes only once the disk write succeeded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FIRST_CREATED_USER_ID, seedTokens, seedUsers, type ApiToken, type User } from './seeds';

export interface AttachmentRecord {
  id: number;
  filename: string;
  size: number;
  preferences: Record<string, string>;
  /** Path of the raw file, relative to dataDir. */
  file: string;
}

export interface ArticleRecord {
  id: number;
  ticket_id: number;
  type_id: number;
  sender_id: number;
  from: string | null;
  to: string | null;
  cc: string | null;
  subject: string | null;
  reply_to: null;
  message_id: null;
  message_id_md5: null;
  in_reply_to: null;
  content_type: string;
  references: null;
  body: string;
  internal: boolean;
  preferences: Record<string, unknown>;
  updated_by_id: number;
  created_by_id: number;
  origin_by_id: number | null;
  created_at: string;
  updated_at: string;
  time_unit: string | null;
  attachments: AttachmentRecord[];
}

export interface TicketRecord {
  id: number;
  group_id: number;
  priority_id: number;
  state_id: number;
  organization_id: number | null;
  number: string;
  title: string;
  owner_id: number;
  customer_id: number;
  note: string | null;
  first_response_at: string | null;
  close_at: string | null;
  last_contact_at: string | null;
  last_contact_agent_at: string | null;
  last_contact_customer_at: string | null;
  create_article_type_id: number | null;
  create_article_sender_id: number | null;
  article_count: number;
  pending_time: string | null;
  type: string | null;
  time_unit: string | null;
  preferences: Record<string, unknown>;
  updated_by_id: number;
  created_by_id: number;
  created_at: string;
  updated_at: string;
  tags: string[];
  mention_user_ids: number[];
  articles: ArticleRecord[];
}

export interface PendingFile {
  /** Relative to dataDir. */
  rel: string;
  data: Buffer;
}

/** Ids handed out while a change is being built; they become real only on commit. */
export interface IdAllocator {
  ticketId(): number;
  ticketCounter(): number;
  articleId(): number;
  attachmentId(): number;
  userId(): number;
}

interface Counters {
  ticket: number;
  ticketCounter: number;
  article: number;
  attachment: number;
  user: number;
}

export function safeFilename(name: string): string {
  const cleaned = name.replace(/[/\\\0-\x1f<>:"|?*]/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return cleaned === '' ? 'file' : cleaned;
}

export class Store {
  readonly tickets = new Map<number, TicketRecord>();
  private createdUsers: User[] = [];
  private readonly seeds: User[] = seedUsers();
  readonly tokens: ApiToken[] = seedTokens();
  private counters: Counters = Store.emptyCounters();

  constructor(readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.load();
  }

  private static emptyCounters(): Counters {
    return { ticket: 0, ticketCounter: 0, article: 0, attachment: 0, user: FIRST_CREATED_USER_ID - 1 };
  }

  get users(): User[] {
    return [...this.seeds, ...this.createdUsers];
  }

  userById(id: number): User | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByEmail(email: string): User | undefined {
    const e = email.toLowerCase();
    return this.users.find((u) => u.email !== '' && u.email.toLowerCase() === e);
  }

  userByLogin(login: string): User | undefined {
    const l = login.toLowerCase();
    return this.users.find((u) => u.login.toLowerCase() === l);
  }

  allocator(): IdAllocator & { commit(): void } {
    const c = { ...this.counters };
    return {
      ticketId: () => ++c.ticket,
      ticketCounter: () => ++c.ticketCounter,
      articleId: () => ++c.article,
      attachmentId: () => ++c.attachment,
      userId: () => ++c.user,
      commit: () => {
        this.counters = c;
      },
    };
  }

  abs(rel: string): string {
    return path.join(this.dataDir, rel);
  }

  readFile(rel: string): Buffer {
    return fs.readFileSync(this.abs(rel));
  }

  /**
   * Writes the files, new users and the ticket in one go. Throws (after removing what it wrote)
   * if anything fails; memory is untouched in that case.
   */
  commit(change: { ticket: TicketRecord; files: PendingFile[]; newUsers: User[] }, alloc?: { commit(): void }): void {
    const written: string[] = [];
    try {
      for (const f of change.files) {
        const abs = this.abs(f.rel);
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, f.data, { flag: 'wx' });
        written.push(abs);
      }
      if (change.newUsers.length > 0) this.writeJson('users.json', [...this.createdUsers, ...change.newUsers]);
      this.writeJson(path.join('tickets', `${change.ticket.id}.json`), change.ticket);
    } catch (e) {
      for (const abs of written) fs.rmSync(abs, { force: true });
      if (change.newUsers.length > 0) this.writeJson('users.json', this.createdUsers);
      throw e;
    }
    this.createdUsers.push(...change.newUsers);
    this.tickets.set(change.ticket.id, change.ticket);
    alloc?.commit();
  }

  private writeJson(rel: string, data: unknown): void {
    const abs = this.abs(rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const tmp = `${abs}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
    fs.renameSync(tmp, abs);
  }

  /** Forgets tickets, created users and counters; deletes their files. Seeds stay. */
  reset(): void {
    this.tickets.clear();
    this.createdUsers = [];
    this.counters = Store.emptyCounters();
    fs.rmSync(this.abs('tickets'), { recursive: true, force: true });
    fs.rmSync(this.abs('attachments'), { recursive: true, force: true });
    fs.rmSync(this.abs('users.json'), { force: true });
  }

  /** Picks up what an earlier run left in dataDir. */
  private load(): void {
    try {
      const users = JSON.parse(fs.readFileSync(this.abs('users.json'), 'utf8')) as User[];
      if (Array.isArray(users)) this.createdUsers = users;
    } catch {
      /* none yet */
    }
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.abs('tickets')).filter((n) => /^\d+\.json$/.test(n));
    } catch {
      /* none yet */
    }
    for (const name of names) {
      try {
        const t = JSON.parse(fs.readFileSync(this.abs(path.join('tickets', name)), 'utf8')) as TicketRecord;
        this.tickets.set(t.id, t);
      } catch {
        /* unreadable file: skipped */
      }
    }
    const c = this.counters;
    for (const u of this.createdUsers) c.user = Math.max(c.user, u.id);
    for (const t of this.tickets.values()) {
      c.ticket = Math.max(c.ticket, t.id);
      c.ticketCounter += 1;
      for (const a of t.articles) {
        c.article = Math.max(c.article, a.id);
        for (const f of a.attachments) c.attachment = Math.max(c.attachment, f.id);
      }
    }
  }
}
