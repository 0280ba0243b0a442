/**
 * Delivers one outbox report, step by step, saving its progress after each step so that a worker
 * killed at any point resumes without filing it twice:
 *
 *   api:    [search the marker if a create may have landed] → users/me → create (413: re-encode,
 *           then split) → read the articles back → follow-up articles for what is missing → sent
 *   form:   form_config → form_submit (name, e-mail, files) → sent
 *   export: needs attention at once (the user downloads the bundle and the e-mail draft)
 *
 * Runs in the background only (it holds the token). Everything it touches outside the outbox is
 * injected (fetch, clock, randomness, the image re-encoder, the host-permission check) so that
 * tests drive it against the Zammad stand-in over real HTTP.
 */
import { getItem, updateItem } from './outbox';
import type { AttentionReason, DeliveryMode, OutboxItem, StoredAttachment } from './outbox-types';
import { classify, MAX_FOLLOW_UPS, MAX_SHRINK_LEVEL, missingAttachments, nextAttemptAt, type Step } from './policy';
import { SHRINKABLE, SHRINK_STEPS } from './shrink';
import { bodyWithMarker, escapeHtml, htmlToText } from './text';
import {
  addArticle,
  articlesOf,
  blobToBase64,
  createTicket,
  findByMarker,
  formConfig,
  formSubmit,
  getMe,
  isAgentUser,
  listGroups,
  ticketUrl,
  ZammadError,
  type ArticlePayload,
  type AttachmentPayload,
  type TicketPayload,
  type ZammadConfig,
  type ZammadUser,
} from './zammad';

export interface DeliveryConfig {
  mode: DeliveryMode;
  /** Zammad base URL, no trailing slash. */
  url: string;
  token: string;
  /** '' : the first active group the token can see. */
  group: string;
  /** Form mode: who files (Zammad creates or finds the customer by e-mail). Api mode with an agent token: the ticket's customer, when set. */
  reporterName: string;
  reporterEmail: string;
}

export interface DeliveryDeps {
  fetchImpl?: typeof fetch;
  now(): number;
  /** [0, 1): the backoff's jitter. */
  random(): number;
  /** A smaller encoding of an image at `level` (1, 2…), or null. Default: none (tests) — the background passes shrinkImage. */
  shrink?(a: StoredAttachment, level: number): Promise<Blob | null>;
  /** Whether the worker may reach that origin (custom Zammad URLs need an optional host permission). Default: yes. */
  hasHostPermission?(url: string): Promise<boolean>;
  /** Base request timeout (ms); uploads get more time per byte. Default 30 s. */
  timeoutMs?: number;
}

/** Raised when the report was deleted while being delivered: stop quietly. */
class Deleted extends Error {}

/** A failure at a named step (so it can be classified). */
class StepFailure extends Error {
  constructor(
    readonly step: Step,
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

/** Stops the attempt with a reason for the user. */
class Attention extends Error {
  constructor(
    readonly reason: AttentionReason,
    readonly detail: string,
  ) {
    super(reason);
  }
}

async function at<T>(step: Step, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Deleted || e instanceof Attention || e instanceof StepFailure) throw e;
    throw new StepFailure(step, e);
  }
}

async function attachmentPayloads(list: readonly StoredAttachment[]): Promise<AttachmentPayload[]> {
  return Promise.all(list.map(async (a) => ({ filename: a.filename, data: await blobToBase64(a.data), 'mime-type': a.mimeType })));
}

const bytesOf = (list: readonly StoredAttachment[]): number => list.reduce((n, a) => n + a.size, 0);

/**
 * Timeout for a request carrying `bytes` of attachments: the base, plus time for a slow uplink
 * (base64 adds a third), capped below the worker's 5-minute event limit.
 */
export function uploadTimeoutMs(base: number, bytes: number): number {
  return Math.min(base + Math.ceil(((bytes * 4) / 3 / 50_000) * 1000), 240_000);
}

