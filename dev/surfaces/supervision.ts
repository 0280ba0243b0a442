/**
 * Supervision screen back end: a snapshot API, operator actions (forced break, end of break,
 * unblock, log out, suspend in a queue) and the live socket `/supervision/live` that pushes the
 * state every few seconds. State is per supervision session (one per page load).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocket } from 'ws';
import { COMPANY, GROUPES, OPERATEURS, SUPERVISEUR, randomHex, statutFromCode, type Statut } from './data';
import { HttpError, TimerBag, readJson, requestedFault, sendError, sendInternalError, sendJson } from './http';
import { SLOW_API_MS } from './bar';

const LIVE_PUSH_MS = 3000;
const DMC_REFRESH_MS = 6 * 60 * 1000;
const MAX_SESSIONS = 200;

interface FileEtat {
  id: number;
  enAttente: number;
  /** Epoch ms of the oldest waiting caller, null when nobody waits. */
  plusAncien: number | null;
  dmc: number;
  dma: number;
}

interface OpEtat {
  login: string;
  nom: string;
  poste: string;
  statut: Statut;
  depuis: number;
  files: { id: number; suspendu: boolean }[];
  fileCourante: number | null;
  /** Set once a supervisor acted on the operator: the simulation leaves it alone afterwards. */
  manuel: boolean;
  simule: boolean;
}

interface SupSession {
  token: string;
  createdAt: number;
  files: FileEtat[];
  operateurs: OpEtat[];
  dmcMaj: number;
  sockets: Set<WebSocket>;
}

const MINUTE = 60_000;

function initialOperators(now: number): OpEtat[] {
  const plan: Record<string, { code: string; ago: number; file?: number; simule?: boolean }> = {
    jdupont: { code: 'en_communication', ago: 3.2 * MINUTE, file: 101, simule: true },
    tmartin: { code: 'disponible', ago: 1.1 * MINUTE, simule: true },
    sbenali: { code: 'user1', ago: 24 * MINUTE },
    lmoreau: { code: 'en_communication', ago: 7.7 * MINUTE, file: 104 },
    cpetit: { code: 'catchup', ago: 0.1 * MINUTE, simule: true },
    nrousseau: { code: 'disponible', ago: 5.4 * MINUTE, simule: true },
    afontaine: { code: 'user2', ago: 42 * MINUTE },
    kdiallo: { code: 'en_communication', ago: 72 * MINUTE, file: 101 },
    gbianchi: { code: 'deconnecte', ago: 95 * MINUTE },
  };
  return OPERATEURS.map((o) => {
    const p = plan[o.login] ?? { code: 'disponible', ago: MINUTE };
    return {
      login: o.login,
      nom: o.nom,
      poste: o.poste,
      statut: statutFromCode(p.code)!,
      depuis: now - Math.round(p.ago),
      files: o.groupes.map((id) => ({ id, suspendu: o.login === 'sbenali' && id === 105 })),
      fileCourante: p.file ?? null,
      manuel: false,
      simule: p.simule ?? false,
    };
  });
}

function initialFiles(now: number): FileEtat[] {
  const plan: Record<number, [number, number, number, number]> = {
    // en attente, plus ancien (s), DMC (s), DMA (s)
    101: [7, 214, 272, 96],
    102: [1, 35, 401, 28],
    103: [2, 64, 356, 51],
    104: [3, 148, 318, 87],
    105: [0, 0, 189, 12],
  };
  return GROUPES.map((g) => {
    const [n, oldest, dmc, dma] = plan[g.id] ?? [0, 0, 240, 30];
    return { id: g.id, enAttente: n, plusAncien: n > 0 ? now - oldest * 1000 : null, dmc, dma };
  });
}

export class SupervisionBackend {
  private readonly sessions = new Map<string, SupSession>();

  constructor(private readonly timers: TimerBag) {}

