/** §4.1 tags, §4.2 search, §4.3 idempotency lookup, §10.4, §10.5. */
import { beforeEach, describe, expect, it } from 'vitest';
import { MASKED, SEED_TOKENS, useStandIn, ticketBody } from './helpers';

const h = useStandIn();

describe('tags', () => {
  beforeEach(async () => {
    await h.api('POST', '/api/v1/tickets', ticketBody({ tags: 'fault-capture' }));
  });

  it('POST /tags/add: 201 true, idempotent, visible in GET /tags', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await h.api('POST', '/api/v1/tags/add', { object: 'Ticket', o_id: 1, item: 'softphone' });
      expect(r.status).toBe(201);
      expect(r.text).toBe('true');
    }
    const list = await h.api('GET', '/api/v1/tags?object=Ticket&o_id=1');
    expect(list.status).toBe(200);
    expect(list.json()).toEqual({ tags: ['fault-capture', 'softphone'] });
  });

  it('customer token: 403 Not authorized', async () => {
    const r = await h.api('POST', '/api/v1/tags/add', { object: 'Ticket', o_id: 1, item: 'x' }, SEED_TOKENS.customer);
    expect(r.status).toBe(403);
    expect(r.json()).toEqual({ error: 'Not authorized', error_human: 'Not authorized' });
    expect(r.headers['x-failure']).toBe('Not authorized');
    expect((await h.stored())[0].tags).toEqual(['fault-capture']);
  });

  it('unknown o_id: 404', async () => {
    const r = await h.api('POST', '/api/v1/tags/add', { object: 'Ticket', o_id: 999, item: 'x' });
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ error: "Couldn't find Ticket with 'id'=999", error_human: "Couldn't find Ticket with 'id'=999" });
  });

  it('DELETE /tags/remove: 200 true (case-insensitive)', async () => {
    const r = await h.api('DELETE', '/api/v1/tags/remove', { object: 'Ticket', o_id: 1, item: 'Fault-Capture' });
    expect(r.status).toBe(200);
    expect(r.text).toBe('true');
    expect((await h.api('GET', '/api/v1/tags?object=Ticket&o_id=1')).json()).toEqual({ tags: [] });
  });

  it('tag names reuse the first spelling across tickets', async () => {
    await h.api('POST', '/api/v1/tickets', ticketBody({ tags: 'FAULT-CAPTURE,New' }));
    expect((await h.api('GET', '/api/v1/tags?object=Ticket&o_id=2')).json()).toEqual({ tags: ['fault-capture', 'New'] });
  });
});

describe('search', () => {
  beforeEach(async () => {
    await h.api('POST', '/api/v1/tickets', ticketBody({ title: 'Softphone drops calls' }, { body: 'Ref: FC-3f2c-aaaa' }));
    await h.api('POST', '/api/v1/tickets', ticketBody({ title: 'Extranet slow [FC-bbbb]', customer_id: 3 }, { body: 'nothing here' }));
    await h.api('POST', '/api/v1/tickets', ticketBody({ title: 'Bar frozen' }, { body: 'other' }), SEED_TOKENS.customer);
  });

  const search = (body: unknown, token: string = SEED_TOKENS.agent) => h.api('POST', '/api/v1/tickets/search', body, token);

  it('an array by default, immediately consistent (article.body contains)', async () => {
    const r = await search({ condition: { 'article.body': { operator: 'contains', value: 'FC-3f2c' } }, limit: 5 });
    expect(r.status).toBe(200);
    const list = r.json();
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((t: any) => t.number)).toEqual(['31001']);
    expect(list[0]).toMatchObject({ id: 1, title: 'Softphone drops calls', article_ids: [1] });
  });

  it('ticket.title contains', async () => {
    const r = await search({ condition: { 'ticket.title': { operator: 'contains', value: 'fc-bbbb' } } });
    expect(r.json().map((t: any) => t.id)).toEqual([2]);
  });

  it('no match: empty array', async () => {
    expect((await search({ condition: { 'article.body': { operator: 'contains', value: 'FC-none' } } })).json()).toEqual([]);
  });

  it('GET with a nested query-string condition', async () => {
    const q = new URLSearchParams({ 'condition[ticket.title][operator]': 'contains', 'condition[ticket.title][value]': 'frozen' });
    const r = await h.api('GET', `/api/v1/tickets/search?${q}`);
    expect(r.json().map((t: any) => t.id)).toEqual([3]);
  });

  it('query: case-insensitive LIKE over title, number and body; * stripped', async () => {
    expect((await h.api('GET', '/api/v1/tickets/search?query=SOFTPHONE*')).json().map((t: any) => t.id)).toEqual([1]);
    expect((await h.api('GET', '/api/v1/tickets/search?query=31002')).json().map((t: any) => t.id)).toEqual([2]);
    expect((await h.api('GET', '/api/v1/tickets/search?query=Other')).json().map((t: any) => t.id)).toEqual([3]);
  });

  it('limit and newest first', async () => {
    const r = await h.api('GET', '/api/v1/tickets/search?query=&limit=2');
    expect(r.json().map((t: any) => t.id)).toEqual([3, 2]);
  });

  it('only_total_count', async () => {
    expect((await search({ query: 'FC-', only_total_count: true })).json()).toEqual({ total_count: 2 });
  });

  it('customers only see their own tickets', async () => {
    const r = await search({ query: '' }, SEED_TOKENS.customer);
    expect(r.json().map((t: any) => t.id).sort()).toEqual([2, 3]);
    const none = await search({ condition: { 'article.body': { operator: 'contains', value: 'FC-3f2c' } } }, SEED_TOKENS.customer);
    expect(none.json()).toEqual([]);
  });

  it('legacy shape knob: {tickets, tickets_count, assets}', async () => {
    expect((await h.knobs({ legacySearchShape: true })).status).toBe(200);
    const r = await search({ condition: { 'ticket.title': { operator: 'contains', value: 'FC-' } } });
    const body = r.json();
    expect(body.tickets).toEqual([2]);
    expect(body.tickets_count).toBe(1);
    expect(body.assets.Ticket['2'].number).toBe('31002');
  });

  it('an unsupported operator is an unexpected exception (masked 500)', async () => {
    const r = await search({ condition: { 'ticket.title': { operator: 'sounds like', value: 'x' } } });
    expect(r.status).toBe(500);
    expect(r.json().error).toMatch(MASKED);
  });

  it('expand=true gives names', async () => {
    const r = await search({ query: 'Bar', expand: true });
    expect(r.json()[0]).toMatchObject({ id: 3, group: 'Users', customer: 'client@demo.example' });
  });
});
