/** §3 ticket articles, attachment download, §10.3. */
import { beforeEach, describe, expect, it } from 'vitest';
import { b64, PNG_1x1, SEED_TOKENS, useStandIn, ticketBody } from './helpers';

const h = useStandIn({ reset: false });
beforeEach(async () => {
  h.standIn.reset();
  const r = await h.api('POST', '/api/v1/tickets', ticketBody({ customer_id: 3 }));
  expect(r.status).toBe(201);
});

describe('POST /api/v1/ticket_articles', () => {
  it('201 with the §3 shape: string size, Mime-Type, type, sender, created_by', async () => {
    const r = await h.api('POST', '/api/v1/ticket_articles', {
      ticket_id: 1,
      subject: 'More logs',
      body: 'See attached.',
      content_type: 'text/plain',
      type: 'note',
      internal: false,
      attachments: [{ filename: 'trace.txt', data: 'dGVzdA==', 'mime-type': 'text/plain' }],
    });
    expect(r.status).toBe(201);
    const a = r.json();
    expect(a).toMatchObject({
      id: 2,
      ticket_id: 1,
      type_id: 10,
      sender_id: 1,
      from: 'Agent Témoin',
      to: null,
      cc: null,
      subject: 'More logs',
      reply_to: null,
      message_id: null,
      content_type: 'text/plain',
      body: 'See attached.',
      internal: false,
      preferences: {},
      updated_by_id: 2,
      created_by_id: 2,
      origin_by_id: null,
      type: 'note',
      sender: 'Agent',
      created_by: 'agent@axialys.example',
      updated_by: 'agent@axialys.example',
      time_unit: null,
    });
    expect(a.attachments).toEqual([{ id: 1, filename: 'trace.txt', size: '4', preferences: { 'Mime-Type': 'text/plain' } }]);
    expect(typeof a.attachments[0].size).toBe('string');
    expect(r.headers['access-control-allow-origin']).toBe('*');
    const [t] = await h.stored();
    expect(t.article_count).toBe(2);
    expect(t.articles.map((x: any) => x.id)).toEqual([1, 2]);
  });

  it('unknown ticket: 404', async () => {
    const r = await h.api('POST', '/api/v1/ticket_articles', { ticket_id: 999, body: 'x' });
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ error: "Couldn't find Ticket with 'id'=999", error_human: "Couldn't find Ticket with 'id'=999" });
  });

  it('missing ticket_id: 404', async () => {
    const r = await h.api('POST', '/api/v1/ticket_articles', { body: 'x' });
    expect(r.status).toBe(404);
    expect(r.json().error).toBe("Couldn't find Ticket without an ID");
  });

  it('same validation as the nested article, and atomic', async () => {
    let r = await h.api('POST', '/api/v1/ticket_articles', { ticket_id: 1, body: '' });
    expect(r.status).toBe(422);
    expect(r.json()).toEqual({ error: "Need at least an 'article body' field.", error_human: "Need at least an 'article body' field." });
    r = await h.api('POST', '/api/v1/ticket_articles', {
      ticket_id: 1,
      body: 'x',
      attachments: [{ filename: 'a', data: 'YQ==', 'mime-type': 'text/plain' }, { filename: 'b', 'mime-type': 'text/plain' }],
    });
    expect(r.status).toBe(422);
    expect(r.json().error).toBe("Attachment needs 'data' param for attachment with index '1'");
    expect((await h.stored())[0].articles).toHaveLength(1);
  });

  it('the ticket customer may add a web article (forced sender/internal); other customers may not', async () => {
    const r = await h.api('POST', '/api/v1/ticket_articles', { ticket_id: 1, body: 'Merci', type: 'web', internal: true }, SEED_TOKENS.customer);
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({ type: 'web', sender: 'Customer', internal: false, from: 'Client Démo <client@demo.example>' });
    await h.api('POST', '/api/v1/tickets', ticketBody());
    const denied = await h.api('POST', '/api/v1/ticket_articles', { ticket_id: 2, body: 'x' }, SEED_TOKENS.customer);
    expect(denied.status).toBe(403);
    expect(denied.json()).toEqual({ error: 'Not authorized', error_human: 'Not authorized' });
  });

  it('inline images are listed out of attachments and the body points to the download URL', async () => {
    const body = `<p>x</p><img src="data:image/png;base64,${PNG_1x1.toString('base64')}">`;
    const r = await h.api('POST', '/api/v1/ticket_articles', {
      ticket_id: 1,
      body,
      content_type: 'text/html',
      attachments: [{ filename: 'a.txt', data: b64('a'), 'mime-type': 'text/plain' }],
    });
    expect(r.status).toBe(201);
    const a = r.json();
    expect(a.attachments.map((f: any) => f.filename)).toEqual(['a.txt']);
    expect(a.body).toBe('<p>x</p><img style="max-width:100%;" src="/api/v1/ticket_attachment/1/2/1?view=inline">');
    const stored = (await h.stored())[0].articles[1].attachments;
    expect(stored.map((f: any) => f.filename)).toEqual(['image1.png', 'a.txt']);
  });
});

