import { describe, expect, it } from 'vitest';
import {
  capString,
  emptyFields,
  extractFields,
  extractWithSpec,
  parseNumber,
  parseSeconds,
  detectSurface,
  surfaceOfDom,
  type Extracted,
} from '../../../lib/surfaces/extract';
import {
  FIELD_SPECS,
  fieldsSchemaFor,
  MAX_ROWS,
  MAX_STRING,
  SurfaceFieldsSchema,
  SurfaceSpecSchema,
  type SurfaceSpec,
} from '../../../lib/surfaces/fields';
import { SURFACE_MARKERS, SURFACES, SurfaceRulesSchema, SurfaceRuleSchema } from '../../../lib/surfaces/rules';
import { loadSurfaceFixture } from './load-fixture';

const FIXTURES = [
  'bar-idle.html',
  'bar-ringing.html',
  'bar-in-call.html',
  'bar-outgoing.html',
  'bar-pause.html',
  'bar-call-ended.html',
  'bar-crm-iframe.html',
  'supervision-initial.html',
  'supervision-selected.html',
  'extranet-list.html',
  'extranet-create-409.html',
  'extranet-edit-422.html',
  'extranet-edit-500.html',
  'extranet-stats.html',
  'hostile.html',
  'other.html',
] as const;

const load = loadSurfaceFixture;

function byId(doc: Document, id: string): HTMLElement {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`fixture has no #${id}`);
  return el;
}

/** Every string and list in an extraction, with its path. */
function walk(v: Extracted | object, path: string, out: { strings: [string, string][]; lists: [string, number][] }): void {
  if (typeof v === 'string') out.strings.push([path, v]);
  else if (Array.isArray(v)) {
    out.lists.push([path, v.length]);
    v.forEach((x, i) => walk(x as Extracted, `${path}[${i}]`, out));
  } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x as Extracted, `${path}.${k}`, out);
}

function expectWellFormed(v: object): void {
  const out = { strings: [] as [string, string][], lists: [] as [string, number][] };
  walk(v, '$', out);
  for (const [path, s] of out.strings) {
    expect(s.length, path).toBeLessThanOrEqual(MAX_STRING);
    expect(s.length, path).toBeGreaterThan(0);
    expect(s, path).toBe(s.trim());
    expect(s, path).not.toMatch(/\s{2}|[\t\n\r\u0000-\u001F\u200B\u202A-\u202E\u2066-\u2069]/);
  }
  for (const [path, n] of out.lists) expect(n, path).toBeLessThanOrEqual(MAX_ROWS);
}

// ------------------------------------------------------------------ Specs and schemas

describe('field specs', () => {
  it.each(SURFACES)('the %s spec parses with its zod schema, unchanged', (surface) => {
    const spec = FIELD_SPECS[surface];
    expect(SurfaceSpecSchema.parse(spec)).toEqual(spec);
  });

  it.each([
    ['an unknown read', { fields: { a: { read: 'innerHTML' } } }],
    ['an attribute read without a name', { fields: { a: { read: 'attr:' } } }],
    ['an invalid attribute name', { fields: { a: { read: 'attr:on load' } } }],
    ['an invalid pattern', { fields: { a: { read: 'text', pattern: '(' } } }],
    ['an empty selector', { fields: { a: { selector: '', read: 'text' } } }],
    ['an unknown key', { fields: { a: { read: 'text', script: 'alert(1)' } } }],
    ['a field name that is not an identifier', { fields: { 'a b': { read: 'text' } } }],
    ['a list above the row cap', { fields: { a: { kind: 'list', rows: 'li', max: MAX_ROWS + 1, fields: {} } } }],
    ['a nested malformed field', { fields: { a: { kind: 'object', fields: { b: { read: 'number', oneOf: [] } } } } }],
  ])('rejects %s', (_label, spec) => {
    expect(SurfaceSpecSchema.safeParse(spec).success).toBe(false);
  });

  it('accepts a minimal custom spec', () => {
    const spec = { fields: { a: { kind: 'list', rows: 'li', max: 3, fields: { b: { read: 'bool-attr:data-x', fallback: [{ read: 'present' }] } } } } };
    expect(SurfaceSpecSchema.safeParse(spec).success).toBe(true);
  });

  it.each(SURFACES)('the empty %s fields parse with the %s schema', (surface) => {
    const empty = emptyFields(surface);
    expect(empty.surface).toBe(surface);
    expect(fieldsSchemaFor(surface).safeParse(empty).success).toBe(true);
    expect(SurfaceFieldsSchema.safeParse(empty).success).toBe(true);
  });

  it('fieldsSchemaFor gives the schema of that surface only', () => {
    expect(fieldsSchemaFor('bar').safeParse(emptyFields('bar')).success).toBe(true);
    expect(fieldsSchemaFor('bar').safeParse(emptyFields('supervision')).success).toBe(false);
    expect(fieldsSchemaFor('other').parse({ surface: 'other' })).toEqual({ surface: 'other' });
  });

  it('the output schemas refuse over-long strings and too many rows', () => {
    const bar = emptyFields('bar');
    expect(SurfaceFieldsSchema.safeParse({ ...bar, agent: { ...bar.agent, name: 'x'.repeat(MAX_STRING + 1) } }).success).toBe(false);
    const row = { id: '1', name: 'a', colour: '#fff', waiting: 1 };
    expect(SurfaceFieldsSchema.safeParse({ ...bar, queues: Array.from({ length: MAX_ROWS + 1 }, () => row) }).success).toBe(false);
    expect(SurfaceFieldsSchema.safeParse({ ...bar, queues: [row] }).success).toBe(true);
  });
});

