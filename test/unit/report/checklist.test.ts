import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKLISTS, missingItems, prefill } from '../../../lib/report/checklist';
import { extractFields } from '../../../lib/surfaces/extract';

import { loadSurfaceFixture as load } from '../surfaces/load-fixture';

const messages = JSON.parse(readFileSync(path.resolve(__dirname, '../../../public/_locales/fr/messages.json'), 'utf8')) as Record<string, unknown>;
const messagesEn = JSON.parse(readFileSync(path.resolve(__dirname, '../../../public/_locales/en/messages.json'), 'utf8')) as Record<string, unknown>;

describe('checklists', () => {
  it('pre-fill the bar from its DOM during a call', () => {
    const v = prefill('bar', extractFields('bar', load('bar-in-call.html')));
    expect(v).toMatchObject({ company: expect.any(String), agentLogin: expect.any(String), agentStatus: expect.any(String), callId: expect.stringMatching(/^\d+/) });
    expect(['entrant', 'sortant']).toContain(v['callDirection']);
    expect(missingItems('bar', v)).toEqual([]);
  });

  it('pre-fill supervision and the extranet', () => {
    const s = prefill('supervision', extractFields('supervision', load('supervision-selected.html')));
    expect(s['queuesConcerned']).toContain(', ');
    expect(s['operatorsConcerned']).toBeTruthy();
    expect(missingItems('supervision', s)).toEqual([]);
    const e = prefill('extranet', extractFields('extranet', load('extranet-edit-422.html')));
    expect(e).toMatchObject({ adminLogin: expect.any(String), section: expect.any(String), errorMessage: expect.any(String) });
    // What only the user knows stays to be filled.
    expect(missingItems('extranet', e)).toEqual(['actionPerformed']);
  });

  it('leave everything to the user when the DOM shows nothing (or another surface)', () => {
    expect(prefill('bar', null)).toEqual({});
    expect(prefill('bar', { surface: 'other' })).toEqual({});
    expect(missingItems('bar', { company: '  ' })).toEqual(['company', 'agentLogin', 'agentStatus']);
    expect(missingItems('other', {})).toEqual(['pageConcerned']);
  });

  it('have a French and an English label for every item and option', () => {
    for (const items of Object.values(CHECKLISTS)) {
      for (const i of items) {
        for (const key of [`check_${i.id}`, ...(i.options ?? []).map((o) => `check_${i.id}_${o.replace(/-/g, '_')}`)]) {
          expect(messages[key], key).toBeDefined();
          expect(messagesEn[key], key).toBeDefined();
        }
      }
    }
  });
});