  private session(token: string | null, create: boolean): SupSession | null {
    if (token && this.sessions.has(token)) return this.sessions.get(token) ?? null;
    if (!create) return null;
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = [...this.sessions.values()].sort((a, b) => a.createdAt - b.createdAt)[0];
      if (oldest) {
        for (const ws of oldest.sockets) ws.terminate();
        this.sessions.delete(oldest.token);
      }
    }
    const now = Date.now();
    const t = token && /^[A-Za-z0-9_-]{8,128}$/.test(token) ? token : randomHex(16);
    const s: SupSession = {
      token: t,
      createdAt: now,
      files: initialFiles(now),
      operateurs: initialOperators(now),
      dmcMaj: now - 2 * MINUTE,
      sockets: new Set(),
    };
    this.sessions.set(t, s);
    return s;
  }

  private tokenOf(req: IncomingMessage): string | null {
    const h = req.headers['x-axialys-session'];
    return (Array.isArray(h) ? h[0] : h) ?? null;
  }

  snapshot(s: SupSession) {
    const now = Date.now();
    const files = GROUPES.map((g) => {
      const f = s.files.find((x) => x.id === g.id)!;
      const membres = s.operateurs.filter((o) => o.files.some((x) => x.id === g.id && !x.suspendu));
      const connectes = membres.filter((o) => o.statut.categorie !== 'deconnecte').length;
      const disponibles = membres.filter((o) => o.statut.categorie === 'disponible').length;
      return {
        id: g.id,
        nom: g.nom,
        couleur: g.couleur,
        en_attente: f.enAttente,
        attente_max_s: f.plusAncien ? Math.round((now - f.plusAncien) / 1000) : 0,
        connectes,
        disponibles,
        dmc_s: f.dmc,
        dma_s: f.dma,
        seuil_attente: g.seuilAttente,
        min_operateurs: g.minOperateurs,
      };
    });
    const alertes: { type: string; niveau: string; groupe_id: number; message: string }[] = [];
    for (const f of files) {
      if (f.en_attente > f.seuil_attente) {
        alertes.push({
          type: 'trop-appels-en-attente',
          niveau: 'critique',
          groupe_id: f.id,
          message: `Trop d'appels en attente — ${f.nom} : ${f.en_attente} appels (seuil ${f.seuil_attente})`,
        });
      }
      if (f.connectes < f.min_operateurs) {
        alertes.push({
          type: 'operateurs-insuffisants',
          niveau: 'avertissement',
          groupe_id: f.id,
          message: `Pas assez d'opérateurs connectés — ${f.nom} : ${f.connectes} connecté${f.connectes > 1 ? 's' : ''} (minimum ${f.min_operateurs})`,
        });
      }
    }
    return {
      type: 'etat',
      horodatage: new Date(now).toISOString(),
      dmc_maj: new Date(s.dmcMaj).toISOString(),
      files,
      operateurs: s.operateurs.map((o) => ({
        login: o.login,
        nom: o.nom,
        poste: o.poste,
        statut: o.statut,
        depuis: new Date(o.depuis).toISOString(),
        files: o.files,
        file_courante: o.fileCourante,
      })),
      alertes,
    };
  }

  /** One simulation step: callers arrive and leave, some operators take and end calls. */
  private tick(s: SupSession): void {
    const now = Date.now();
    const ranges: Record<number, [number, number]> = { 101: [6, 9], 102: [0, 3], 103: [0, 4], 104: [1, 4], 105: [0, 2] };
    for (const f of s.files) {
      const [lo, hi] = ranges[f.id] ?? [0, 3];
      const next = Math.max(lo, Math.min(hi, f.enAttente + Math.floor(Math.random() * 3) - 1));
      if (next === 0) f.plusAncien = null;
      else if (f.enAttente === 0 || !f.plusAncien) f.plusAncien = now - Math.floor(Math.random() * 20_000);
      f.enAttente = next;
    }
    if (now - s.dmcMaj >= DMC_REFRESH_MS) {
      s.dmcMaj = now;
      for (const f of s.files) {
        f.dmc = Math.max(60, f.dmc + Math.floor(Math.random() * 41) - 20);
        f.dma = Math.max(5, f.dma + Math.floor(Math.random() * 21) - 10);
      }
    }
    for (const o of s.operateurs) {
      if (!o.simule || o.manuel) continue;
      if (Math.random() > 0.25) continue;
      const cat = o.statut.categorie;
      const since = now - o.depuis;
      if (cat === 'disponible' && since > 20_000) {
        o.statut = statutFromCode('en_communication')!;
        o.fileCourante = o.files[0]?.id ?? null;
        o.depuis = now;
      } else if (cat === 'en-communication' && since > 45_000) {
        o.statut = statutFromCode('catchup')!;
        o.depuis = now;
      } else if (cat === 'post-appel' && since > 4_000) {
        o.statut = statutFromCode('disponible')!;
        o.fileCourante = null;
        o.depuis = now;
      }
    }
  }

  private pushState(s: SupSession): void {
    const text = JSON.stringify(this.snapshot(s));
    for (const ws of s.sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    if (!p.startsWith('/api/supervision/')) return false;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const fault = requestedFault(req, url);

    if (p === '/api/supervision/profil' && method === 'GET') {
      const s = this.session(this.tokenOf(req), true)!;
      sendJson(req, res, 200, {
        session: s.token,
        superviseur: { ...SUPERVISEUR, societe: COMPANY.nom, compte: COMPANY.compte },
        droits: { ecoute_discrete: false, actions_operateurs: true, files: GROUPES.map((g) => g.id) },
        affichage: 'horizontal',
        live: 'wss://voice-management.axialys.com/supervision/live',
        ...this.snapshot(s),
      });
      return true;
    }

    if (p === '/api/supervision/etat' && method === 'GET') {
      const s = this.session(this.tokenOf(req), false);
      if (!s) throw new HttpError(401, 'SESSION_INVALIDE', 'Session de supervision expirée.');
      sendJson(req, res, 200, this.snapshot(s));
      return true;
    }

    if (p === '/api/supervision/statistiques' && method === 'GET') {
      const s = this.session(this.tokenOf(req), false);
      const answer = () =>
        sendJson(req, res, 200, {
          periode: "aujourd'hui",
          appels_recus: 412,
          appels_traites: 377,
          taux_decroche: 0.915,
          dmc_s: 281,
          dma_s: 64,
          files: s ? this.snapshot(s).files.map((f) => ({ id: f.id, nom: f.nom })) : [],
        });
      if (fault === 'slow') this.timers.timeout(SLOW_API_MS, answer);
      else answer();
      return true;
    }

    const m = /^\/api\/supervision\/operateurs\/([a-z0-9._-]+)\/(pause|fin-pause|debloquer|deconnecter|files\/(\d+))$/.exec(p);
    if (m && method === 'POST') {
      const body = await readJson(req);
      if (fault === '500') {
        sendInternalError(req, res);
        return true;
      }
      const s = this.session(this.tokenOf(req), false);
      if (!s) throw new HttpError(401, 'SESSION_INVALIDE', 'Session de supervision expirée.');
      const op = s.operateurs.find((o) => o.login === m[1]);
      if (!op) throw new HttpError(404, 'OPERATEUR_INCONNU', `Opérateur inconnu : ${m[1]}`);
      const action = m[2] ?? '';
      const now = Date.now();
      let message = '';
      if (action !== 'deconnecter' && op.statut.categorie === 'deconnecte' && !action.startsWith('files/')) {
        throw new HttpError(409, 'OPERATEUR_DECONNECTE', `${op.nom} n'est pas connecté(e).`);
      }
      if (action === 'pause') {
        if (op.statut.categorie === 'en-communication') {
          throw new HttpError(409, 'APPEL_EN_COURS', `${op.nom} est en communication : la pause sera possible à la fin de l'appel.`);
        }
        op.statut = statutFromCode('user0')!;
        message = `${op.nom} a été mis(e) en pause.`;
      } else if (action === 'fin-pause') {
        if (op.statut.categorie !== 'pause') throw new HttpError(409, 'PAS_EN_PAUSE', `${op.nom} n'est pas en pause.`);
        op.statut = statutFromCode('disponible')!;
        message = `Fin de pause pour ${op.nom}.`;
      } else if (action === 'debloquer') {
        op.statut = statutFromCode('disponible')!;
        op.fileCourante = null;
        message = `Le bandeau de ${op.nom} a été relancé.`;
      } else if (action === 'deconnecter') {
        if (op.statut.categorie === 'deconnecte') throw new HttpError(409, 'OPERATEUR_DECONNECTE', `${op.nom} est déjà déconnecté(e).`);
        op.statut = statutFromCode('deconnecte')!;
        op.fileCourante = null;
        message = `${op.nom} a été déconnecté(e).`;
      } else {
        const gid = Number(m[3]);
        const f = op.files.find((x) => x.id === gid);
        if (!f) throw new HttpError(404, 'FILE_INCONNUE', `${op.nom} n'appartient pas à ce groupe.`);
        f.suspendu = typeof body.suspendu === 'boolean' ? body.suspendu : !f.suspendu;
        const g = GROUPES.find((x) => x.id === gid);
        message = `${op.nom} ${f.suspendu ? 'suspendu(e)' : 'réactivé(e)'} dans le groupe ${g?.nom ?? gid}.`;
      }
      if (!action.startsWith('files/')) op.depuis = now;
      op.manuel = true;
      this.pushState(s);
      sendJson(req, res, 200, { ok: true, message, operateur: this.snapshot(s).operateurs.find((o) => o.login === op.login) });
      return true;
    }

    sendError(req, res, 404, 'INTROUVABLE', `Ressource introuvable : ${p}`);
    return true;
  }

  attach(ws: WebSocket): void {
    let session: SupSession | null = null;
    let timer: NodeJS.Timeout | undefined;
    ws.on('message', (raw) => {
      let msg: Record<string, unknown>;
      try {
        const v: unknown = JSON.parse(String(raw));
        if (!v || typeof v !== 'object') return;
        msg = v as Record<string, unknown>;
      } catch {
        return;
      }
      if (msg.type === 'demo.coupure') {
        ws.terminate();
        return;
      }
      if (msg.type === 'auth' && !session) {
        const s = this.session(typeof msg.session === 'string' ? msg.session : null, true)!;
        session = s;
        s.sockets.add(ws);
        ws.send(JSON.stringify(this.snapshot(s)));
        timer = this.timers.interval(LIVE_PUSH_MS, () => {
          // The first socket of a session drives the simulation.
          if ([...s.sockets][0] === ws) this.tick(s);
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(this.snapshot(s)));
        });
      }
    });
    ws.on('close', () => {
      this.timers.cancel(timer);
      session?.sockets.delete(ws);
    });
    ws.on('error', () => undefined);
  }

  close(): void {
    for (const s of this.sessions.values()) for (const ws of s.sockets) ws.terminate();
    this.sessions.clear();
  }
}