describe('SURFACE_MARKERS', () => {
  it('are valid CSS and valid surface-rule markers', () => {
    for (const [surface, markers] of Object.entries(SURFACE_MARKERS)) {
      expect(markers.length, surface).toBeGreaterThan(0);
      for (const m of markers) expect(() => document.querySelector(m), m).not.toThrow();
      const rule = SurfaceRuleSchema.safeParse({ surface, hosts: ['*'], markers });
      expect(rule.success, surface).toBe(true);
    }
  });

  it.each([
    ['bar-idle.html', 'bar'],
    ['bar-ringing.html', 'bar'],
    ['bar-crm-iframe.html', 'bar'],
    ['supervision-initial.html', 'supervision'],
    ['supervision-selected.html', 'supervision'],
    ['extranet-list.html', 'extranet'],
    ['extranet-edit-422.html', 'extranet'],
    ['hostile.html', 'bar'],
    ['other.html', 'other'],
  ])('%s is detected as %s', (file, surface) => {
    expect(surfaceOfDom(load(file))).toBe(surface);
  });

  it('every marker alone identifies its own surface and no other', () => {
    const docs = { bar: load('bar-idle.html'), supervision: load('supervision-selected.html'), extranet: load('extranet-edit-422.html') };
    const other = load('other.html');
    for (const [surface, markers] of Object.entries(SURFACE_MARKERS)) {
      for (const m of markers) {
        for (const [s, doc] of Object.entries(docs)) expect(doc.querySelector(m) !== null, `${m} on ${s}`).toBe(s === surface);
        expect(other.querySelector(m), `${m} on other.html`).toBeNull();
      }
    }
  });

  it('follows marker rules given as data (a policy can add its own markers)', () => {
    const rules = SurfaceRulesSchema.parse([{ surface: 'supervision', hosts: ['x.example'], paths: ['/nothing'], markers: ['#statut-operateur'] }]);
    expect(surfaceOfDom(load('bar-idle.html'), rules)).toBe('supervision');
    expect(surfaceOfDom(load('other.html'), rules)).toBe('other');
  });

  it('detectSurface: the URL decides first, the DOM markers only when the URL says other', () => {
    const bar = load('bar-idle.html');
    expect(detectSurface('https://voice-management.axialys.com/superviseurs/index.htm', bar)).toBe('supervision');
    expect(detectSurface('https://voice-management.axialys.com/embed/bandeau', bar)).toBe('bar');
    expect(detectSurface('https://voice-management.axialys.com/embed/bandeau', load('other.html'))).toBe('other');
    expect(detectSurface('https://voice-management.axialys.com/embed/bandeau', null)).toBe('other');
  });

  it('detects the bar without its body attribute (older or white-label pages)', () => {
    const doc = load('bar-idle.html');
    doc.body.removeAttribute('data-vm-interface');
    expect(surfaceOfDom(doc)).toBe('bar');
    byId(doc, 'statut-operateur').remove();
    expect(surfaceOfDom(doc)).toBe('bar');
    byId(doc, 'statut-courant').remove();
    expect(surfaceOfDom(doc)).toBe('other');
  });
});

// ------------------------------------------------------------------ Operator bar

const AGENT = { login: 'jdupont', name: 'Julie Dupont', company: 'Horizon Assurances' };
const LINK_IDLE = {
  cti: 'connecte',
  ctiCloseCode: null,
  audio: 'inactif',
  audioMode: 'webrtc',
  integrationMode: 'standalone',
  ctiServer: 'cti-par2-07',
  vmVersion: '4.12.3',
};
const INCOMING_CALL = {
  idAppel: '279580077686584672',
  direction: 'entrant',
  callerNumber: '+33 6 95 27 41 08',
  calledNumber: null,
  serviceNumber: '01 84 88 00 00',
  group: { id: '101', name: 'Service client', colour: '#2f6fde' },
  waitSeconds: 15,
};

