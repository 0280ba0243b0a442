/** §2 POST /api/v1/tickets and checklist §10.2. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { b64, MASKED, PNG_1x1, SEED_TOKENS, useStandIn, startStandIn, ticketBody } from './helpers';

const h = useStandIn();

const create = (body: unknown, token: string = SEED_TOKENS.agent, query = '') => h.api('POST', `/api/v1/tickets${query}`, body, token);

async function expect422(body: unknown, message: string, token: string = SEED_TOKENS.agent) {
  const r = await create(body, token);
  expect(r.status).toBe(422);
  expect(r.json()).toEqual({ error: message, error_human: message });
  expect(r.headers['x-failure']).toBeUndefined();
  expect(await h.stored()).toEqual([]);
  return r;
}

async function expectMasked(body: unknown, status: number, token: string = SEED_TOKENS.agent) {
  const r = await create(body, token);
  expect(r.status).toBe(status);
  expect(Object.keys(r.json())).toEqual(['error']);
  expect(r.json().error).toMatch(MASKED);
  expect(await h.stored()).toEqual([]);
}

describe('201 response (§2.2)', () => {
  it('has the documented shape with a string number, article_ids and owner_id 1', async () => {
    const r = await create(ticketBody());
    expect(r.status).toBe(201);
    const t = r.json();
    expect(t).toMatchObject({
      id: 1,
      group_id: 1,
      priority_id: 2,
      state_id: 1,
      organization_id: null,
      number: '31001',
      title: 'Softphone drops calls after 30s',
      owner_id: 1,
      note: null,
      first_response_at: null,
      close_at: null,
      last_contact_at: null,
      create_article_type_id: 10,
      create_article_sender_id: 1,
      article_count: 1,
      escalation_at: null,
      pending_time: null,
      type: null,
      time_unit: null,
      preferences: {},
      updated_by_id: 2,
      created_by_id: 2,
      checklist_id: null,
      ticket_time_accounting_ids: [],
    });
    expect(t.article_ids).toEqual([1]);
    for (const k of ['first_response_escalation_at', 'close_escalation_at', 'update_escalation_at', 'first_response_in_min', 'close_diff_in_min', 'last_owner_update_at', 'last_close_at']) {
      expect(t[k]).toBeNull();
    }
    expect(t.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('numbers are <systemId><zero-padded counter>, at least 5 digits, as strings', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await create(ticketBody())).json().number);
    expect(numbers).toEqual(['31001', '31002', '31003']);
  });

  it('another system id and a longer counter', async () => {
    const other = await startStandIn({ systemId: 7 });
    try {
      const r = await other.api('POST', '/api/v1/tickets', ticketBody());
      expect(r.json().number).toBe('70001');
    } finally {
      await other.close();
    }
  });

  it('?expand=true adds names', async () => {
    const r = await create(ticketBody({ group: 'Support technique', priority: '3 high' }), SEED_TOKENS.agent, '?expand=true');
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({
      group_id: 2,
      group: 'Support technique',
      state: 'new',
      priority: '3 high',
      customer: 'jane.doe@example.com',
      created_by: 'agent@axialys.example',
      owner: '-',
    });
  });

  it('?full=true returns {id, assets}', async () => {
    const r = await create(ticketBody(), SEED_TOKENS.agent, '?full=true');
    expect(r.status).toBe(201);
    const body = r.json();
    expect(body.id).toBe(1);
    expect(body.assets.Ticket['1'].number).toBe('31001');
  });

  it('a ticket can be created without an article', async () => {
    const { article: _a, ...noArticle } = ticketBody();
    const r = await create(noArticle);
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({ article_ids: [], article_count: 0, create_article_type_id: null });
  });
});

describe('lookups (§2.1, §2.3)', () => {
  it('group, state and priority by name or id', async () => {
    const r = await create(ticketBody({ group: undefined, group_id: 2, state: 'open', priority_id: 1 }));
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({ group_id: 2, state_id: 2, priority_id: 1 });
  });

  it('unknown group name', async () => {
    await expect422(ticketBody({ group: 'Nope' }), `No lookup value found for 'group': "Nope"`);
  });

  it('unknown state name', async () => {
    await expect422(ticketBody({ state: 'bogus' }), `No lookup value found for 'state': "bogus"`);
  });

  it('unknown priority name', async () => {
    await expect422(ticketBody({ priority: '9 urgent' }), `No lookup value found for 'priority': "9 urgent"`);
  });

  it('unknown customer login/email', async () => {
    await expect422(ticketBody({ customer_id: undefined, customer: 'x@y.example' }), `No lookup value found for 'customer': "x@y.example"`);
  });

  it('customer by login', async () => {
    const r = await create(ticketBody({ customer_id: undefined, customer: 'client@demo.example' }));
    expect(r.status).toBe(201);
    expect(r.json().customer_id).toBe(3);
  });

  it('missing group', async () => {
    await expect422(ticketBody({ group: undefined }), "The required value 'group_id' is missing.");
  });

  it('an agent without access to the group: 403 Not authorized', async () => {
    const r = await create(ticketBody({ group: 'Archives 2019' }));
    expect(r.status).toBe(403);
    expect(r.json()).toEqual({ error: 'Not authorized', error_human: 'Not authorized' });
    expect(r.headers['x-failure']).toBe('Not authorized');
    expect(await h.stored()).toEqual([]);
  });

  it('owner_id 0: 422 Invalid value', async () => {
    await expect422(ticketBody({ owner_id: 0 }), "Invalid value for param 'owner_id': 0");
  });

  it('owner_id null means unassigned (1); a real agent id is kept', async () => {
    expect((await create(ticketBody({ owner_id: null }))).json().owner_id).toBe(1);
    expect((await create(ticketBody({ owner_id: 2 }))).json().owner_id).toBe(2);
  });

  it('an agent create without any customer: 422 Attribute required', async () => {
    await expect422(ticketBody({ customer_id: undefined }), "Attribute 'customer_id' required!");
  });

  it('an unknown customer id violates the foreign key: masked 422', async () => {
    await expectMasked(ticketBody({ customer_id: 999 }), 422);
  });

  it('Core Workflow: missing title → masked 422', async () => {
    await expectMasked(ticketBody({ title: '' }), 422);
  });

  it('Core Workflow: inactive state → masked 422', async () => {
    await expectMasked(ticketBody({ state: 'removed' }), 422);
  });
});

describe('customer_id guess: (§2.1)', () => {
  it('creates the user once and reuses it', async () => {
    const first = (await create(ticketBody({ customer_id: 'guess:New.Person@Example.com' }), SEED_TOKENS.agent, '?expand=true')).json();
    const second = (await create(ticketBody({ customer_id: 'guess:new.person@example.com' }))).json();
    expect(first.customer_id).toBe(second.customer_id);
    expect(first.customer).toBe('new.person@example.com');
    expect(first.customer_id).toBeGreaterThanOrEqual(10);
  });

  it('finds an existing user by email', async () => {
    expect((await create(ticketBody({ customer_id: 'guess:client@demo.example' }))).json().customer_id).toBe(3);
  });

  it('invalid email: 422 without error_human, and nothing stored', async () => {
    const r = await create(ticketBody({ customer_id: 'guess:not-an-email' }));
    expect(r.status).toBe(422);
    expect(r.json()).toEqual({ error: "Invalid email 'not-an-email' of customer" });
    expect(await h.stored()).toEqual([]);
  });

  it('a guess: user created by a failing create is rolled back', async () => {
    await expect422(ticketBody({ customer_id: 'guess:rollback@example.com' }, { body: '' }), "Need at least an 'article body' field.");
    expect(fs.existsSync(path.join(h.dataDir, 'users.json'))).toBe(false);
  });

  it('customer object: created when unknown', async () => {
    const r = await create(ticketBody({ customer_id: undefined, customer: { firstname: 'Zoé', lastname: 'Martin', email: 'zoe@example.org' } }), SEED_TOKENS.agent, '?expand=true');
    expect(r.status).toBe(201);
    expect(r.json().customer).toBe('zoe@example.org');
  });
});

describe('customer tokens (§2.4)', () => {
  it('owner/customer/preferences dropped, customer forced, sender Customer, internal false', async () => {
    const r = await create(
      ticketBody({ customer_id: 'guess:someone@example.com', owner_id: 2, preferences: { fc_ref: 'x' } }, { internal: true, sender: 'Agent' }),
      SEED_TOKENS.customer,
    );
    expect(r.status).toBe(201);
    const t = r.json();
    expect(t).toMatchObject({ customer_id: 3, owner_id: 1, preferences: {}, created_by_id: 3, create_article_sender_id: 3 });
    const [stored] = await h.stored();
    expect(stored.articles[0]).toMatchObject({ sender_id: 3, internal: false, type_id: 10 });
  });

  it('type web is kept, other types become note', async () => {
    await create(ticketBody({}, { type: 'web' }), SEED_TOKENS.customer);
    await create(ticketBody({}, { type: 'phone' }), SEED_TOKENS.customer);
    const stored = await h.stored();
    expect(stored.map((t: any) => t.articles[0].type_id)).toEqual([11, 10]);
  });

  it('guess: is ignored for customers (no user created)', async () => {
    await create(ticketBody({ customer_id: 'guess:not-an-email' }), SEED_TOKENS.customer);
    expect((await h.stored())[0].customer_id).toBe(3);
    expect(fs.existsSync(path.join(h.dataDir, 'users.json'))).toBe(false);
  });

  it('customers may use any active group', async () => {
    expect((await create(ticketBody({ group: 'Support technique' }), SEED_TOKENS.customer)).status).toBe(201);
  });

  it('Core Workflow for customers: inactive group or a non-viewable state → masked 422', async () => {
    await expectMasked(ticketBody({ group: 'Archives 2019' }), 422, SEED_TOKENS.customer);
    await expectMasked(ticketBody({ state: 'open' }), 422, SEED_TOKENS.customer);
    expect((await create(ticketBody({ state: 'closed' }), SEED_TOKENS.customer)).status).toBe(201);
  });

  it('customers cannot mention: 403', async () => {
    const r = await create(ticketBody({ mentions: [2] }), SEED_TOKENS.customer);
    expect(r.status).toBe(403);
    expect(r.json()).toEqual({
      error: 'You have insufficient permissions to mention other users.',
      error_human: 'You have insufficient permissions to mention other users.',
    });
    expect(await h.stored()).toEqual([]);
  });

  it('agents keep internal and preferences', async () => {
    const r = await create(ticketBody({ preferences: { fc_ref: 'FC-1' } }, { internal: true }));
    expect(r.json().preferences).toEqual({ fc_ref: 'FC-1' });
    expect((await h.stored())[0].articles[0].internal).toBe(true);
  });
});

describe('article body (§2.1)', () => {
  it('missing body', async () => {
    const body = ticketBody();
    delete (body.article as Record<string, unknown>).body;
    await expect422(body, "Need at least an 'article body' field.");
  });

  it('blank body', async () => {
    await expect422(ticketBody({}, { body: '' }), "Need at least an 'article body' field.");
    await expect422(ticketBody({}, { body: '  \n ' }), "Need at least an 'article body' field.");
  });

  it('an empty article hash is an article without body', async () => {
    await expect422({ ...ticketBody(), article: {} }, "Need at least an 'article body' field.");
  });

  it('body over 1,500,000 characters', async () => {
    await expect422(ticketBody({}, { body: 'x'.repeat(1_500_001) }), 'body of article is too large, 1500001 chars - only 1500000 allowed');
  });

  it('exactly 1,500,000 characters is accepted', async () => {
    expect((await create(ticketBody({}, { body: 'é'.repeat(1_500_000) }))).status).toBe(201);
  });

  it('content_type defaults to text/plain and from is the creator name', async () => {
    await create(ticketBody());
    expect((await h.stored())[0].articles[0]).toMatchObject({ content_type: 'text/plain', from: 'Agent Témoin', subject: 'Fault report' });
  });
});

describe('note and title (§2.1, §9)', () => {
  it('note over 250 characters', async () => {
    await expect422(ticketBody({ note: 'n'.repeat(251) }), 'Note is too long (maximum is 250 characters)');
  });

  it('note of 250 characters is fine', async () => {
    expect((await create(ticketBody({ note: 'n'.repeat(250) }))).json().note).toBe('n'.repeat(250));
  });

  it('tabs, CR and LF in the title and subject become spaces', async () => {
    const r = await create(ticketBody({ title: 'a\tb\r\nc' }, { subject: 's\tt\nu' }));
    expect(r.json().title).toBe('a b  c');
    expect((await h.stored())[0].articles[0].subject).toBe('s t u');
  });
});

describe('attachments (§2.1)', () => {
  const att = (over: Record<string, unknown> = {}) => ({ filename: 'console.log', data: b64('test 123'), 'mime-type': 'text/plain', ...over });

  it('are stored with Mime-Type and Charset preferences', async () => {
    const r = await create(ticketBody({}, { attachments: [att(), att({ filename: 'har.json', data: b64('{"log":{}}'), 'mime-type': 'application/json', charset: 'utf-8' })] }));
    expect(r.status).toBe(201);
    const files = (await h.stored())[0].articles[0].attachments;
    expect(files.map((f: any) => [f.filename, f.size, f.preferences])).toEqual([
      ['console.log', 8, { 'Mime-Type': 'text/plain' }],
      ['har.json', 10, { Charset: 'utf-8', 'Mime-Type': 'application/json' }],
    ]);
  });

  it.each(['filename', 'data', 'mime-type'])("missing '%s'", async (key) => {
    const a = att();
    delete (a as Record<string, unknown>)[key];
    await expect422(ticketBody({}, { attachments: [att(), a] }), `Attachment needs '${key}' param for attachment with index '1'`);
  });

  it('mime-type is checked before filename and data', async () => {
    await expect422(ticketBody({}, { attachments: [{}] }), "Attachment needs 'mime-type' param for attachment with index '0'");
  });

  it.each([
    ['a data: prefix', `data:text/plain;base64,${b64('test 123')}`],
    ['missing padding', 'dGVzdA'],
    ['invalid characters', 'dGVz*A=='],
    ['url-safe alphabet', '-_-_'],
    ['non-zero trailing bits', 'dGVzdB=='],
  ])('strict base64 rejects %s', async (_n, data) => {
    await expect422(ticketBody({}, { attachments: [att({ data })] }), "Invalid base64 for attachment with index '0'");
  });

  it('MIME-wrapped base64 (CR/LF) is accepted', async () => {
    const data = b64('x'.repeat(200)).replace(/(.{76})/g, '$1\r\n');
    expect((await create(ticketBody({}, { attachments: [att({ data })] }))).status).toBe(201);
    expect((await h.stored())[0].articles[0].attachments[0].size).toBe(200);
  });

  it('a failing second attachment stores nothing at all (atomic)', async () => {
    await expect422(ticketBody({}, { attachments: [att(), att({ data: 'bad!' })] }), "Invalid base64 for attachment with index '1'");
    expect(fs.existsSync(path.join(h.dataDir, 'attachments'))).toBe(false);
    expect(fs.existsSync(path.join(h.dataDir, 'tickets'))).toBe(false);
    // and the counter did not move
    expect((await create(ticketBody())).json()).toMatchObject({ id: 1, number: '31001' });
  });
});

describe('tags (§2.1)', () => {
  it('a comma-separated string, split and trimmed, empty items skipped, case-insensitive', async () => {
    await create(ticketBody({ tags: 'fault-capture, softphone ,,Softphone, ' }));
    const r = await h.api('GET', '/api/v1/tags?object=Ticket&o_id=1');
    expect(r.json()).toEqual({ tags: ['fault-capture', 'softphone'] });
  });

  it('an array breaks `.split`: masked 500, nothing stored', async () => {
    await expectMasked(ticketBody({ tags: ['a', 'b'] }), 500);
  });
});

describe('inline images (§9)', () => {
  it('data-URI images in text/html become image1.png, image2.jpeg attachments referenced by cid:', async () => {
    const html = `<p>Steps</p><p><img src="data:image/png;base64,${PNG_1x1.toString('base64')}"></p><img alt="b" src="data:image/jpeg;base64,${b64('jpegbytes')}">`;
    const r = await create(ticketBody({}, { body: html, content_type: 'text/html' }));
    expect(r.status).toBe(201);
    const article = (await h.stored())[0].articles[0];
    expect(article.attachments.map((a: any) => a.filename)).toEqual(['image1.png', 'image2.jpeg']);
    const [png, jpeg] = article.attachments;
    expect(png.preferences).toMatchObject({ 'Mime-Type': 'image/png', 'Content-Type': 'image/png', 'Content-Disposition': 'inline' });
    expect(png.preferences['Content-ID']).toMatch(/^1\.[0-9a-f-]{36}@zammad\.axialys\.net$/);
    expect(png.size).toBe(PNG_1x1.length);
    expect(jpeg.preferences['Mime-Type']).toBe('image/jpeg');
    expect(article.body).toContain(`src="cid:${png.preferences['Content-ID']}"`);
    expect(article.body).not.toContain('data:image');
    expect(fs.readFileSync(path.join(h.dataDir, png.file))).toEqual(PNG_1x1);
  });

  it('text/plain bodies are left alone', async () => {
    const body = `<img src="data:image/png;base64,${PNG_1x1.toString('base64')}">`;
    await create(ticketBody({}, { body }));
    const article = (await h.stored())[0].articles[0];
    expect(article.attachments).toEqual([]);
    expect(article.body).toBe(body);
  });

  it('scripts and event handlers are stripped from text/html', async () => {
    await create(ticketBody({}, { body: '<p onclick="x()">a</p><script>alert(1)</script>', content_type: 'text/html' }));
    expect((await h.stored())[0].articles[0].body).toBe('<p>a</p>');
  });
});

describe('GET /api/v1/tickets/:id', () => {
  it('returns the ticket; unknown id 404', async () => {
    await create(ticketBody());
    const r = await h.api('GET', '/api/v1/tickets/1');
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ id: 1, number: '31001', article_ids: [1] });
    const missing = await h.api('GET', '/api/v1/tickets/42');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: "Couldn't find Ticket with 'id'=42", error_human: "Couldn't find Ticket with 'id'=42" });
  });

  it("customers cannot read others' tickets", async () => {
    await create(ticketBody());
    const r = await h.api('GET', '/api/v1/tickets/1', undefined, SEED_TOKENS.customer);
    expect(r.status).toBe(403);
    expect(r.json()).toEqual({ error: 'Not authorized', error_human: 'Not authorized' });
  });
});

describe('GET /api/v1/tickets', () => {
  it('lists readable tickets by id', async () => {
    await create(ticketBody());
    await create(ticketBody(), SEED_TOKENS.customer);
    const agent = await h.api('GET', '/api/v1/tickets');
    expect(agent.status).toBe(200);
    expect(agent.json().map((t: any) => t.id)).toEqual([1, 2]);
    const customer = await h.api('GET', '/api/v1/tickets', undefined, SEED_TOKENS.customer);
    expect(customer.json().map((t: any) => t.id)).toEqual([2]);
  });
});
