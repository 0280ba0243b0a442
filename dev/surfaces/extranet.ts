/**
 * Extranet (administration interface, admin.axialys.net) back end: one small REST collection per
 * tab, with server-side validation that fails the way a real back office does (409 on a duplicate
 * identifier, 422 on invalid fields, 500 "Erreur interne" on a known bug and on the demo fault),
 * the dynamic statistics pages, and a notifications WebSocket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocket } from 'ws';
import { ADMIN, COMPANY, GROUPES, OPERATEURS, PAUSES, SUPERVISEUR, courriel } from './data';
import {
  HttpError,
  TimerBag,
  readJson,
  requestedFault,
  sendError,
  sendInternalError,
  sendJson,
  sendNoContent,
} from './http';
import { SLOW_API_MS } from './bar';

type Item = Record<string, unknown> & { id: string };

export class ValidationError extends HttpError {
  constructor(
    message: string,
    readonly champs: Record<string, string>,
  ) {
    super(422, 'VALIDATION', message);
  }
}

const LANGUES = ['fr', 'en', 'it', 'es'];
const PRESENTATIONS = ['anonyme', 'numero_op', 'entrant_cti', 'personnalise'];
const DIALPLANS = ['fr', 'ch', 'es', 'gb', 'it'];
const FENETRES = ['masquee', 'popup_unique', 'fenetre_par_appel', 'onglets'];
const ETAPES_SVI = [
  'Menu', 'Horaires', 'Groupe', 'Message', 'Messagerie', 'Répartition', 'Redirection', 'Filtrage',
  'Callback', 'Saisie', 'Requête', 'Variable', 'Reconnaissance', 'SMS', 'Réglages perso.',
];
const GROUPE_IDS = GROUPES.map((g) => g.id);

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
}
function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === 'on' || v === 1 || v === '1';
}
function ids(v: unknown): number[] {
  const arr = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v];
  return arr.map((x) => Number(x)).filter((x) => Number.isInteger(x));
}
function isEmail(v: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);
}
function isFrenchNumber(v: string): boolean {
  return /^(?:\+33 ?[1-9]|0[1-9])(?:[ .]?\d{2}){4}$/.test(v);
}

interface Collection {
  /** Identifier field of new items; numeric ids are generated. */
  idField: string | null;
  items: Item[];
  label: string;
  validate(input: Record<string, unknown>, existing: Item | null, all: Item[]): Item;
}