describe('operator bar', () => {
  it('idle: agent, status, queues, no call', () => {
    expect(extractFields('bar', load('bar-idle.html'))).toEqual({
      surface: 'bar',
      agent: AGENT,
      status: { label: 'Disponible', code: 'disponible', category: 'disponible', elapsedSeconds: 1 },
      waitingCalls: 3,
      queues: [
        { id: '101', name: 'Service client', colour: '#2f6fde', waiting: 2 },
        { id: '102', name: 'Support Premium', colour: '#8a4fd8', waiting: 1 },
      ],
      call: null,
      errorToasts: [],
      link: LINK_IDLE,
    });
  });

  it('an incoming call ringing', () => {
    const f = extractFields('bar', load('bar-ringing.html'));
    expect(f.call).toEqual({ ...INCOMING_CALL, state: 'sonnerie', talkSeconds: null });
    expect(f.status).toEqual({ label: 'Disponible', code: 'disponible', category: 'disponible', elapsedSeconds: 4 });
    expect(f.waitingCalls).toBe(4);
  });

  it('the call picked up, with WebRTC audio connected', () => {
    const f = extractFields('bar', load('bar-in-call.html'));
    expect(f.call).toEqual({ ...INCOMING_CALL, state: 'en-communication', talkSeconds: 2 });
    expect(f.status).toEqual({ label: 'En communication', code: 'en_communication', category: 'en-communication', elapsedSeconds: 2 });
    expect(f.link.audio).toBe('connected');
  });

  it('the last call stays after hang-up, in post-appel', () => {
    const f = extractFields('bar', load('bar-call-ended.html'));
    expect(f.call).toEqual({ ...INCOMING_CALL, state: 'termine', talkSeconds: 3 });
    expect(f.status).toEqual({ label: 'Post-appel', code: 'catchup', category: 'post-appel', elapsedSeconds: 1 });
    expect(f.link.audio).toBe('inactif');
  });

  it('an outgoing call: the dialled number, no caller, no waiting time', () => {
    const f = extractFields('bar', load('bar-outgoing.html'));
    expect(f.call).toEqual({
      idAppel: '279580076689953894',
      state: 'en-communication',
      direction: 'sortant',
      callerNumber: null,
      calledNumber: '+33 4 72 10 38 94',
      serviceNumber: '01 84 88 00 00',
      group: { id: '101', name: 'Service client', colour: '#2f6fde' },
      waitSeconds: null,
      talkSeconds: 2,
    });
  });

  it('on a break: the full label and the break code', () => {
    const f = extractFields('bar', load('bar-pause.html'));
    expect(f.status).toEqual({ label: 'En pause / Pause déjeuner', code: 'user1', category: 'pause', elapsedSeconds: 1 });
    expect(f.call).toBeNull();
  });

  it('error toasts on screen, not the success ones', () => {
    const doc = load('bar-pause.html');
    expect(doc.querySelector('#notifications-toast .toast--succes')?.textContent).toBe('Statut : En pause / Pause déjeuner');
    expect(extractFields('bar', doc).errorToasts).toEqual([]);
    byId(doc, 'notifications-toast').insertAdjacentHTML(
      'beforeend',
      '<div class="toast toast--erreur">Impossible de changer de statut : Erreur interne (HTTP 500)</div>'.repeat(7),
    );
    const toasts = extractFields('bar', doc).errorToasts;
    expect(toasts).toHaveLength(5);
    expect(toasts[0]).toEqual({ text: 'Impossible de changer de statut : Erreur interne (HTTP 500)' });
  });

  it('embedded in a CRM iframe', () => {
    const f = extractFields('bar', load('bar-crm-iframe.html'));
    expect(f.link.integrationMode).toBe('crm');
    expect(f.agent).toEqual(AGENT);
  });

  it('the call is null when the call card is missing, and null again when back to "aucun"', () => {
    const doc = load('bar-in-call.html');
    byId(doc, 'fiche-appel').setAttribute('data-etat', 'aucun');
    expect(extractFields('bar', doc).call).toBeNull();
    byId(doc, 'fiche-appel').remove();
    expect(extractFields('bar', doc).call).toBeNull();
  });

  it('a missing element gives null for that field only', () => {
    const doc = load('bar-in-call.html');
    const before = extractFields('bar', doc);
    byId(doc, 'appel-numero-service').remove();
    byId(doc, 'operateur-nom').remove();
    const after = extractFields('bar', doc);
    expect(after.call?.serviceNumber).toBeNull();
    expect(after.agent.name).toBeNull();
    expect({ ...after, agent: before.agent, call: before.call }).toEqual(before);
    expect({ ...after.call, serviceNumber: '01 84 88 00 00' }).toEqual(before.call);
  });

  it('falls back to the visible text when data attributes are missing', () => {
    const doc = load('bar-ringing.html');
    const fiche = byId(doc, 'fiche-appel');
    fiche.removeAttribute('data-id-appel');
    fiche.removeAttribute('data-sens');
    byId(doc, 'appel-temps-attente').removeAttribute('data-secondes');
    byId(doc, 'operateur').removeAttribute('data-login');
    byId(doc, 'statut-courant').removeAttribute('data-code');
    byId(doc, 'statut-courant').removeAttribute('data-statut');
    const f = extractFields('bar', doc);
    expect(f.call?.idAppel).toBe('279580077686584672');
    expect(f.call?.direction).toBe('entrant');
    expect(f.call?.waitSeconds).toBe(15);
    expect(f.agent.login).toBe('jdupont');
    expect(f.status.code).toBe('disponible');
    expect(f.status.category).toBe('disponible');
  });
});