/** The POST /api/v1/tickets body (§2.1). Customer tokens: no customer_id, article type web. */
export async function ticketPayload(item: OutboxItem, me: ZammadUser, group: string, cfg: DeliveryConfig, withAttachments: boolean): Promise<TicketPayload> {
  const agent = isAgentUser(me);
  const customerEmail = cfg.reporterEmail || me.email || '';
  let body = bodyWithMarker(item.bodyHtml, item.id);
  if (!withAttachments && item.attachments.length > 0) {
    body += `\n<p>Pièces jointes (${item.attachments.length}) : dans les articles suivants.</p>`;
  }
  return {
    title: item.title,
    group,
    ...(agent ? { customer_id: customerEmail ? `guess:${customerEmail}` : me.id } : {}),
    tags: ['temoin', item.surface].join(','),
    article: {
      subject: item.title,
      body,
      content_type: 'text/html',
      type: agent ? 'note' : 'web',
      internal: false,
      ...(withAttachments && item.attachments.length > 0 ? { attachments: await attachmentPayloads(item.attachments) } : {}),
    },
  };
}

async function followUpArticle(item: OutboxItem, batch: readonly StoredAttachment[], agent: boolean): Promise<ArticlePayload> {
  const names = batch.map((a) => escapeHtml(a.filename)).join(', ');
  return {
    subject: item.title,
    body: `<p>Pièces jointes du signalement ${escapeHtml(item.id)} : ${names}</p>`,
    content_type: 'text/html',
    type: agent ? 'note' : 'web',
    internal: false,
    attachments: await attachmentPayloads(batch),
  };
}

export interface DeliveryResult {
  item: OutboxItem | null;
  /** What this attempt ended with (null: the report was deleted meanwhile). */
  outcome: 'sent' | 'retry' | 'attention' | null;
}

/**
 * One attempt at delivering report `id`. Never throws for delivery failures: the report ends
 * `sent`, `queued` (with its next attempt time) or `needs-attention` (with a reason).
 */
export async function deliverOne(id: string, cfg: DeliveryConfig, deps: DeliveryDeps): Promise<DeliveryResult> {
  let item = await getItem(id);
  if (!item || item.state === 'sent') return { item, outcome: item ? 'sent' : null };

  const save = async (patch: Partial<OutboxItem>): Promise<OutboxItem> => {
    const next = await updateItem(id, (cur) => ({ ...cur, ...patch }), deps.now());
    if (!next) throw new Deleted();
    item = next;
    return next;
  };

  try {
    // A report already in Zammad finishes the way it started (switching modes meanwhile must not
    // file it a second time).
    const mode = item.ticket && item.mode ? item.mode : cfg.mode;
    item = await save({ state: 'sending', mode });
    if (mode === 'export') throw new Attention('exportMode', '');
    if (deps.hasHostPermission && !(await deps.hasHostPermission(cfg.url))) throw new Attention('permission', new URL(cfg.url).origin);
    if (mode === 'form') await deliverByForm(item, cfg, deps, save);
    else await deliverByApi(item, cfg, deps, save);
    item = await save({ state: 'sent', reason: null, lastError: null, attempts: 0, nextAttemptAt: 0 });
    return { item, outcome: 'sent' };
  } catch (e) {
    if (e instanceof Deleted) return { item: null, outcome: null };
    if (e instanceof Attention) {
      item = await updateItem(id, (cur) => ({ ...cur, state: 'needs-attention', reason: { key: e.reason, detail: e.detail } }), deps.now());
      return { item, outcome: item ? 'attention' : null };
    }
    const failure = e instanceof StepFailure ? e : new StepFailure('create', e);
    const d = classify(failure.failure, failure.step);
    if (d.action === 'attention') {
      item = await updateItem(id, (cur) => ({ ...cur, state: 'needs-attention', reason: { key: d.reason, detail: d.detail } }), deps.now());
      return { item, outcome: item ? 'attention' : null };
    }
    const message = d.action === 'retry' ? d.message : failure.message;
    const retryAfter = d.action === 'retry' ? d.retryAfterMs : null;
    // maybeCommitted is left as the steps saved it: set before each create, cleared by the
    // answers that prove nothing was stored, kept by the ambiguous ones.
    item = await updateItem(
      id,
      (cur) => {
        const attempts = cur.attempts + 1;
        return { ...cur, state: 'queued', attempts, nextAttemptAt: nextAttemptAt(deps.now(), attempts, deps.random(), retryAfter), lastError: message };
      },
      deps.now(),
    );
    return { item, outcome: item ? 'retry' : null };
  }
}

