// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ticketPayload, type DeliveryConfig } from '../../../lib/delivery/deliver';
import { newItem } from '../../../lib/delivery/outbox';

const cfg: DeliveryConfig = { mode: 'api', url: 'https://zammad.axialys.net', token: 't', group: 'Users', reporterName: '', reporterEmail: '' };
const item = newItem({
  id: 'TMN-3f2c0000-0000-4000-8000-000000000001',
  createdAt: 0,
  surface: 'extranet',
  title: '[Extranet] Erreur 500',
  bodyHtml: '<p>Résumé</p>',
  attachments: [{ filename: 'context.json', mimeType: 'application/json', data: new Blob(['{"é":1}']) }],
});
const agent = { id: 2, login: 'agent@axialys.example', email: 'agent@axialys.example', group_ids: { '1': ['full'] } };
const customer = { id: 3, login: 'client@demo.example', email: 'client@demo.example', group_ids: {} };

describe('POST /api/v1/tickets body', () => {
  it('agent token: a public note, the reporter as customer, tags as one string, strict base64', async () => {
    const p = await ticketPayload(item, agent, 'Users', { ...cfg, reporterEmail: 'marie@client.example' }, true);
    expect(p).toEqual({
      title: '[Extranet] Erreur 500',
      group: 'Users',
      customer_id: 'guess:marie@client.example',
      tags: 'temoin,extranet',
      article: {
        subject: '[Extranet] Erreur 500',
        body: '<p>Résumé</p>\n<p>Réf. Témoin : TMN-3f2c0000-0000-4000-8000-000000000001</p>',
        content_type: 'text/html',
        type: 'note',
        internal: false,
        attachments: [{ filename: 'context.json', data: Buffer.from('{"é":1}').toString('base64'), 'mime-type': 'application/json' }],
      },
    });
  });

  it('agent token without a reporter e-mail: the token owner is the customer', async () => {
    expect((await ticketPayload(item, agent, 'Users', cfg, true)).customer_id).toBe('guess:agent@axialys.example');
    expect((await ticketPayload(item, { ...agent, email: null }, 'Users', cfg, true)).customer_id).toBe(2);
  });

  it('customer token: a web article, no customer field (Zammad sets it)', async () => {
    const p = await ticketPayload(item, customer, 'Users', cfg, true);
    expect(p).not.toHaveProperty('customer_id');
    expect(p.article.type).toBe('web');
  });

  it('split: the first article announces the attachments, which follow in their own articles', async () => {
    const p = await ticketPayload(item, agent, 'Users', cfg, false);
    expect(p.article).not.toHaveProperty('attachments');
    expect(p.article.body).toContain('Pièces jointes (1) : dans les articles suivants.');
  });
});