// ------------------------------------------------------------------ Supervision

const SUPERVISOR = { login: 'mlambert', name: 'Marc Lambert', company: 'Horizon Assurances' };
const ALERTS = [
  { type: 'trop-appels-en-attente', level: 'critique', groupId: '101', text: "Trop d'appels en attente — Service client : 7 appels (seuil 5)" },
  {
    type: 'operateurs-insuffisants',
    level: 'avertissement',
    groupId: '104',
    text: "Pas assez d'opérateurs connectés — Recouvrement : 2 connectés (minimum 3)",
  },
];

describe('supervision', () => {
  it('queues with their figures, alerts, no selection', () => {
    expect(extractFields('supervision', load('supervision-initial.html'))).toEqual({
      surface: 'supervision',
      supervisor: SUPERVISOR,
      queues: [
        { groupId: '101', name: 'Service client', colour: '#2f6fde', waiting: 7, maxWaitSeconds: 214, connected: 5, available: 1, dmcSeconds: 272, dmaSeconds: 96, alert: true, understaffed: false },
        { groupId: '102', name: 'Support Premium', colour: '#8a4fd8', waiting: 1, maxWaitSeconds: 35, connected: 2, available: 0, dmcSeconds: 401, dmaSeconds: 28, alert: false, understaffed: false },
        { groupId: '103', name: 'Sinistres', colour: '#e0662b', waiting: 2, maxWaitSeconds: 64, connected: 3, available: 1, dmcSeconds: 356, dmaSeconds: 51, alert: false, understaffed: false },
        { groupId: '104', name: 'Recouvrement', colour: '#d23f57', waiting: 3, maxWaitSeconds: 148, connected: 2, available: 0, dmcSeconds: 318, dmaSeconds: 87, alert: false, understaffed: true },
        { groupId: '105', name: 'Ventes', colour: '#1f9d6b', waiting: 0, maxWaitSeconds: 0, connected: 1, available: 1, dmcSeconds: 189, dmaSeconds: 12, alert: false, understaffed: false },
      ],
      averagesUpdatedAt: '2026-11-27T17:31:08.257Z',
      selectedOperator: null,
      alerts: ALERTS,
      errorToasts: [],
      link: { live: 'connecte', closeCode: null },
    });
  });

  it('the selected operator', () => {
    const f = extractFields('supervision', load('supervision-selected.html'));
    expect(f.selectedOperator).toEqual({
      login: 'kdiallo',
      name: 'Karim Diallo',
      statusLabel: 'En communication',
      statusCategory: 'en-communication',
      statusCode: 'en_communication',
      since: '2026-11-27T16:21:08.257Z',
      currentQueue: 'Service client',
      station: 'WebRTC',
    });
    expect(f.alerts).toEqual(ALERTS);
    expect(f.queues.map((q) => q.maxWaitSeconds)).toEqual([215, 36, 65, 149, 0]);
  });

  it('falls back to the selected row when the side panel is gone', () => {
    const doc = load('supervision-selected.html');
    byId(doc, 'operateur-selectionne').remove();
    expect(extractFields('supervision', doc).selectedOperator).toEqual({
      login: 'kdiallo',
      name: 'Karim Diallo',
      statusLabel: 'En communication',
      statusCategory: 'en-communication',
      statusCode: 'en_communication',
      since: '2026-11-27T16:21:08.257Z',
      currentQueue: null,
      station: 'WebRTC',
    });
  });

  it('"Aucune alerte en cours" is no alert, and hidden queue rows are left out', () => {
    const doc = load('supervision-initial.html');
    byId(doc, 'liste-alertes').innerHTML = '<li class="alerte alerte--aucune" data-type="aucune">Aucune alerte en cours</li>';
    doc.querySelector('#files-attente tr[data-groupe-id="103"]')?.setAttribute('hidden', '');
    const f = extractFields('supervision', doc);
    expect(f.alerts).toEqual([]);
    expect(f.queues.map((q) => q.groupId)).toEqual(['101', '102', '104', '105']);
  });

  it('reads durations from the text when the data attributes are missing', () => {
    const doc = load('supervision-initial.html');
    for (const td of doc.querySelectorAll('#files-attente td[data-secondes]')) td.removeAttribute('data-secondes');
    const q = extractFields('supervision', doc).queues[0];
    expect(q).toMatchObject({ maxWaitSeconds: 214, dmcSeconds: 272, dmaSeconds: 96 });
  });
});

