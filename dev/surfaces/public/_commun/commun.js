// Axialys Voice Management — utilitaires communs (module ES, sans dépendance).

/** Erreur d'API : statut HTTP, code et message renvoyés par le serveur. */
export class ErreurApi extends Error {
  constructor(statut, code, message, details) {
    super(message);
    this.name = 'ErreurApi';
    this.statut = statut;
    this.code = code;
    this.details = details || {};
  }
}

/**
 * Requête JSON vers l'API de la même origine. Lève une ErreurApi pour toute réponse non 2xx.
 * @param {string} url
 * @param {{methode?: string, corps?: unknown, session?: string, entetes?: Record<string,string>}} [options]
 */
export async function api(url, options = {}) {
  const entetes = { Accept: 'application/json', ...(options.entetes || {}) };
  if (options.session) entetes['X-Axialys-Session'] = options.session;
  const init = { method: options.methode || 'GET', headers: entetes, credentials: 'same-origin' };
  if (options.corps !== undefined) {
    entetes['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.corps);
  }
  const reponse = await fetch(url, init);
  if (reponse.status === 204) return null;
  let donnees = null;
  const type = reponse.headers.get('Content-Type') || '';
  if (type.includes('application/json')) donnees = await reponse.json();
  if (!reponse.ok) {
    const e = (donnees && donnees.erreur) || {};
    throw new ErreurApi(reponse.status, e.code || 'HTTP_' + reponse.status, e.message || `Erreur HTTP ${reponse.status}`, e);
  }
  return donnees;
}

/** Crée un élément DOM : el('td', { className: 'num', dataset: { x: '1' } }, 'texte', autreNoeud). */
export function el(tag, props = {}, ...enfants) {
  const n = document.createElement(tag);
  for (const [cle, valeur] of Object.entries(props)) {
    if (valeur === undefined || valeur === null || valeur === false) continue;
    if (cle === 'dataset') Object.assign(n.dataset, valeur);
    else if (cle === 'attrs') for (const [a, v] of Object.entries(valeur)) n.setAttribute(a, v);
    else if (cle === 'on') for (const [evt, fn] of Object.entries(valeur)) n.addEventListener(evt, fn);
    else if (cle === 'style') for (const [p, v] of Object.entries(valeur)) n.style.setProperty(p, v);
    else n[cle] = valeur;
  }
  for (const e of enfants.flat()) {
    if (e === null || e === undefined || e === false) continue;
    n.append(e instanceof Node ? e : String(e));
  }
  return n;
}

/** Affiche une notification éphémère en bas à droite. type : info | succes | erreur | demo */
export function toast(message, type = 'info', dureeMs = 4500) {
  let zone = document.getElementById('notifications-toast');
  if (!zone) {
    zone = el('div', { id: 'notifications-toast', attrs: { 'aria-live': 'polite', role: 'status' } });
    document.body.append(zone);
  }
  const t = el('div', { className: `toast toast--${type}` }, message);
  zone.append(t);
  while (zone.children.length > 4) zone.firstElementChild.remove();
  setTimeout(() => t.remove(), dureeMs);
  return t;
}

/** 75 → "01:15" ; 3725 → "1:02:05" */
export function duree(secondes) {
  const s = Math.max(0, Math.floor(secondes));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(r).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** 272 → "4 min 32 s" */
export function dureeLongue(secondes) {
  const s = Math.max(0, Math.round(secondes));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

export function heure(date) {
  return new Date(date).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Paris' });
}

export function initiales(nom) {
  return nom
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase())
    .slice(0, 2)
    .join('');
}

/**
 * WebSocket avec reconnexion automatique (3 s puis progressive, 30 s max).
 * onEtat reçoit 'connexion' | 'connecte' | 'deconnecte'.
 */
export class SocketTempsReel {
  constructor(url, { onOuverture, onMessage, onEtat } = {}) {
    this.url = url;
    this.onOuverture = onOuverture || (() => {});
    this.onMessage = onMessage || (() => {});
    this.onEtat = onEtat || (() => {});
    this.tentatives = 0;
    this.ws = null;
    this.ferme = false;
    this.enAttente = [];
    addEventListener('pagehide', () => this.fermer());
  }

  ouvrir() {
    this.onEtat('connexion');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.tentatives = 0;
      this.onEtat('connecte');
      this.onOuverture();
      for (const m of this.enAttente.splice(0)) ws.send(m);
    });
    ws.addEventListener('message', (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        console.warn('[temps réel] trame illisible ignorée');
        return;
      }
      this.onMessage(msg);
    });
    ws.addEventListener('close', (e) => {
      if (this.ws !== ws) return;
      this.onEtat('deconnecte', e.code);
      if (this.ferme) return;
      const delai = Math.min(30000, 3000 * 2 ** Math.min(this.tentatives, 4));
      this.tentatives += 1;
      if (e.code !== 1000 && e.code !== 1001) console.warn(`[temps réel] connexion perdue (code ${e.code}), nouvelle tentative dans ${delai / 1000} s`);
      setTimeout(() => {
        if (!this.ferme) this.ouvrir();
      }, delai);
    });
    return this;
  }

  get ouvert() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  envoyer(message) {
    const texte = JSON.stringify(message);
    if (this.ouvert) this.ws.send(texte);
    else this.enAttente.push(texte);
  }

  fermer() {
    this.ferme = true;
    if (this.ws) this.ws.close(1000, 'fermeture');
  }
}
