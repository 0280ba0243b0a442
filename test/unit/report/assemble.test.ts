import { describe, expect, it } from 'vitest';
import type { TabSnapshot } from '../../../lib/capture/snapshot';
import { assembleReport, DEFAULT_INCLUDE, publicIpOf, surfaceFrame, timelineCounts, type AssembleInput } from '../../../lib/report/assemble';
import { prefill } from '../../../lib/report/checklist';
import { newDraft } from '../../../lib/report/draft';
import type { OwnSide } from '../../../lib/report/own-side';
import { parseReport } from '../../../lib/report/schema';
import { extractFields } from '../../../lib/surfaces/extract';
import { loadSurfaceFixture } from '../surfaces/load-fixture';

const stats = { kept: 3, bytes: 300, evicted: 0, rateLimited: 0, invalid: 0, droppedInPage: 0, okRequests: 4 };
const T0 = Date.UTC(2026, 10, 27, 14, 45, 2, 123);

function snapshot(): TabSnapshot {
  const fields = extractFields('bar', loadSurfaceFixture('bar-in-call.html'));
  return {
    takenAt: T0,
    frames: [
      { frameId: 0, url: 'https://crm.example.test/fiche?id=1', topOrigin: null, surface: 'other', life: 'a', startedAt: T0 - 60_000, endedAt: null, live: true, fields: { surface: 'other' }, stats },
      {
        frameId: 3,
        url: 'https://voice-management.axialys.com/operateurs/index.htm?token_session=s3cr3t',
        topOrigin: 'https://crm.example.test',
        surface: 'bar',
        life: 'b',
        startedAt: T0 - 50_000,
        endedAt: null,
        live: true,
        fields,
        stats,
      },
    ],
    timeline: [
      { k: 'click', t: T0 - 3000, tag: 'button', role: 'button', name: 'Raccrocher', sel: '#raccrocher', frameId: 3, surface: 'bar', life: 'b' },
      { k: 'console', l: 'error', t: T0 - 2000, a: ['boom Bearer 9f8e7d6c5b4a3f2e'], frameId: 3, surface: 'bar', life: 'b' },
      { k: 'net', t: T0 - 1000, method: 'GET', url: 'https://voice-management.axialys.com/api/x?access_token=zzz', status: 500, ms: 40, failed: true, frameId: 3, surface: 'bar', life: 'b' },
      { k: 'ws', t: T0 - 500, e: 'close', url: 'wss://voice-management.axialys.com/cti', code: 1006, reason: '', clean: false, frameId: 3, surface: 'bar', life: 'b' },
    ],
    unreachable: [],
    env: null,
  };
}

const ownSide: OwnSide = {
  origin: 'https://voice-management.axialys.com',
  prechecks: [
    { id: 'udp', status: 'pass', value: 'srflx', messageKey: 'precheck_udp_pass', params: [], advice: [], detail: { mappedAddress: '203.0.113.7', ms: 12 } },
  ],
  skew: { ok: false, reason: 'no-date-header' },
};

function input(over: Partial<AssembleInput> = {}): AssembleInput {
  const snap = snapshot();
  const draft = { ...newDraft(1, T0, 'bar', prefill('bar', snap.frames[1]!.fields)), kind: 'fault' as const };
  draft.description = { ...draft.description, what: 'Le bouton raccrocher ne fait rien' };
  return {
    id: 'TMN-0b4c1f8e-5a4b-4c3d-9e2f-1a2b3c4d5e6f',
    version: '0.1.0',
    lang: 'fr',
    userZone: 'America/Montreal',
    now: T0 + 60_000,
    draft,
    snap,
    ownSide,
    include: DEFAULT_INCLUDE,
    screenshots: [],
    label: (id) => `label:${id}`,
    ...over,
  };
}

describe('assembleReport', () => {
  it('builds a report the schema accepts, about the embedded bar, with secrets scrubbed', () => {
    const r = assembleReport(input());
    expect(parseReport(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(r.surface).toBe('bar');
    expect(r.embeddedIn).toBe('https://crm.example.test');
    expect(r.url).toContain('/operateurs/index.htm');
    expect(r.url).not.toContain('s3cr3t');
    expect(JSON.stringify(r)).not.toMatch(/s3cr3t|9f8e7d6c5b4a3f2e|zzz/);
    expect(r.fault.at.paris).toBe('2026-11-27T15:45:02.123+01:00');
    expect(r.fault.at.userZone).toBe('America/Montreal');
    expect(r.user).toBeTruthy();
    const login = r.checklist.find((c) => c.id === 'agentLogin')!;
    expect(login).toMatchObject({ label: 'label:agentLogin', required: true, prefilled: true });
    expect(r.timeline.map((e) => e.k)).toEqual(['click', 'console', 'net', 'ws']);
  });

  it('marks values the user typed over the page as not pre-filled', () => {
    const inp = input();
    inp.draft.checklist = { ...inp.draft.checklist, agentLogin: 'autre.login' };
    const r = assembleReport(inp);
    expect(r.checklist.find((c) => c.id === 'agentLogin')).toMatchObject({ value: 'autre.login', prefilled: false });
    expect(r.checklist.find((c) => c.id === 'headset')).toMatchObject({ value: '', prefilled: false });
  });

  it('leaves out what the preview toggles exclude, public IP included', () => {
    const r = assembleReport(input({ include: { console: false, network: false, publicIp: false } }));
    expect(r.timeline.map((e) => e.k)).toEqual(['click', 'ws']);
    expect(JSON.stringify(r)).not.toContain('203.0.113.7');
    expect(r.include).toEqual({ console: false, network: false, publicIp: false });
    const kept = assembleReport(input());
    expect(publicIpOf(kept.ownSide as OwnSide)).toBe('203.0.113.7');
  });

  it('uses the picked event time and the corrected clock when the offset is large', () => {
    const inp = input({
      ownSide: {
        ...ownSide,
        skew: { ok: true, offsetMs: 5000, uncertaintyMs: 510, minOffsetMs: 4490, maxOffsetMs: 5510, rttMs: 20, serverDate: '', sentAt: '', resolutionMs: 1000, flagged: true, certain: true, thresholdMs: 2000 },
      },
    });
    inp.draft.faultTime = { mode: 'event', ms: T0 - 2000, label: 'console: boom' };
    const r = assembleReport(inp);
    expect(r.fault).toMatchObject({ mode: 'event', label: 'console: boom' });
    expect(r.fault.at.ms).toBe(T0 - 2000);
    expect(r.fault.at.correctedMs).toBe(T0 + 3000);
  });

  it('picks the surface frame, the top one first', () => {
    const snap = snapshot();
    expect(surfaceFrame(snap, 'bar')?.frameId).toBe(3);
    expect(surfaceFrame(snap, 'supervision')?.frameId).toBe(0);
    expect(surfaceFrame({ frames: [] }, 'bar')).toBeNull();
  });

  it('counts errors, failed requests and WebSocket drops', () => {
    expect(timelineCounts(snapshot().timeline)).toEqual({ total: 4, consoleErrors: 1, errors: 0, failedRequests: 1, wsDrops: 1, clicks: 1 });
    const calm = [{ k: 'ws', e: 'close', code: 1000, clean: true }, { k: 'net', status: 200, failed: false }, { k: 'error' }, { k: 'console', l: 'warn' }];
    expect(timelineCounts(calm)).toMatchObject({ total: 4, wsDrops: 0, failedRequests: 0, errors: 1, consoleErrors: 0 });
  });
});