// ------------------------------------------------------------------ Extranet

const ADMIN = { login: 'cbernard', name: 'Claire Bernard', role: 'Administratrice' };
const ACCOUNT = { company: 'Horizon Assurances', number: '40871' };

describe('extranet', () => {
  it('a list view: no object, no error', () => {
    expect(extractFields('extranet', load('extranet-list.html'))).toEqual({
      surface: 'extranet',
      admin: ADMIN,
      account: ACCOUNT,
      tab: { id: 'operateurs', label: 'Opérateurs', view: 'liste', title: 'Opérateurs', breadcrumb: 'Administration › Opérateurs' },
      object: null,
      period: null,
      error: null,
      fieldErrors: [],
      success: null,
      errorToasts: [],
      link: { notifications: 'connecte', closeCode: null },
    });
  });

  it('creating an operator with a duplicate identifier (409)', () => {
    expect(extractFields('extranet', load('extranet-create-409.html'))).toEqual({
      surface: 'extranet',
      admin: ADMIN,
      account: ACCOUNT,
      tab: {
        id: 'operateurs',
        label: 'Opérateurs',
        view: 'creation',
        title: 'Ajouter opérateur',
        breadcrumb: 'Administration › Opérateurs › Ajouter opérateur',
      },
      object: { type: 'operateur', id: null, mode: 'creation', label: 'Ajouter opérateur' },
      period: null,
      error: {
        title: 'Enregistrement impossible',
        text: "L'identifiant « jdupont » est déjà utilisé par un autre opérateur.",
        details: 'HTTP 409 · IDENTIFIANT_EXISTANT',
        httpStatus: 409,
        code: 'IDENTIFIANT_EXISTANT',
        reference: null,
      },
      fieldErrors: [],
      success: null,
      errorToasts: [],
      link: { notifications: 'connecte', closeCode: null },
    });
  });

  it('editing an operator with invalid fields (422): the per-field errors', () => {
    const f = extractFields('extranet', load('extranet-edit-422.html'));
    expect(f.object).toEqual({ type: 'operateur', id: 'tmartin', mode: 'edition', label: 'Opérateurs › tmartin' });
    expect(f.tab).toEqual({
      id: 'operateurs',
      label: 'Opérateurs',
      view: 'edition',
      title: "Modifier l'opérateur tmartin",
      breadcrumb: 'Administration › Opérateurs › tmartin',
    });
    expect(f.error).toMatchObject({ httpStatus: 422, code: 'VALIDATION', text: 'Le formulaire contient des erreurs.', reference: null });
    expect(f.fieldErrors).toEqual([
      { field: 'nom', message: 'Le nom complet est obligatoire.' },
      { field: 'email', message: "L'adresse e-mail n'est pas valide." },
    ]);
  });

  it('a server error (500) with its reference', () => {
    const f = extractFields('extranet', load('extranet-edit-500.html'));
    expect(f.error).toEqual({
      title: 'Enregistrement impossible',
      text: 'Erreur interne. Veuillez réessayer ou contacter le support Axialys.',
      details: 'HTTP 500 · ERREUR_INTERNE · Réf. ERR-MWZ9FB4R-48F1',
      httpStatus: 500,
      code: 'ERREUR_INTERNE',
      reference: 'ERR-MWZ9FB4R-48F1',
    });
    expect(f.fieldErrors).toEqual([]);
  });

  it('a statistics page: the page and period; a hidden stale error banner is ignored', () => {
    const doc = load('extranet-stats.html');
    expect(byId(doc, 'message-erreur-texte').textContent).not.toBe('');
    const f = extractFields('extranet', doc);
    expect(f.tab).toMatchObject({ id: 'statistiques', label: 'Statistiques', view: 'statistiques', title: 'Stats Dynamiques' });
    expect(f.object).toEqual({ type: 'page-statistiques', id: 'operateurs', mode: 'statistiques', label: 'Opérateurs' });
    expect(f.period).toEqual({ from: '2025-03-01', to: '2025-03-15' });
    expect(f.error).toBeNull();
    byId(doc, 'message-erreur').removeAttribute('hidden');
    expect(extractFields('extranet', doc).error?.httpStatus).toBe(500);
  });

  it('the HTTP status comes from the details text when data-statut is missing; a visible success message is read', () => {
    const doc = load('extranet-create-409.html');
    byId(doc, 'message-erreur').removeAttribute('data-statut');
    const succes = byId(doc, 'message-succes');
    succes.textContent = '  Modifications de l’opérateur tmartin enregistrées. ';
    succes.removeAttribute('hidden');
    const f = extractFields('extranet', doc);
    expect(f.error?.httpStatus).toBe(409);
    expect(f.success).toBe('Modifications de l’opérateur tmartin enregistrées.');
  });

  it('the period falls back to the date inputs before the result table arrives', () => {
    const doc = load('extranet-stats.html');
    byId(doc, 'tableau-statistiques').remove();
    (byId(doc, 'stats-du') as HTMLInputElement).value = '2025-02-01';
    (byId(doc, 'stats-au') as HTMLInputElement).value = '2025-02-28';
    expect(extractFields('extranet', doc).period).toEqual({ from: '2025-02-01', to: '2025-02-28' });
  });
});