describe('reading articles and attachments', () => {
  beforeEach(async () => {
    await h.api('POST', '/api/v1/ticket_articles', {
      ticket_id: 1,
      body: 'internal',
      internal: true,
      attachments: [{ filename: 'shot.png', data: PNG_1x1.toString('base64'), 'mime-type': 'image/png' }],
    });
  });

  it('GET by_ticket lists the articles in order (internal hidden from customers)', async () => {
    const agent = await h.api('GET', '/api/v1/ticket_articles/by_ticket/1');
    expect(agent.status).toBe(200);
    expect(agent.json().map((a: any) => a.id)).toEqual([1, 2]);
    expect(agent.json()[1].attachments).toEqual([{ id: 1, filename: 'shot.png', size: String(PNG_1x1.length), preferences: { 'Mime-Type': 'image/png' } }]);
    const customer = await h.api('GET', '/api/v1/ticket_articles/by_ticket/1', undefined, SEED_TOKENS.customer);
    expect(customer.json().map((a: any) => a.id)).toEqual([1]);
    expect((await h.api('GET', '/api/v1/ticket_articles/by_ticket/77')).status).toBe(404);
  });

  it('GET /ticket_articles/:id', async () => {
    const r = await h.api('GET', '/api/v1/ticket_articles/2');
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ id: 2, ticket_id: 1, internal: true, body: 'internal' });
    const missing = await h.api('GET', '/api/v1/ticket_articles/99');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: "Couldn't find Ticket::Article with 'id'=99", error_human: "Couldn't find Ticket::Article with 'id'=99" });
    expect((await h.api('GET', '/api/v1/ticket_articles/2', undefined, SEED_TOKENS.customer)).status).toBe(403);
  });

  it('GET /ticket_attachment/:t/:a/:id returns the raw bytes with the mime type', async () => {
    const r = await h.request('GET', '/api/v1/ticket_attachment/1/2/1', { token: SEED_TOKENS.agent });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['content-disposition']).toMatch(/^inline; filename="shot.png"/);
    expect(r.body.equals(PNG_1x1)).toBe(true);
  });

  it('attachment errors', async () => {
    let r = await h.api('GET', '/api/v1/ticket_attachment/1/1/1');
    expect(r.status).toBe(403);
    expect(r.json().error).toBe('Requested file id is not linked with article_id.');
    await h.api('POST', '/api/v1/tickets', ticketBody());
    r = await h.api('GET', '/api/v1/ticket_attachment/2/2/1');
    expect(r.status).toBe(403);
    expect(r.json().error).toBe('No access, article_id/ticket_id is not matching.');
    r = await h.api('GET', '/api/v1/ticket_attachment/9/2/1');
    expect(r.status).toBe(404);
    expect(r.json().error).toBe("Couldn't find Ticket with 'id'=9");
  });
});