function makeCollections(): Record<string, Collection> {
  let nextId = 10;
  const genId = () => String(++nextId);

  const operateurs: Collection = {
    idField: 'identifiant',
    label: 'opérateur',
    items: OPERATEURS.map((o) => ({
      id: o.login,
      identifiant: o.login,
      nom: o.nom,
      email: o.email,
      langue: o.langue,
      presentation: o.presentation,
      numero_presente: o.numeroPresente,
      dialplan: o.dialplan,
      fenetre_externe: o.fenetreExterne,
      groupes: [...o.groupes],
      actif: o.login !== 'gbianchi',
    })),
    validate(input, existing, all) {
      const champs: Record<string, string> = {};
      const identifiant = existing ? existing.id : str(input.identifiant).toLowerCase();
      if (!existing) {
        if (!identifiant) champs.identifiant = "L'identifiant est obligatoire.";
        else if (!/^[a-z0-9][a-z0-9._-]{1,31}$/.test(identifiant)) {
          champs.identifiant = "L'identifiant ne peut contenir que des lettres minuscules sans accent, des chiffres, « . », « _ » ou « - » (2 à 32 caractères).";
        }
      }
      const nom = str(input.nom);
      if (!nom) champs.nom = 'Le nom complet est obligatoire.';
      const email = str(input.email);
      if (!email) champs.email = "L'adresse e-mail est obligatoire (le mot de passe y est envoyé).";
      else if (!isEmail(email)) champs.email = "L'adresse e-mail n'est pas valide.";
      const langue = str(input.langue) || 'fr';
      if (!LANGUES.includes(langue)) champs.langue = 'Langue du bandeau inconnue.';
      const presentation = str(input.presentation) || 'entrant_cti';
      if (!PRESENTATIONS.includes(presentation)) champs.presentation = 'Présentation du numéro inconnue.';
      const numero = str(input.numero_presente);
      if (presentation === 'personnalise' && !isFrenchNumber(numero)) {
        champs.numero_presente = 'Indiquez un numéro présenté valide (ex. 01 84 88 00 00).';
      }
      const dialplan = str(input.dialplan) || 'fr';
      if (!DIALPLANS.includes(dialplan)) champs.dialplan = 'Dialplan inconnu.';
      const fenetre = str(input.fenetre_externe) || 'masquee';
      if (!FENETRES.includes(fenetre)) champs.fenetre_externe = 'Mode de fenêtre inconnu.';
      const groupes = ids(input.groupes).filter((g) => GROUPE_IDS.includes(g));
      if (Object.keys(champs).length) throw new ValidationError('Le formulaire contient des erreurs.', champs);
      if (!existing && all.some((o) => o.id === identifiant)) {
        throw new HttpError(409, 'IDENTIFIANT_EXISTANT', `L'identifiant « ${identifiant} » est déjà utilisé par un autre opérateur.`);
      }
      // Known back-office bug kept on purpose: a typographic apostrophe in the name crashes the
      // legacy encoding step, answered as a plain 500.
      if (/[\u2019\u2018]/.test(nom)) throw new HttpError(500, 'ERREUR_INTERNE', 'Erreur interne.');
      return {
        id: identifiant,
        identifiant,
        nom,
        email,
        langue,
        presentation,
        numero_presente: presentation === 'personnalise' ? numero : '',
        dialplan,
        fenetre_externe: fenetre,
        groupes,
        actif: input.actif === undefined ? true : bool(input.actif),
      };
    },
  };

  const typesPauses: Collection = {
    idField: null,
    label: 'type de pause',
    items: PAUSES.map((p, i) => ({
      id: p.code,
      code: p.code,
      numero: i + 1,
      titre: p.titre,
      duree_max: p.dureeMax,
      traitement_campagne: p.traitementCampagne,
    })),
    validate(input, existing, all) {
      const champs: Record<string, string> = {};
      const titre = str(input.titre);
      if (titre.length > 30) champs.titre = 'Le titre ne peut pas dépasser 30 caractères.';
      const duree = Number(str(input.duree_max) || '0');
      if (!Number.isInteger(duree) || duree < 0 || duree > 240) champs.duree_max = 'La durée maximale doit être comprise entre 0 et 240 minutes.';
      if (Object.keys(champs).length) throw new ValidationError('Le formulaire contient des erreurs.', champs);
      if (titre && all.some((p) => p.id !== existing?.id && str(p.titre).toLowerCase() === titre.toLowerCase())) {
        throw new HttpError(409, 'TITRE_EXISTANT', `Une pause intitulée « ${titre} » existe déjà.`);
      }
      if (!existing && all.length >= 50) throw new HttpError(409, 'LIMITE_ATTEINTE', 'Nombre maximal de pauses atteint (50).');
      const numero = existing ? Number(existing.numero) : all.length + 1;
      const code = existing ? existing.id : `user${numero - 1}`;
      return { id: code, code, numero, titre, duree_max: duree, traitement_campagne: bool(input.traitement_campagne) };
    },
  };

  const superviseurs: Collection = {
    idField: 'identifiant',
    label: 'superviseur',
    items: [
      { id: SUPERVISEUR.login, identifiant: SUPERVISEUR.login, nom: SUPERVISEUR.nom, email: SUPERVISEUR.email, langue: 'fr', affichage: 'horizontal', rapport_quotidien: true, ecoute_discrete: false, files: [...GROUPE_IDS] },
      { id: 'hgirard', identifiant: 'hgirard', nom: 'Hélène Girard', email: courriel('hgirard'), langue: 'fr', affichage: 'vertical', rapport_quotidien: false, ecoute_discrete: true, files: [101, 102] },
      { id: 'pchevalier', identifiant: 'pchevalier', nom: 'Paul Chevalier', email: courriel('pchevalier'), langue: 'fr', affichage: 'vertical', rapport_quotidien: true, ecoute_discrete: false, files: [103, 104] },
    ],
    validate(input, existing, all) {
      const champs: Record<string, string> = {};
      const identifiant = existing ? existing.id : str(input.identifiant).toLowerCase();
      if (!existing && !/^[a-z0-9][a-z0-9._-]{1,31}$/.test(identifiant)) champs.identifiant = "Identifiant invalide (lettres minuscules, chiffres, « . », « _ », « - »).";
      const nom = str(input.nom);
      if (!nom) champs.nom = 'Le nom est obligatoire.';
      const email = str(input.email);
      if (!email) champs.email = "L'adresse e-mail est obligatoire.";
      else if (!isEmail(email)) champs.email = "L'adresse e-mail n'est pas valide.";
      const affichage = str(input.affichage) || 'vertical';
      if (!['vertical', 'horizontal'].includes(affichage)) champs.affichage = "Format d'affichage inconnu.";
      const files = ids(input.files).filter((g) => GROUPE_IDS.includes(g));
      if (!files.length) champs.files = 'Sélectionnez au moins un groupe de compétences.';
      if (Object.keys(champs).length) throw new ValidationError('Le formulaire contient des erreurs.', champs);
      if (!existing && all.some((x) => x.id === identifiant)) {
        throw new HttpError(409, 'IDENTIFIANT_EXISTANT', `L'identifiant « ${identifiant} » est déjà utilisé par un autre superviseur.`);
      }
      return {
        id: identifiant,
        identifiant,
        nom,
        email,
        langue: LANGUES.includes(str(input.langue)) ? str(input.langue) : 'fr',
        affichage,
        rapport_quotidien: bool(input.rapport_quotidien),
        ecoute_discrete: bool(input.ecoute_discrete),
        files,
      };
    },
  };

  const svi: Collection = {
    idField: null,
    label: 'SVI',
    items: [
      { id: '1', nom: 'Accueil principal', numeros: '01 84 88 00 00', etapes: ['Horaires', 'Menu', 'Groupe', 'Messagerie'], modifie_le: '2025-10-14T09:12:00+02:00' },
      { id: '2', nom: 'Sinistres 24/7', numeros: '09 70 80 55 21', etapes: ['Message', 'Saisie', 'Requête', 'Variable', 'Groupe'], modifie_le: '2025-09-02T16:40:00+02:00' },
      { id: '3', nom: 'Recouvrement', numeros: '01 84 88 31 07', etapes: ['Horaires', 'Filtrage', 'Groupe', 'Callback'], modifie_le: '2025-06-23T11:05:00+02:00' },
    ],
    validate(input, existing, all) {
      const champs: Record<string, string> = {};
      const nom = str(input.nom);
      if (!nom) champs.nom = 'Le nom du SVI est obligatoire.';
      const etapes = (Array.isArray(input.etapes) ? input.etapes : str(input.etapes).split(','))
        .map((x) => str(x))
        .filter(Boolean);
      const inconnues = etapes.filter((e) => !ETAPES_SVI.includes(e));
      if (inconnues.length) champs.etapes = `Étape inconnue : ${inconnues.join(', ')}.`;
      if (!etapes.length) champs.etapes = 'Un SVI doit contenir au moins une étape.';
      if (Object.keys(champs).length) throw new ValidationError('Le formulaire contient des erreurs.', champs);
      if (all.some((x) => x.id !== existing?.id && str(x.nom).toLowerCase() === nom.toLowerCase())) {
        throw new HttpError(409, 'NOM_EXISTANT', `Un SVI nommé « ${nom} » existe déjà.`);
      }
      return { id: existing?.id ?? genId(), nom, numeros: str(input.numeros), etapes, modifie_le: new Date().toISOString() };
    },
  };

  const acheminements: Collection = {
    idField: null,
    label: 'acheminement',
    items: GROUPES.map((g, i) => ({
      id: String(i + 1),
      numero: g.sda,
      libelle: g.nom,
      destination: i === 0 ? 'svi:1' : i === 2 ? 'svi:2' : i === 3 ? 'svi:3' : `groupe:${g.id}`,
      horaires: i === 2 ? '24 h/24, 7 j/7' : 'Lun–Ven 8h30–18h30',
      actif: true,
    })),
    validate(input, existing, all) {
      const champs: Record<string, string> = {};
      const numero = str(input.numero);
      if (!isFrenchNumber(numero)) champs.numero = 'Numéro de service (SDA) invalide. Format attendu : 01 84 88 00 00.';
      const libelle = str(input.libelle);
      if (!libelle) champs.libelle = 'Le libellé est obligatoire.';
      const destination = str(input.destination);
      if (!/^(svi:\d+|groupe:\d+|renvoi:.+)$/.test(destination)) champs.destination = 'Destination invalide.';
      if (Object.keys(champs).length) throw new ValidationError('Le formulaire contient des erreurs.', champs);
      const norm = (n: string) => n.replace(/\D/g, '').replace(/^33/, '0');
      if (all.some((x) => x.id !== existing?.id && norm(str(x.numero)) === norm(numero))) {
        throw new HttpError(409, 'NUMERO_EXISTANT', `Le numéro ${numero} est déjà acheminé.`);
      }
      return { id: existing?.id ?? genId(), numero, libelle, destination, horaires: str(input.horaires), actif: input.actif === undefined ? true : bool(input.actif) };
    },
  };

  const campagnes: Collection = {
    idField: null,
    label: 'campagne',
    items: [
      { id: '1', nom: 'Relance devis habitation', groupe: 105, debut: '2025-11-03', fin: '2025-11-28', statut: 'en_cours', contacts: 1240, traites: 815 },
      { id: '2', nom: 'Enquête satisfaction T3', groupe: 101, debut: '2025-10-01', fin: '2025-10-31', statut: 'terminee', contacts: 620, traites: 620 },
      { id: '3', nom: 'Impayés novembre', groupe: 104, debut: '2025-12-01', fin: '2025-12-19', statut: 'brouillon', contacts: 312, traites: 0 },
    ],
    validate(input, existing, all) {
      const champs: Record<string, string> = {};
      const nom = str(input.nom);
      if (!nom) champs.nom = 'Le nom de la campagne est obligatoire.';
      const groupe = Number(str(input.groupe));
      if (!GROUPE_IDS.includes(groupe)) champs.groupe = 'Choisissez le groupe qui traite la campagne.';
      const debut = str(input.debut);
      const fin = str(input.fin);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(debut)) champs.debut = 'Date de début invalide.';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(fin)) champs.fin = 'Date de fin invalide.';
      else if (debut && fin < debut) champs.fin = 'La date de fin doit être postérieure à la date de début.';
      if (Object.keys(champs).length) throw new ValidationError('Le formulaire contient des erreurs.', champs);
      if (all.some((x) => x.id !== existing?.id && str(x.nom).toLowerCase() === nom.toLowerCase())) {
        throw new HttpError(409, 'NOM_EXISTANT', `Une campagne nommée « ${nom} » existe déjà.`);
      }
      return {
        id: existing?.id ?? genId(),
        nom,
        groupe,
        debut,
        fin,
        statut: existing?.statut ?? 'brouillon',
        contacts: existing?.contacts ?? 0,
        traites: existing?.traites ?? 0,
      };
    },
  };

  return {
    operateurs,
    'types-pauses': typesPauses,
    superviseurs,
    svi,
    acheminements,
    campagnes,
  };
}