// ------------------------------------------------------------------ Every fixture

describe('every fixture', () => {
  it.each(FIXTURES)('%s: every surface extraction parses and is well formed', (file) => {
    const doc = load(file);
    for (const surface of SURFACES) {
      const f = extractFields(surface, doc);
      expect(f.surface).toBe(surface);
      expect(SurfaceFieldsSchema.safeParse(f).success, surface).toBe(true);
      expectWellFormed(f);
    }
  });

  it('the other surface reads nothing, nor does an unknown surface name', () => {
    const doc = load('bar-in-call.html');
    expect(extractFields('other', doc)).toEqual({ surface: 'other' });
    for (const bogus of ['__proto__', 'constructor', 'toString', 'BAR', ''])
      expect(extractFields(bogus as 'bar', doc), bogus).toEqual({ surface: 'other' });
  });

  it('a page with none of the elements gives the empty fields', () => {
    const doc = load('other.html');
    const bar = extractFields('bar', doc);
    expect(bar).toEqual(emptyFields('bar'));
    expect(bar.agent).toEqual({ login: null, name: null, company: null });
    expect(bar.call).toBeNull();
    expect(extractFields('supervision', document.createElement('div'))).toEqual(emptyFields('supervision'));
    expect(extractFields('extranet', document.createDocumentFragment())).toEqual(emptyFields('extranet'));
  });
});

// ------------------------------------------------------------------ Hostile pages

