/**
 * Operator bar back end: the session/profile API, status changes, the call journal, and the CTI
 * WebSocket (`wss://voice-management.axialys.com/cti`) that pushes status acks, the waiting-callers
 * counter and call events. Each page load gets its own session, so parallel tests do not interfere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocket } from 'ws';
import {
  AGENT_BANDEAU,
  COMPANY,
  GROUPES,
  PAUSES,
  newIdAppel,
  randomCaller,
  randomHex,
  statutFromCode,
  type Groupe,
  type Statut,
} from './data';
import {
  HttpError,
  TimerBag,
  readJson,
  requestedFault,
  sendError,
  sendInternalError,
  sendJson,
} from './http';

export const SLOW_API_MS = 4000;
const POST_APPEL_MS = 5000;
const LOGIN_UNAVAILABLE_MS = 1500;
const DEFAULT_AUTO_CALL_MS = 4000;
const QUEUE_PUSH_MS = 5000;
const MAX_SESSIONS = 500;

type EtatAppel = 'sonnerie' | 'numerotation' | 'en_communication' | 'termine' | 'rejete';

interface Appel {
  id_appel: string;
  sens: 'entrant' | 'sortant';
  /** The external party: the caller on an incoming call, the callee on an outgoing one. */
  numero_contact: string;
  /** Service number (SDA): the number called on an incoming call, the presented one on an outgoing call. */
  numero_service: string;
  groupe: { id: number; nom: string; couleur: string } | null;
  /** Epoch ms when the caller entered the queue (incoming) or dialling started (outgoing). */
  attente_depuis: number;
  decroche_a: number | null;
  fin_a: number | null;
  etat: EtatAppel;
}

interface BarSession {
  token: string;
  createdAt: number;
  statut: Statut;
  depuis: number;
  appel: Appel | null;
  journal: Appel[];
  enAttente: Record<number, number>;
  sockets: Set<WebSocket>;
  autoCallDone: boolean;
  catchupTimer?: NodeJS.Timeout;
}

function statutPayload(s: BarSession) {
  return { ...s.statut, depuis: new Date(s.depuis).toISOString() };
}

function groupeRef(g: Groupe) {
  return { id: g.id, nom: g.nom, couleur: g.couleur };
}

export class BarBackend {
  private readonly sessions = new Map<string, BarSession>();
  private readonly agentGroupes = GROUPES.filter((g) => AGENT_BANDEAU.groupes.includes(g.id));

  constructor(private readonly timers: TimerBag) {}