const STAT_PAGES = [
  { id: 'appels-entrants', titre: 'Appels entrants' },
  { id: 'sortants-acheminement', titre: 'Sortants vers acheminement' },
  { id: 'campagnes', titre: 'Campagnes' },
  { id: 'operateurs', titre: 'Opérateurs' },
  { id: 'transferts', titre: 'Transferts' },
  { id: 'groupes', titre: 'Groupes' },
];

function statistiques(page: string, du: string, au: string) {
  const seed = [...`${page}${du}${au}`].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7);
  const rnd = (i: number, max: number) => ((seed >>> (i % 16)) + i * 7919) % max;
  if (page === 'operateurs') {
    return {
      colonnes: ['Opérateur', 'Appels traités', 'DMC', 'Temps en pause', 'Post-appel moyen'],
      lignes: OPERATEURS.slice(0, 8).map((o, i) => [o.nom, 40 + rnd(i, 90), `${3 + rnd(i + 1, 4)} min ${10 + rnd(i + 2, 49)} s`, `${30 + rnd(i + 3, 80)} min`, `${3 + rnd(i + 4, 3)} s`]),
    };
  }
  return {
    colonnes: ['Groupe', 'Appels reçus', 'Appels décrochés', 'Abandons (ABORT)', 'Taux de décroché', 'DMA'],
    lignes: GROUPES.map((g, i) => {
      const recus = 80 + rnd(i, 400);
      const decroches = Math.round(recus * (0.82 + rnd(i + 5, 15) / 100));
      return [g.nom, recus, decroches, recus - decroches, `${(Math.round((decroches / recus) * 1000) / 10).toFixed(1).replace('.', ',')} %`, `${20 + rnd(i + 9, 90)} s`];
    }),
  };
}

