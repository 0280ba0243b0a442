/** The stand-in's silent-loss knobs (Zammad #5873), used by the delivery tests. */
import { describe, expect, it } from 'vitest';
import { b64, SEED_TOKENS, ticketBody, useStandIn } from './helpers';

const h = useStandIn();

const withFiles = () =>
  ticketBody({}, {
    attachments: [
      { filename: 'a.txt', data: b64('first file'), 'mime-type': 'text/plain' },
      { filename: 'b.txt', data: b64('second file!'), 'mime-type': 'text/plain' },
    ],
  });

describe('silent-loss knobs', () => {
  it('dropLastAttachment: 201 as usual, the last attachment is not stored, once', async () => {
    await h.knobs({ dropLastAttachment: 1 });
    const r = await h.api('POST', '/api/v1/tickets', withFiles());
    expect(r.status).toBe(201);
    const articles = (await h.api('GET', `/api/v1/ticket_articles/by_ticket/${r.json().id}`)).json();
    expect(articles[0].attachments.map((a: { filename: string }) => a.filename)).toEqual(['a.txt']);
    const next = await h.api('POST', '/api/v1/tickets', withFiles());
    const again = (await h.api('GET', `/api/v1/ticket_articles/by_ticket/${next.json().id}`)).json();
    expect(again[0].attachments).toHaveLength(2);
  });

  it('truncateLastAttachment: the last attachment is stored with half its bytes', async () => {
    await h.knobs({ truncateLastAttachment: 1 });
    const r = await h.request('POST', '/api/v1/tickets', { token: SEED_TOKENS.agent, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: withFiles() });
    const articles = (await h.api('GET', `/api/v1/ticket_articles/by_ticket/${r.json().id}`)).json();
    expect(articles[0].attachments.map((a: { filename: string; size: string }) => [a.filename, a.size])).toEqual([
      ['a.txt', '10'],
      ['b.txt', '6'],
    ]);
  });

  it('applies to ticket creates only by default', async () => {
    await h.knobs({ dropLastAttachment: 1 });
    const t = (await h.api('POST', '/api/v1/tickets', ticketBody())).json();
    const { attachments } = withFiles().article as { attachments: unknown[] };
    const art = await h.api('POST', '/api/v1/ticket_articles', { ticket_id: t.id, body: 'x', attachments });
    expect(art.json().attachments).toHaveLength(2);
  });
});