describe('hostile DOM', () => {
  it('never throws, and caps strings and rows', () => {
    const doc = load('hostile.html');
    for (const surface of SURFACES) {
      let f: object = {};
      expect(() => (f = extractFields(surface, doc))).not.toThrow();
      expectWellFormed(f);
    }
    const bar = extractFields('bar', doc);
    expect(bar.queues).toHaveLength(MAX_ROWS);
    expect(bar.agent.name).toHaveLength(MAX_STRING);
    expect(bar.agent.name?.endsWith('…')).toBe(true);
    expect(bar.call?.idAppel).toBe(`${'9'.repeat(MAX_STRING - 1)}…`);
    const sup = extractFields('supervision', doc);
    expect(sup.queues).toHaveLength(MAX_ROWS);
    expect(sup.alerts).toHaveLength(MAX_ROWS);
    expect(sup.alerts[0]?.type).toBe('t1');
    expect(sup.supervisor.login).toHaveLength(MAX_STRING);
    expect(sup.selectedOperator?.login).toHaveLength(MAX_STRING);
    expect(extractFields('extranet', doc).fieldErrors).toHaveLength(MAX_ROWS);
  });

  it('cleans text: invisible and bidi characters, script/style/template text, comments', () => {
    const bar = extractFields('bar', load('hostile.html'));
    expect(bar.agent.login).toBe('jdupont');
    expect(bar.status.label).toBe('En pause / Formation');
    expect(bar.queues[0]).toEqual({ id: '1', name: 'File 1', colour: '#000001', waiting: 1 });
    expect(bar.call?.callerNumber).toBe('+33 6 12 34 56 78');
    expect(bar.call?.group.name).toBe('Groupe SVG');
  });

  it('broken values read as null: unknown codes, bad numbers, bad colours, blank attributes', () => {
    const doc = load('hostile.html');
    const bar = extractFields('bar', doc);
    // "piraté" is not a status category: the #bandeau fallback is used
    expect(bar.status.category).toBe('en-communication');
    expect(bar.status.code).toBeNull();
    expect(bar.status.elapsedSeconds).toBeNull();
    expect(bar.waitingCalls).toBeNull();
    expect(bar.queues[2]?.waiting).toBeNull();
    expect(bar.agent.company).toBeNull();
    expect(bar.link.vmVersion).toBeNull();
    expect(bar.link.ctiCloseCode).toBeNull();
    expect(bar.call).toMatchObject({ state: 'sonnerie', direction: null, waitSeconds: null, talkSeconds: null });
    expect(bar.call?.group).toEqual({ id: null, name: 'Groupe SVG', colour: null });
    const q = extractFields('supervision', doc).queues;
    expect(q[0]).toMatchObject({ waiting: 1, maxWaitSeconds: null, dmcSeconds: 272, colour: null, alert: null, understaffed: null });
    expect(q[1]?.alert).toBe(true);
    const ext = extractFields('extranet', doc);
    expect(ext.error).toEqual({ title: null, text: null, details: null, httpStatus: null, code: null, reference: null });
    expect(ext.object).toEqual({ type: 'operateur', id: null, mode: 'edition', label: null });
  });

  it('a megabyte of text and 20 000 nodes are capped', () => {
    const doc = load('bar-idle.html');
    byId(doc, 'operateur-nom').textContent = `  ${'Dupont '.repeat(150_000)}`;
    const junk = doc.createElement('div');
    for (let i = 0; i < 20_000; i++) junk.append(doc.createElement('span'));
    byId(doc, 'operateur-societe').append(junk);
    byId(doc, 'operateur').removeAttribute('data-societe');
    const f = extractFields('bar', doc);
    expect(f.agent.name).toBe(capString('Dupont '.repeat(40).trim()));
    expect(f.agent.company).toBe('Horizon Assurances');
  }, 30_000);

  it('throwing getters and methods only spoil their own fields', () => {
    const doc = load('bar-ringing.html');
    const boom = () => {
      throw new Error('boom');
    };
    Object.defineProperty(byId(doc, 'operateur-nom'), 'firstChild', { get: boom });
    const groupe = byId(doc, 'appel-groupe');
    const getAttribute = groupe.getAttribute.bind(groupe);
    // (only for data-* names: happy-dom's own selector matching calls getAttribute too)
    Object.defineProperty(groupe, 'getAttribute', { value: (n: string) => (n.startsWith('data-') ? boom() : getAttribute(n)) });
    Object.defineProperty(byId(doc, 'mes-files'), 'querySelectorAll', { value: boom });
    Object.defineProperty(byId(doc, 'appel-numero-service'), 'nodeType', { get: boom });
    const f = extractFields('bar', doc);
    expect(f.agent).toEqual({ login: 'jdupont', name: null, company: 'Horizon Assurances' });
    expect(f.call?.group).toEqual({ id: null, name: 'Service client', colour: null });
    expect(f.call?.serviceNumber).toBeNull();
    expect(f.call?.callerNumber).toBe('+33 6 95 27 41 08');
    expect(f.queues).toHaveLength(2);
  });

  it('a rows query that throws gives an empty list', () => {
    const doc = load('supervision-initial.html');
    const root = {
      querySelector: (s: string) => doc.querySelector(s),
      querySelectorAll: () => {
        throw new Error('boom');
      },
    } as unknown as ParentNode;
    const f = extractFields('supervision', root);
    expect(f.queues).toEqual([]);
    expect(f.alerts).toEqual([]);
    expect(f.supervisor).toEqual(SUPERVISOR);
  });

  it.each([
    ['null', null],
    ['a plain object', {}],
    ['a text node', document.createTextNode('x')],
    ['a root whose queries throw', { querySelector: () => { throw new Error('x'); }, querySelectorAll: () => { throw new Error('x'); } }],
    ['a revoked proxy', (() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })()],
    ['a proxy that throws on every access', new Proxy({}, { get: () => { throw new Error('trap'); }, has: () => { throw new Error('trap'); } })],
  ])('a hostile root (%s) gives the empty fields', (_label, root) => {
    for (const surface of SURFACES) {
      let f: object = {};
      expect(() => (f = extractFields(surface, root as unknown as ParentNode))).not.toThrow();
      expect(f).toEqual(emptyFields(surface));
    }
  });

  it('an invalid selector in a spec reads as null', () => {
    const spec: SurfaceSpec = {
      fields: {
        bad: { selector: '#[[[', read: 'text' },
        rows: { kind: 'list', rows: 'li:::', fields: { a: { read: 'text' } } },
        obj: { kind: 'object', scope: '>>>', fields: { a: { read: 'text' } } },
        ok: { selector: '#operateur-login', read: 'text', fallback: [{ selector: '%%', read: 'text' }] },
      },
    };
    expect(extractWithSpec(spec, load('bar-idle.html'))).toEqual({ bad: null, rows: [], obj: null, ok: 'jdupont' });
  });
});

// ------------------------------------------------------------------ The engine