export class ExtranetBackend {
  private readonly collections = makeCollections();
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly timers: TimerBag) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    if (!p.startsWith('/api/')) return false;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const fault = requestedFault(req, url);

    if (p === '/api/session' && method === 'GET') {
      sendJson(req, res, 200, {
        administrateur: { ...ADMIN },
        societe: COMPANY.nom,
        compte: COMPANY.compte,
        offre: 'Voice Management — Centrex',
        groupes: GROUPES.map((g) => ({ id: g.id, nom: g.nom, couleur: g.couleur })),
        etapes_svi: ETAPES_SVI,
        notifications: 'wss://admin.axialys.net/notifications',
      });
      return true;
    }

    if (p === '/api/statistiques/pages' && method === 'GET') {
      sendJson(req, res, 200, { pages: STAT_PAGES });
      return true;
    }
    const sm = /^\/api\/statistiques\/([a-z-]+)$/.exec(p);
    if (sm && method === 'GET') {
      const page = STAT_PAGES.find((x) => x.id === sm[1]);
      if (!page) throw new HttpError(404, 'PAGE_INCONNUE', `Page de statistiques inconnue : ${sm[1]}`);
      const today = new Date().toISOString().slice(0, 10);
      const du = url.searchParams.get('du') ?? today;
      const au = url.searchParams.get('au') ?? today;
      const answer = () => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(du) || !/^\d{4}-\d{2}-\d{2}$/.test(au)) {
          sendError(req, res, 400, 'PERIODE_INVALIDE', 'Période invalide.');
          return;
        }
        const days = (Date.parse(au) - Date.parse(du)) / 86_400_000;
        if (days < 0) {
          sendError(req, res, 422, 'PERIODE_INVALIDE', 'La date de fin doit être postérieure à la date de début.');
          return;
        }
        if (days > 31) {
          sendError(req, res, 422, 'PERIODE_TROP_LONGUE', 'La période ne peut pas dépasser un mois.');
          return;
        }
        sendJson(req, res, 200, { page: page.id, titre: page.titre, du, au, ...statistiques(page.id, du, au) });
      };
      if (fault === 'slow') this.timers.timeout(SLOW_API_MS, answer);
      else answer();
      return true;
    }

    const m = /^\/api\/([a-z-]+)(?:\/([A-Za-z0-9._-]+))?$/.exec(p);
    const col = m ? this.collections[m[1] ?? ''] : undefined;
    if (!m || !col) {
      sendError(req, res, 404, 'INTROUVABLE', `Ressource introuvable : ${p}`);
      return true;
    }
    const id = m[2];
    if (!id && method === 'GET') {
      sendJson(req, res, 200, { elements: col.items, total: col.items.length });
      return true;
    }
    if (id && method === 'GET') {
      const item = col.items.find((x) => x.id === id);
      if (!item) throw new HttpError(404, 'INTROUVABLE', `${col.label} introuvable : ${id}`);
      sendJson(req, res, 200, item);
      return true;
    }
    if (method === 'POST' || method === 'PUT' || method === 'DELETE') {
      const body = method === 'DELETE' ? {} : await readJson(req);
      if (fault === '500') {
        sendInternalError(req, res);
        return true;
      }
      if (method === 'POST' && !id) {
        const item = col.validate(body, null, col.items);
        col.items.push(item);
        this.notify(`${col.label.charAt(0).toUpperCase()}${col.label.slice(1)} « ${String(item.nom ?? item.titre ?? item.id)} » créé(e) par ${ADMIN.login}`);
        sendJson(req, res, 201, item);
        return true;
      }
      if (id) {
        const idx = col.items.findIndex((x) => x.id === id);
        const existing = col.items[idx];
        if (!existing) throw new HttpError(404, 'INTROUVABLE', `${col.label} introuvable : ${id}`);
        if (method === 'DELETE') {
          col.items.splice(idx, 1);
          sendNoContent(req, res);
          return true;
        }
        if (method === 'PUT') {
          const item = col.validate(body, existing, col.items);
          col.items[idx] = item;
          sendJson(req, res, 200, item);
          return true;
        }
      }
    }
    sendError(req, res, 405, 'METHODE_NON_AUTORISEE', 'Méthode non autorisée.');
    return true;
  }

  private notify(message: string): void {
    const text = JSON.stringify({ type: 'notification', message, horodatage: new Date().toISOString() });
    for (const ws of this.sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  attach(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.send(JSON.stringify({ type: 'bienvenue', compte: COMPANY.compte, horodatage: new Date().toISOString() }));
    const hb = this.timers.interval(25_000, () => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'battement', horodatage: new Date().toISOString() }));
    });
    ws.on('message', (raw) => {
      try {
        const msg = JSON.parse(String(raw)) as { type?: unknown };
        if (msg.type === 'demo.coupure') ws.terminate();
      } catch {
        /* ignored */
      }
    });
    ws.on('close', () => {
      this.timers.cancel(hb);
      this.sockets.delete(ws);
    });
    ws.on('error', () => undefined);
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
  }
}
