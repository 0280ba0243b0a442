/**
 * The outbox and the Zammad client against the stand-in, over real HTTP: every fault of the
 * matrix ends as exactly one ticket holding every attachment byte for byte (counted on the
 * stand-in's own store), and the failures that need the user keep the report.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createZammadStandIn } from '../../dev/zammad/index';
import { ticketPayload } from '../../lib/delivery/deliver';
import { getItem, updateItem, type StoredAttachment } from '../../lib/delivery/outbox';
import { createTicket, getMe } from '../../lib/delivery/zammad';
import { SEED_TOKENS, useStandIn } from './helpers';
import { clearOutbox, config, expectExactlyOneCompleteTicket, makeReport, queue, settle, testRunner, ticketsWith, T0 } from './delivery-helpers';

const h = useStandIn();
const TICKETS = '/api/v1/tickets';

beforeEach(async () => {
  await clearOutbox();
});

describe('delivery: the happy path', () => {
  it('files one ticket with the fields, tags, marker and every attachment, then reads it back', async () => {
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ surface: 'supervision' }));
    const item = await settle(r, report.id);
    const ticket = await expectExactlyOneCompleteTicket(h, item);
    expect(ticket.title).toBe(report.title);
    expect(ticket.tags).toEqual(['temoin', 'supervision']);
    expect(ticket.articles).toHaveLength(1); // nothing was missing: no follow-up
    const [article] = ticket.articles;
    expect(article!.internal).toBe(false);
    expect(article!.type_id).toBe(10); // note (agent token)
    expect(article!.body).toContain(`Réf. Témoin : ${report.id}`);
    expect(article!.body).toContain('Plus de son &amp; le bouton');
    expect(item.attempts).toBe(0);
    // Nothing left to wake up for.
    expect(r.scheduled.at(-1)).toBeNull();
  });

  it('a customer token files a web article as that customer (no customer_id sent)', async () => {
    const r = testRunner(config(h, { token: SEED_TOKENS.customer }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 1 }));
    const item = await settle(r, report.id);
    const ticket = await expectExactlyOneCompleteTicket(h, item);
    expect(ticket.articles[0]!.type_id).toBe(11); // web
    const stored = (await h.stored()).find((t: { id: number }) => t.id === ticket.id);
    expect(stored.customer_id).toBe(3);
  });

  it('an agent token files for the reporter when their e-mail is set (guess:)', async () => {
    const r = testRunner(config(h, { reporterEmail: 'marie.durand@client.example' }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    await settle(r, report.id);
    const [ticket] = await ticketsWith(h, report.id);
    const stored = (await h.stored()).find((t: { id: number }) => t.id === ticket!.id);
    expect(stored.customer_id).toBeGreaterThanOrEqual(10); // a user created by guess:
  });

  it('an empty group setting takes the first active group the token sees', async () => {
    const r = testRunner(config(h, { group: '' }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    const item = await settle(r, report.id);
    expect(item.state).toBe('sent');
    const stored = (await h.stored()).find((t: { id: number }) => t.id === item.ticket!.id);
    expect(stored.group_id).toBe(1);
  });

  it('enqueue is idempotent on the marker: queued twice, filed once', async () => {
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = makeReport({ images: 1 });
    await queue(report);
    await queue({ ...report, title: 'changed' });
    const item = await settle(r, report.id);
    expect(item.title).toBe(report.title);
    await expectExactlyOneCompleteTicket(h, item);
  });
});

describe('delivery: the fault matrix ends as exactly one complete ticket', () => {
  it.each([
    ['500 (Zammad masked error)', { status: 500, times: 2 }],
    ['503 (nginx)', { status: 503, times: 3 }],
    ['429 (Rack::Attack)', { rateLimit429: 2 }],
    ['a dropped connection', { dropConnection: 2 }],
  ])('%s on the create', async (_name, knob) => {
    await h.knobs({ ...knob, path: TICKETS, method: 'POST' });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = await queue(makeReport());
    const item = await settle(r, report.id);
    await expectExactlyOneCompleteTicket(h, item);
    // Each failure was retried on the schedule (the backoff grew), not in a tight loop.
    const waits = r.scheduled.filter((x): x is number => x !== null);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[1]! - waits[0]!).toBeGreaterThan(0);
  });

  it('429 and 5xx are retried later with a growing backoff, and the last error is kept meanwhile', async () => {
    await h.knobs({ status: 503, times: 3, path: TICKETS, method: 'POST' });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await r.flush();
      const item = (await getItem(report.id))!;
      expect(item.state).toBe('queued');
      expect(item.lastError).toBe('HTTP 503');
      expect(item.attempts).toBe(i + 1);
      delays.push(item.nextAttemptAt - r.clock.now);
      r.clock.now = item.nextAttemptAt;
    }
    expect(delays[1]).toBeGreaterThan(delays[0]!);
    expect(delays[2]).toBeGreaterThan(delays[1]!);
    expect(await ticketsWith(h, report.id)).toHaveLength(0);
    await expectExactlyOneCompleteTicket(h, await settle(r, report.id));
  });

  it('a timeout after the commit: the marker is found, nothing is posted twice', async () => {
    await h.knobs({ timeoutAfterCommit: true });
    const r = testRunner(config(h), { timeoutMs: 400 });
    const report = await queue(makeReport({ images: 1, imageBytes: 2000 }));
    await r.flush();
    const after = (await getItem(report.id))!;
    expect(after).toMatchObject({ state: 'queued', maybeCommitted: true, ticket: null, lastError: 'timeout' });
    expect(await ticketsWith(h, report.id)).toHaveLength(1); // committed before the silence
    const item = await settle(r, report.id);
    await expectExactlyOneCompleteTicket(h, item);
  });

  it('the connection dropped after the commit (legacy search answer shape too)', async () => {
    await h.knobs({ timeoutAfterCommit: { destroyAfterMs: 0 }, legacySearchShape: true });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = await queue(makeReport());
    const item = await settle(r, report.id);
    await expectExactlyOneCompleteTicket(h, item);
    expect(item.attempts).toBe(0);
  });

  it('413 once: the screenshots are re-encoded smaller and the create retried', async () => {
    await h.knobs({ status: 413, path: TICKETS, method: 'POST' });
    const shrunk: string[] = [];
    const r = testRunner(config(h), {
      timeoutMs: 10_000,
      // Stands for the OffscreenCanvas re-encoder: a smaller, different image.
      shrink: async (a: StoredAttachment, level: number) => {
        shrunk.push(`${a.filename}@${level}`);
        const bytes = Buffer.from(await a.data.arrayBuffer());
        return new Blob([bytes.subarray(0, Math.floor(bytes.length / 2))], { type: a.mimeType });
      },
    });
    const report = await queue(makeReport());
    const item = await settle(r, report.id);
    expect(shrunk).toEqual(['capture-1.jpg@1', 'capture-2.jpg@1']);
    expect(item.attachments.map((a) => [a.filename, a.level])).toEqual([
      ['capture-1.jpg', 1],
      ['capture-2.jpg', 1],
      ['context.json', 0],
      ['report.html', 0],
    ]);
    expect(item.split).toBe(false);
    await expectExactlyOneCompleteTicket(h, item);
  });

  it('413 that re-encoding cannot cure: the attachments go one per follow-up article', async () => {
    const report = makeReport({ images: 3, imageBytes: 60_000 });
    // nginx's cap: below all of it, above any single file (base64 + JSON).
    await h.knobs({ maxBodyBytes: 150_000 });
    const r = testRunner(config(h), { timeoutMs: 10_000, shrink: async () => null });
    await queue(report);
    const item = await settle(r, report.id);
    expect(item.split).toBe(true);
    const ticket = await expectExactlyOneCompleteTicket(h, item);
    expect(ticket.articles[0]!.attachments).toEqual([]);
    expect(ticket.articles[0]!.body).toContain('Pièces jointes (5)');
    expect(ticket.articles.slice(1).map((a) => a.attachments.map((f) => f.filename))).toEqual([
      ['capture-1.jpg'],
      ['capture-2.jpg'],
      ['capture-3.jpg'],
      ['context.json'],
      ['report.html'],
    ]);
  });

  it('a single file too large even alone and re-encoded: needs attention, the ticket is kept', async () => {
    const report = makeReport({ images: 1, imageBytes: 200_000 });
    await h.knobs({ maxBodyBytes: 100_000 });
    const r = testRunner(config(h), { timeoutMs: 10_000, shrink: async () => null });
    await queue(report);
    const item = await settle(r, report.id);
    expect(item.state).toBe('needs-attention');
    expect(item.reason?.key).toBe('tooLarge');
    expect(item.reason?.detail).toContain('capture-1.jpg');
    expect(await ticketsWith(h, report.id)).toHaveLength(1);
  });

  it.each([['dropLastAttachment'], ['truncateLastAttachment']])('%s (silent loss): the read-back finds it and a follow-up re-sends it', async (knob) => {
    await h.knobs({ [knob]: 1 });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = await queue(makeReport());
    const item = await settle(r, report.id);
    const ticket = await expectExactlyOneCompleteTicket(h, item);
    expect(ticket.articles).toHaveLength(2);
    expect(ticket.articles[1]!.attachments.map((a) => a.filename)).toEqual(['report.html']);
    expect(item.followUps).toBe(1);
  });

  it('a follow-up whose answer is lost is not sent twice: the read-back sees it landed', async () => {
    await h.knobs({ dropLastAttachment: 1 });
    await h.knobs({ timeoutAfterCommit: { destroyAfterMs: 0 }, path: '/api/v1/ticket_articles', method: 'POST' });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 1 }));
    const item = await settle(r, report.id);
    const ticket = await expectExactlyOneCompleteTicket(h, item);
    expect(ticket.articles).toHaveLength(2);
  });

  it('the stand-in down, then back', async () => {
    // A stand-in of our own, on a port that can be closed and opened again.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zammad-down-'));
    const standIn = createZammadStandIn({ dataDir });
    const listen = async (port = 0) => {
      const s = http.createServer((req, res) => standIn.handle(req, res));
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      return s;
    };
    let server = await listen();
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    try {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const r = testRunner({ ...config(h), url: base }, { timeoutMs: 10_000 });
      const report = await queue(makeReport());
      for (let i = 0; i < 3; i++) {
        await r.flush();
        const item = (await getItem(report.id))!;
        expect(item.state).toBe('queued');
        expect(item.attempts).toBe(i + 1);
        r.clock.now = item.nextAttemptAt;
      }
      server = await listen(port);
      const item = await settle(r, report.id);
      const stored = JSON.parse(await (await fetch(`${base}/__standin/tickets`)).text()) as { articles: { body: string }[] }[];
      expect(stored.filter((t) => t.articles.some((a) => a.body.includes(report.id)))).toHaveLength(1);
      expect(item.state).toBe('sent');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('many reports queued while Zammad is down all go once it is back (none lost, none doubled)', async () => {
    await h.knobs({ status: 503, times: 10, path: TICKETS, method: 'POST' });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const reports = [];
    for (let i = 0; i < 8; i++) reports.push(await queue(makeReport({ images: 1, imageBytes: 1000 })));
    for (const rep of reports) await settle(r, rep.id);
    const all = await h.stored();
    expect(all).toHaveLength(8);
    for (const rep of reports) expect(await ticketsWith(h, rep.id)).toHaveLength(1);
  });
});

describe('delivery: resuming after the worker died, and single flight', () => {
  it('a report left "sending" whose create had landed is found by its marker, not filed again', async () => {
    const report = await queue(makeReport());
    // What the dead worker did: it marked the report, posted the create, and died before the answer.
    const cfg = config(h);
    const zcfg = { url: h.base, token: cfg.token };
    const item0 = (await getItem(report.id))!;
    await createTicket(zcfg, await ticketPayload(item0, await getMe(zcfg), 'Users', cfg, true));
    await updateItem(report.id, (cur) => ({ ...cur, state: 'sending', maybeCommitted: true }), T0);
    const r = testRunner(cfg, { timeoutMs: 10_000 });
    r.clock.now = T0 + 1000;
    await r.flush();
    // Too early: a create still being processed must land before the search looks for it.
    expect((await getItem(report.id))!.state).toBe('sending');
    expect(r.scheduled.at(-1)).toBe(T0 + 5000);
    const item = await settle(r, report.id);
    await expectExactlyOneCompleteTicket(h, item);
  });

  it('a report left "sending" whose create never arrived is filed once', async () => {
    const report = await queue(makeReport());
    await updateItem(report.id, (cur) => ({ ...cur, state: 'sending', maybeCommitted: true }), T0);
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const item = await settle(r, report.id);
    await expectExactlyOneCompleteTicket(h, item);
  });

  it('flushes asked for at the same time (messages and an alarm) never send a report twice', async () => {
    await h.knobs({ delayMs: 150, times: 1, path: TICKETS, method: 'POST' });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const reports = [await queue(makeReport({ images: 1 })), await queue(makeReport({ images: 1 }))];
    await Promise.all([r.flush(), r.flush(), r.flush(), r.flush()]);
    for (const rep of reports) await expectExactlyOneCompleteTicket(h, (await getItem(rep.id))!);
    expect(await h.stored()).toHaveLength(2);
  });
});

describe('delivery: what needs the user keeps the report', () => {
  it('a wrong token: needs attention (auth), kept; the fixed token sends it', async () => {
    const r = testRunner(config(h, { token: 'not-a-real-token' }), { timeoutMs: 10_000 });
    const report = await queue(makeReport());
    let item = await settle(r, report.id);
    expect(item.state).toBe('needs-attention');
    expect(item.reason).toEqual({ key: 'auth', detail: "Can't find User for Token" });
    expect(await h.stored()).toHaveLength(0);
    // Nothing retries on its own…
    r.clock.now += 3600_000;
    await r.flush();
    expect((await getItem(report.id))!.state).toBe('needs-attention');
    // …until the settings change.
    r.cfg = config(h);
    expect(await r.requeueForSettings()).toBe(1);
    item = await settle(r, report.id);
    await expectExactlyOneCompleteTicket(h, item);
  });

  it.each([
    ['an expired token', SEED_TOKENS.expired, 'Not authorized (token expired)!'],
    ['a token without ticket rights', SEED_TOKENS.noTicketPermission, 'Not authorized (token)!'],
  ])('%s needs attention with Zammad’s words', async (_n, token, detail) => {
    const r = testRunner(config(h, { token }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    const item = await settle(r, report.id);
    expect(item.reason).toEqual({ key: 'auth', detail });
  });

  it('no token: needs attention (noToken) without calling Zammad', async () => {
    const r = testRunner(config(h, { token: '' }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    expect((await settle(r, report.id)).reason?.key).toBe('noToken');
  });

  it('422: Zammad’s error_human is shown and the report kept; a retry after the fix sends it', async () => {
    const r = testRunner(config(h, { group: 'Groupe inconnu' }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 1 }));
    let item = await settle(r, report.id);
    expect(item.state).toBe('needs-attention');
    expect(item.reason).toEqual({ key: 'invalid', detail: `No lookup value found for 'group': "Groupe inconnu"` });
    expect(item.maybeCommitted).toBe(false);
    r.cfg = config(h);
    await r.retry(report.id);
    item = await settle(r, report.id);
    await expectExactlyOneCompleteTicket(h, item);
  });

  it('a missing host permission for a custom Zammad: needs attention (permission)', async () => {
    const r = testRunner(config(h), { timeoutMs: 10_000, hasHostPermission: async () => false });
    const report = await queue(makeReport({ images: 0 }));
    const item = await settle(r, report.id);
    expect(item.reason).toEqual({ key: 'permission', detail: new URL(h.base).origin });
    expect(await h.stored()).toHaveLength(0);
  });

  it('export mode: needs attention (exportMode) at once, nothing sent', async () => {
    const r = testRunner(config(h, { mode: 'export' }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    expect((await settle(r, report.id)).reason?.key).toBe('exportMode');
    expect(await h.stored()).toHaveLength(0);
  });

  it('a report deleted while being sent stays deleted', async () => {
    await h.knobs({ delayMs: 200, times: 1, path: TICKETS, method: 'POST' });
    const r = testRunner(config(h), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    const flushing = r.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { deleteItem } = await import('../../lib/delivery/outbox');
    await deleteItem(report.id);
    await flushing;
    expect(await getItem(report.id)).toBeNull();
  });
});

describe('delivery: form mode (no token)', () => {
  const form = (patch = {}) => config(h, { mode: 'form', token: '', reporterName: 'Marie Durand', reporterEmail: 'marie.durand@client.example', ...patch });

  it('files the report through form_config + form_submit with its files', async () => {
    await h.knobs({ formEnabled: true });
    const r = testRunner(form(), { timeoutMs: 10_000 });
    const report = await queue(makeReport());
    const item = await settle(r, report.id);
    expect(item.mode).toBe('form');
    const ticket = await expectExactlyOneCompleteTicket(h, item);
    expect(ticket.articles[0]!.type_id).toBe(11); // web
    expect(ticket.articles[0]!.body).toContain(report.id);
    expect(ticket.articles[0]!.body).toContain('Plus de son & le bouton');
  });

  it('the form switched off: needs attention (formDisabled)', async () => {
    const r = testRunner(form(), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    expect((await settle(r, report.id)).reason?.key).toBe('formDisabled');
  });

  it('an e-mail the form refuses: needs attention (formInvalid) with the field', async () => {
    await h.knobs({ formEnabled: true });
    const r = testRunner(form({ reporterEmail: 'someone@nowhere.invalid' }), { timeoutMs: 10_000 });
    const report = await queue(makeReport({ images: 0 }));
    expect((await settle(r, report.id)).reason).toEqual({ key: 'formInvalid', detail: 'email: invalid' });
  });

  it('no answer after the submit, no token to look with: needs attention (formUncertain), never re-sent blindly', async () => {
    await h.knobs({ formEnabled: true, timeoutAfterCommit: true, path: '/api/v1/form_submit' });
    const r = testRunner(form(), { timeoutMs: 400 });
    const report = await queue(makeReport({ images: 0 }));
    const item = await settle(r, report.id);
    expect(item.reason?.key).toBe('formUncertain');
    expect(await ticketsWith(h, report.id)).toHaveLength(1);
  });
});