  private session(token: string | null, create: boolean): BarSession | null {
    if (token && this.sessions.has(token)) return this.sessions.get(token) ?? null;
    if (!create) return null;
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = [...this.sessions.values()].sort((a, b) => a.createdAt - b.createdAt)[0];
      if (oldest) this.dropSession(oldest);
    }
    const t = token && /^[A-Za-z0-9_-]{8,128}$/.test(token) ? token : randomHex(16);
    const s: BarSession = {
      token: t,
      createdAt: Date.now(),
      // Every login starts a few seconds in "Indisponible" (user15), as the real VM does.
      statut: statutFromCode('user15')!,
      depuis: Date.now(),
      appel: null,
      journal: [],
      enAttente: Object.fromEntries(this.agentGroupes.map((g) => [g.id, Math.floor(Math.random() * 3) + 1])),
      sockets: new Set(),
      autoCallDone: false,
    };
    this.sessions.set(t, s);
    return s;
  }

  private dropSession(s: BarSession): void {
    for (const ws of s.sockets) ws.terminate();
    this.timers.cancel(s.catchupTimer);
    this.sessions.delete(s.token);
  }

  private tokenOf(req: IncomingMessage, url: URL): string | null {
    const h = req.headers['x-axialys-session'];
    return (Array.isArray(h) ? h[0] : h) ?? url.searchParams.get('token_session');
  }

  private push(s: BarSession, msg: Record<string, unknown>): void {
    const text = JSON.stringify({ ...msg, horodatage: new Date().toISOString() });
    for (const ws of s.sockets) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  private setStatut(s: BarSession, code: string): Statut {
    const st = statutFromCode(code);
    if (!st) throw new HttpError(400, 'STATUT_INCONNU', `Statut inconnu : ${code}`);
    this.timers.cancel(s.catchupTimer);
    s.catchupTimer = undefined;
    s.statut = st;
    s.depuis = Date.now();
    this.push(s, { type: 'statut', statut: statutPayload(s) });
    if (st.categorie === 'post-appel') {
      s.catchupTimer = this.timers.timeout(POST_APPEL_MS, () => {
        if (s.statut.code === 'catchup') this.setStatut(s, 'disponible');
      });
    }
    return st;
  }

  private totalAttente(s: BarSession): number {
    return Object.values(s.enAttente).reduce((a, b) => a + b, 0);
  }

  private compteur(s: BarSession) {
    return {
      type: 'file.compteur',
      en_attente: this.totalAttente(s),
      groupes: this.agentGroupes.map((g) => ({ ...groupeRef(g), en_attente: s.enAttente[g.id] ?? 0 })),
    };
  }

  // ---------------------------------------------------------------- HTTP

  /** Returns true when the request was an operator-bar API call. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    if (!p.startsWith('/api/operateur/')) return false;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const fault = requestedFault(req, url);

    if (p === '/api/operateur/profil' && method === 'GET') {
      const s = this.session(this.tokenOf(req, url), true)!;
      sendJson(req, res, 200, {
        session: s.token,
        operateur: {
          login: AGENT_BANDEAU.login,
          nom: AGENT_BANDEAU.nom,
          email: AGENT_BANDEAU.email,
          societe: COMPANY.nom,
          compte: COMPANY.compte,
          poste: AGENT_BANDEAU.poste,
          langue: AGENT_BANDEAU.langue,
          groupes: this.agentGroupes.map(groupeRef),
        },
        pauses: PAUSES.filter((x) => x.titre).map((x) => ({ code: x.code, titre: x.titre, duree_max: x.dureeMax })),
        statut: statutPayload(s),
        cti: 'wss://voice-management.axialys.com/cti',
        version: '4.12.3',
      });
      return true;
    }

    if (p === '/api/operateur/statut' && method === 'POST') {
      const body = await readJson(req);
      if (fault === '500') {
        sendInternalError(req, res);
        return true;
      }
      const s = this.session(this.tokenOf(req, url), false);
      if (!s) throw new HttpError(401, 'SESSION_INVALIDE', 'Session expirée : veuillez vous reconnecter au bandeau.');
      const code = typeof body.code === 'string' ? body.code : '';
      if (s.appel && (s.appel.etat === 'en_communication' || s.appel.etat === 'numerotation')) {
        throw new HttpError(409, 'APPEL_EN_COURS', 'Impossible de changer de statut pendant une communication.');
      }
      if (code === 'en_communication' || code === 'deconnecte') {
        throw new HttpError(400, 'STATUT_INCONNU', `Statut non sélectionnable : ${code}`);
      }
      this.setStatut(s, code);
      sendJson(req, res, 200, { statut: statutPayload(s) });
      return true;
    }

    if (p === '/api/operateur/journal' && method === 'GET') {
      const s = this.session(this.tokenOf(req, url), false);
      const answer = () =>
        sendJson(req, res, 200, {
          appels: (s?.journal ?? []).slice(-20).reverse(),
          genere_a: new Date().toISOString(),
        });
      if (fault === 'slow') this.timers.timeout(SLOW_API_MS, answer);
      else answer();
      return true;
    }

    if (p === '/api/operateur/files' && method === 'GET') {
      const s = this.session(this.tokenOf(req, url), false);
      if (!s) throw new HttpError(401, 'SESSION_INVALIDE', 'Session expirée : veuillez vous reconnecter au bandeau.');
      sendJson(req, res, 200, this.compteur(s));
      return true;
    }

    sendError(req, res, 404, 'INTROUVABLE', `Ressource introuvable : ${p}`);
    return true;
  }

  // ---------------------------------------------------------------- CTI WebSocket

  attach(ws: WebSocket): void {
    let session: BarSession | null = null;
    let queueTimer: NodeJS.Timeout | undefined;
    const authTimeout = this.timers.timeout(10_000, () => {
      if (!session) ws.close(4001, 'Authentification requise');
    });

    ws.on('message', (raw) => {
      let msg: Record<string, unknown>;
      try {
        const v: unknown = JSON.parse(String(raw));
        if (!v || typeof v !== 'object') return;
        msg = v as Record<string, unknown>;
      } catch {
        ws.send(JSON.stringify({ type: 'erreur', message: 'Trame CTI illisible' }));
        return;
      }
      const type = msg.type;
      if (type === 'demo.coupure') {
        // Abnormal drop: no close frame, the browser reports code 1006.
        ws.terminate();
        return;
      }
      if (type === 'auth') {
        const token = typeof msg.token_session === 'string' ? msg.token_session : null;
        const s = this.session(token, true)!;
        session = s;
        this.timers.cancel(authTimeout);
        s.sockets.add(ws);
        const firstConnection = s.sockets.size === 1 && !s.autoCallDone && s.statut.code === 'user15';
        ws.send(
          JSON.stringify({
            ...this.compteur(s),
            type: 'bienvenue',
            serveur: 'cti-par2-07',
            version: '4.12.3',
            session: s.token,
            statut: statutPayload(s),
            appel: s.appel,
            horodatage: new Date().toISOString(),
          }),
        );
        queueTimer = this.timers.interval(QUEUE_PUSH_MS, () => {
          for (const g of this.agentGroupes) {
            const cur = s.enAttente[g.id] ?? 0;
            s.enAttente[g.id] = Math.max(0, Math.min(9, cur + Math.floor(Math.random() * 3) - 1));
          }
          if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ ...this.compteur(s), horodatage: new Date().toISOString() }));
        });
        if (firstConnection) {
          this.timers.timeout(LOGIN_UNAVAILABLE_MS, () => {
            if (s.statut.code === 'user15') this.setStatut(s, 'disponible');
          });
          const delay = typeof msg.appel_auto_ms === 'number' ? msg.appel_auto_ms : DEFAULT_AUTO_CALL_MS;
          if (delay > 0) {
            this.timers.timeout(delay, () => {
              if (s.autoCallDone || s.appel?.etat === 'sonnerie' || s.appel?.etat === 'en_communication') return;
              if (s.statut.categorie !== 'disponible' || s.sockets.size === 0) return;
              s.autoCallDone = true;
              this.ring(s);
            });
          }
        }
        return;
      }
      if (!session) {
        ws.send(JSON.stringify({ type: 'erreur', message: 'Authentification requise' }));
        return;
      }
      const s = session;
      const idAppel = typeof msg.id_appel === 'string' ? msg.id_appel : '';
      switch (type) {
        case 'demo.appel_entrant':
          if (s.appel && ['sonnerie', 'numerotation', 'en_communication'].includes(s.appel.etat)) {
            ws.send(JSON.stringify({ type: 'erreur', message: 'Un appel est déjà en cours.' }));
          } else {
            s.autoCallDone = true;
            this.ring(s);
          }
          break;
        case 'appel.decrocher':
          if (s.appel && s.appel.id_appel === idAppel && s.appel.etat === 'sonnerie') {
            s.appel.etat = 'en_communication';
            s.appel.decroche_a = Date.now();
            this.push(s, { type: 'appel', evenement: 'decroche', appel: s.appel });
            this.setStatut(s, 'en_communication');
          }
          break;
        case 'appel.raccrocher':
          if (s.appel && s.appel.id_appel === idAppel) this.hangUp(s);
          break;
        case 'appel.sortant': {
          const numero = typeof msg.numero === 'string' ? msg.numero.trim() : '';
          if (!/^\+?[0-9 .]{6,20}$/.test(numero)) {
            ws.send(JSON.stringify({ type: 'erreur', message: `Numéro invalide : ${numero}` }));
            break;
          }
          if (s.appel && ['sonnerie', 'numerotation', 'en_communication'].includes(s.appel.etat)) {
            ws.send(JSON.stringify({ type: 'erreur', message: 'Un appel est déjà en cours.' }));
            break;
          }
          const g = this.agentGroupes[0]!;
          const appel: Appel = {
            id_appel: newIdAppel(),
            sens: 'sortant',
            numero_contact: numero,
            numero_service: g.sda,
            groupe: groupeRef(g),
            attente_depuis: Date.now(),
            decroche_a: null,
            fin_a: null,
            etat: 'numerotation',
          };
          s.appel = appel;
          this.push(s, { type: 'appel', evenement: 'numerotation', appel });
          this.timers.timeout(2000, () => {
            if (s.appel !== appel || appel.etat !== 'numerotation') return;
            appel.etat = 'en_communication';
            appel.decroche_a = Date.now();
            this.push(s, { type: 'appel', evenement: 'decroche', appel });
            this.setStatut(s, 'en_communication');
          });
          break;
        }
        case 'ping':
          ws.send(JSON.stringify({ type: 'pong', horodatage: new Date().toISOString() }));
          break;
        default:
          ws.send(JSON.stringify({ type: 'erreur', message: `Commande CTI inconnue : ${String(type)}` }));
      }
    });

    ws.on('close', () => {
      this.timers.cancel(queueTimer);
      this.timers.cancel(authTimeout);
      session?.sockets.delete(ws);
    });
    ws.on('error', () => undefined);
  }

  private ring(s: BarSession): void {
    const g = this.agentGroupes[Math.floor(Math.random() * this.agentGroupes.length)] ?? this.agentGroupes[0]!;
    const appel: Appel = {
      id_appel: newIdAppel(),
      sens: 'entrant',
      numero_contact: randomCaller(),
      numero_service: g.sda,
      groupe: groupeRef(g),
      attente_depuis: Date.now() - (12 + Math.floor(Math.random() * 50)) * 1000,
      decroche_a: null,
      fin_a: null,
      etat: 'sonnerie',
    };
    s.appel = appel;
    s.enAttente[g.id] = Math.max(0, (s.enAttente[g.id] ?? 0) - 1);
    this.push(s, { type: 'appel', evenement: 'sonnerie', appel });
  }

  private hangUp(s: BarSession): void {
    const appel = s.appel;
    if (!appel) return;
    if (appel.etat === 'sonnerie') {
      appel.etat = 'rejete';
      appel.fin_a = Date.now();
      s.journal.push({ ...appel });
      this.push(s, { type: 'appel', evenement: 'rejete', appel });
      return;
    }
    if (appel.etat === 'en_communication' || appel.etat === 'numerotation') {
      const wasTalking = appel.etat === 'en_communication';
      appel.etat = 'termine';
      appel.fin_a = Date.now();
      s.journal.push({ ...appel });
      this.push(s, { type: 'appel', evenement: 'raccroche', appel });
      this.setStatut(s, wasTalking ? 'catchup' : 'disponible');
    }
  }

  close(): void {
    for (const s of this.sessions.values()) for (const ws of s.sockets) ws.terminate();
    this.sessions.clear();
  }
}