type Save = (patch: Partial<OutboxItem>) => Promise<OutboxItem>;

/** Re-encodes `names` (images) one level smaller; false when none of them got smaller. */
async function shrinkSome(item: OutboxItem, names: ReadonlySet<string>, deps: DeliveryDeps, save: Save, maxLevel: number): Promise<boolean> {
  if (!deps.shrink) return false;
  let changed = false;
  const next: StoredAttachment[] = [];
  for (const a of item.attachments) {
    if (names.has(a.filename) && SHRINKABLE.test(a.mimeType) && a.level < maxLevel) {
      const blob = await deps.shrink(a, a.level + 1).catch(() => null);
      if (blob && blob.size < a.size) {
        next.push({ ...a, data: blob, size: blob.size, level: a.level + 1 });
        changed = true;
        continue;
      }
      next.push({ ...a, level: maxLevel }); // cannot get smaller: do not try again
      continue;
    }
    next.push(a);
  }
  if (changed || next.some((a, i) => a.level !== item.attachments[i]!.level)) await save({ attachments: next });
  return changed;
}

async function deliverByApi(start: OutboxItem, cfg: DeliveryConfig, deps: DeliveryDeps, save: Save): Promise<void> {
  let item = start;
  if (!cfg.token) throw new Attention('noToken', '');
  const base = deps.timeoutMs ?? 30_000;
  const z = (bytes = 0): ZammadConfig => ({ url: cfg.url, token: cfg.token, timeoutMs: uploadTimeoutMs(base, bytes), fetchImpl: deps.fetchImpl });

  // 1. A create may have landed without an answer: look for the marker before posting again.
  if (!item.ticket && item.maybeCommitted) {
    const [found] = await at('search', () => findByMarker(z(), item.id));
    item = await save(found ? { ticket: found, ticketUrl: ticketUrl(cfg.url, found.id), maybeCommitted: false } : { maybeCommitted: false });
  }

  const me = await at('me', () => getMe(z()));
  const agent = isAgentUser(me);

  // 2. Create the ticket (413: re-encode the screenshots, then split the attachments off).
  while (!item.ticket) {
    const group = cfg.group || (await at('groups', async () => (await listGroups(z())).find((g) => g.active)?.name ?? 'Users'));
    const withAttachments = !item.split;
    const payload = await ticketPayload(item, me, group, cfg, withAttachments);
    item = await save({ maybeCommitted: true });
    try {
      const ref = await createTicket(z(withAttachments ? bytesOf(item.attachments) : 0), payload);
      item = await save({ ticket: ref, ticketUrl: ticketUrl(cfg.url, ref.id), maybeCommitted: false });
    } catch (e) {
      const d = classify(e, 'create');
      // Answers given before anything was stored: the create is known not to have landed.
      if (d.action !== 'retry' || !d.ambiguous) item = await save({ maybeCommitted: false });
      if (d.action !== 'shrink') throw new StepFailure('create', e);
      const everything = new Set(item.attachments.map((a) => a.filename));
      if (!item.split && (await shrinkSome(item, everything, deps, save, MAX_SHRINK_LEVEL))) {
        item = (await getItem(item.id)) ?? item;
        continue;
      }
      if (!item.split && item.attachments.length > 0) {
        item = await save({ split: true });
        continue;
      }
      throw new Attention('tooLarge', d.message);
    }
  }

  // 3. Read the articles back: every attachment must be there with its exact size (Zammad can
  //    drop or truncate silently). Send what is missing as follow-up articles, then check again.
  const ticketId = item.ticket.id;
  for (;;) {
    const articles = await at('verify', () => articlesOf(z(), ticketId));
    const missing = missingAttachments(item.attachments, articles);
    if (missing.length === 0) return;
    if (item.followUps >= MAX_FOLLOW_UPS) throw new Attention('incomplete', missing.map((a) => a.filename).join(', '));
    const batch = item.split ? missing.slice(0, 1) : missing;
    item = await save({ followUps: item.followUps + 1 });
    try {
      await addArticle(z(bytesOf(batch)), ticketId, await followUpArticle(item, batch, agent));
    } catch (e) {
      const d = classify(e, 'follow-up');
      if (d.action !== 'shrink') throw new StepFailure('follow-up', e);
      if (batch.length > 1) {
        item = await save({ split: true });
        continue;
      }
      // One file alone is too large: re-encode it further (one level past the create's).
      if (await shrinkSome(item, new Set(batch.map((a) => a.filename)), deps, save, SHRINK_STEPS.length)) {
        item = (await getItem(item.id)) ?? item;
        continue;
      }
      throw new Attention('tooLarge', `${batch[0]!.filename}: ${d.message}`);
    }
    // The next read-back is the check; a lost answer above is settled by it too.
  }
}