describe('engine', () => {
  const doc = () => {
    const d = document.implementation.createHTMLDocument('t');
    d.body.innerHTML = `
      <div id="a" data-n=" 12 " data-b="true" data-c="False" title="  x  ">
        <span class="v">  1 234 </span><span class="d">1:02:05</span><input id="i">
        <ul><li data-k="1">one</li><li data-k="2">two</li><li data-k="3">three</li><li>four</li></ul>
      </div>
      <p id="empty">  —  </p>`;
    (d.getElementById('i') as HTMLInputElement).value = '  typed   value ';
    return d;
  };

  it('reads text, numbers, durations, values, attributes and presence', () => {
    const spec: SurfaceSpec = {
      fields: {
        text: { selector: '#a .v', read: 'text' },
        number: { selector: '#a .v', read: 'number' },
        seconds: { selector: '#a .d', read: 'seconds' },
        value: { selector: '#i', read: 'value' },
        attr: { selector: '#a', read: 'attr:title' },
        numAttr: { selector: '#a', read: 'num-attr:data-n' },
        boolTrue: { selector: '#a', read: 'bool-attr:data-b' },
        boolOther: { selector: '#a', read: 'bool-attr:data-c' },
        present: { selector: '#a li', read: 'present' },
        absent: { selector: '#nope', read: 'present' },
        missing: { selector: '#nope', read: 'text' },
        placeholder: { selector: '#empty', read: 'text' },
        valueOfNonControl: { selector: '#a', read: 'value' },
      },
    };
    expect(extractWithSpec(spec, doc())).toEqual({
      text: '1 234',
      number: 1234,
      seconds: 3725,
      value: 'typed value',
      attr: 'x',
      numAttr: 12,
      boolTrue: true,
      boolOther: null,
      present: true,
      absent: false,
      missing: null,
      placeholder: null,
      valueOfNonControl: null,
    });
  });

  it('applies fallbacks in order, oneOf and pattern per candidate', () => {
    const spec: SurfaceSpec = {
      fields: {
        firstNonNull: { selector: '#nope', read: 'text', fallback: [{ selector: '#empty', read: 'text' }, { selector: 'li', read: 'text' }] },
        oneOfRejects: { selector: 'li', read: 'text', oneOf: ['two'], fallback: [{ selector: 'li[data-k="2"]', read: 'text' }] },
        pattern: { selector: '#a .d', read: 'text', pattern: '^(\\d+):' },
        patternNumber: { selector: '#a .d', read: 'number', pattern: ':(\\d+):' },
        patternMiss: { selector: '#a .d', read: 'text', pattern: 'zzz' },
      },
    };
    expect(extractWithSpec(spec, doc())).toEqual({ firstNonNull: 'one', oneOfRejects: 'two', pattern: '1', patternNumber: 2, patternMiss: null });
  });

  it('lists: rows in document order, capped by max; objects: when and scope', () => {
    const spec: SurfaceSpec = {
      fields: {
        rows: { kind: 'list', rows: '#a li', max: 3, fields: { k: { read: 'num-attr:data-k' }, t: { read: 'text' } } },
        whenFalse: { kind: 'object', when: '#nope', fields: { t: { selector: 'li', read: 'text' } } },
        whenTrue: { kind: 'object', when: '#a', fields: { t: { selector: 'li', read: 'text' } } },
        scoped: { kind: 'object', scope: 'li[data-k="3"]', fields: { t: { read: 'text' }, k: { read: 'attr:data-k' } } },
        scopeMissing: { kind: 'object', scope: '#nope', fields: { t: { read: 'text' } } },
        plain: { kind: 'object', fields: { t: { selector: '#nope', read: 'text' } } },
      },
    };
    expect(extractWithSpec(spec, doc())).toEqual({
      rows: [
        { k: 1, t: 'one' },
        { k: 2, t: 'two' },
        { k: 3, t: 'three' },
      ],
      whenFalse: null,
      whenTrue: { t: 'one' },
      scoped: { t: 'three', k: '3' },
      scopeMissing: null,
      plain: { t: null },
    });
  });

  it.each([
    ['12', 12],
    ['-3', -3],
    ['1 234', 1234],
    ['1\u202f234\u00a0567', 1234567],
    ['12,5', 12.5],
    ['12 appels', null],
    ['1e400', null],
    ['0x10', null],
    ['Infinity', null],
    ['', null],
    [null, null],
  ])('parseNumber(%j) = %j', (s, n) => {
    expect(parseNumber(s)).toBe(n);
  });

  it.each([
    ['00:25', 25],
    ['03:35', 215],
    ['1:02:05', 3725],
    ['4 min 32 s', 272],
    ['28 s', 28],
    ['1 h 05 min', 3900],
    ['45', 45],
    ['99:99', null],
    ['—', null],
    ['abc', null],
    ['', null],
    [null, null],
  ])('parseSeconds(%j) = %j', (s, n) => {
    expect(parseSeconds(s)).toBe(n);
  });

  it('caps strings without splitting a surrogate pair', () => {
    expect(capString('a'.repeat(MAX_STRING))).toBe('a'.repeat(MAX_STRING));
    const capped = capString(`${'a'.repeat(MAX_STRING - 2)}😀😀`);
    expect(capped).toBe(`${'a'.repeat(MAX_STRING - 2)}…`);
    expect(capped.length).toBeLessThanOrEqual(MAX_STRING);
  });
});