/** A fingerprint form_config accepts (more than 30 characters), stable for the report. */
export const formFingerprint = (id: string): string => `temoin-${id}`;

async function deliverByForm(start: OutboxItem, cfg: DeliveryConfig, deps: DeliveryDeps, save: Save): Promise<void> {
  let item = start;
  if (item.ticket) return; // form_submit answered: there is nothing to read back without a token
  if (!cfg.reporterName.trim() || !cfg.reporterEmail.trim()) throw new Attention('formInvalid', 'name, email: required');
  const base = deps.timeoutMs ?? 30_000;
  const z = (bytes = 0) => ({ url: cfg.url, timeoutMs: uploadTimeoutMs(base, bytes), fetchImpl: deps.fetchImpl });

  if (item.maybeCommitted) {
    // A submit may have landed. Without a token there is no way to look; with one, look.
    if (!cfg.token) throw new Attention('formUncertain', item.lastError ?? '');
    const [found] = await at('search', () => findByMarker({ url: cfg.url, token: cfg.token, timeoutMs: base, fetchImpl: deps.fetchImpl }, item.id));
    if (found) {
      await save({ ticket: found, ticketUrl: ticketUrl(cfg.url, found.id), maybeCommitted: false });
      return;
    }
    item = await save({ maybeCommitted: false });
  }

  const fingerprint = formFingerprint(item.id);
  for (let renewed = false; ; ) {
    const token = await at('form-config', () => formConfig(z(), fingerprint));
    item = await save({ maybeCommitted: true });
    try {
      const res = await formSubmit(z(bytesOf(item.attachments)), {
        fingerprint,
        token,
        name: cfg.reporterName.trim(),
        email: cfg.reporterEmail.trim(),
        title: item.title,
        body: htmlToText(bodyWithMarker(item.bodyHtml, item.id)),
        files: item.attachments,
      });
      if (!res.ok) {
        await save({ maybeCommitted: false });
        throw new Attention('formInvalid', Object.entries(res.errors).map(([k, v]) => `${k}: ${v}`).join(', '));
      }
      await save({ ticket: res.ticket, ticketUrl: ticketUrl(cfg.url, res.ticket.id), maybeCommitted: false });
      return;
    } catch (e) {
      if (e instanceof Attention) throw e;
      const d = classify(e, 'form');
      if (!(d.action === 'retry' && d.ambiguous)) item = await save({ maybeCommitted: false });
      // 401: the form token expired or was refused (nothing stored): fetch a new one, once.
      if (e instanceof ZammadError && e.status === 401 && !renewed) {
        renewed = true;
        continue;
      }
      if (d.action === 'shrink') {
        if (await shrinkSome(item, new Set(item.attachments.map((a) => a.filename)), deps, save, SHRINK_STEPS.length)) {
          item = (await getItem(item.id)) ?? item;
          continue;
        }
        throw new Attention('tooLarge', d.message);
      }
      if (d.action === 'retry' && d.ambiguous && !cfg.token) throw new Attention('formUncertain', d.message);
      throw new StepFailure('form', e);
    }
  }
}
