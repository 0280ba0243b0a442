// Bandeau opérateur Axialys Voice Management.
// Paramètres d'URL : token_session (SSO CRM), engine, version, mode (standalone | crm | easiware…).
// Démonstration : demo_appel_auto=<ms> règle l'appel entrant automatique (0 = désactivé).

import { api, el, toast, duree, heure, initiales, ErreurApi, SocketTempsReel } from '/commun/commun.js';
import { installerScenariosDemo, ajouterRessourcesManquantes, rafaleConsole, violationCsp } from '/commun/demo-faults.js';

const $ = (id) => document.getElementById(id);

const params = new URLSearchParams(location.search);
const mode = params.get('mode') || 'standalone';
const integration = { engine: params.get('engine'), version: params.get('version'), mode };
const appelAutoMs = params.has('demo_appel_auto') ? Number(params.get('demo_appel_auto')) : undefined;

const etat = {
  session: params.get('token_session') || null,
  operateur: null,
  statut: null,
  depuis: Date.now(),
  appel: null,
  groupes: [],
  journal: [],
};

let cti = null;
let audio = null;

const LIBELLES_AUDIO = {
  inactif: 'inactif',
  new: 'initialisation…',
  connecting: 'connexion…',
  connected: 'connecté',
  disconnected: 'déconnecté',
  failed: 'échec',
  closed: 'inactif',
};

const TITRES_APPEL = {
  sonnerie: 'Appel entrant',
  numerotation: 'Appel sortant – numérotation…',
  'en-communication': 'En communication',
  termine: 'Appel terminé',
  rejete: 'Appel non décroché',
};

// ---------------------------------------------------------------- Statut

function appliquerStatut(statut) {
  if (!statut) return;
  etat.statut = statut;
  etat.depuis = Date.parse(statut.depuis) || Date.now();
  const bandeau = $('bandeau');
  bandeau.dataset.statut = statut.categorie;
  bandeau.dataset.codeStatut = statut.code;
  const pastille = $('statut-courant');
  pastille.textContent = statut.libelle;
  pastille.title = statut.libelle;
  pastille.dataset.statut = statut.categorie;
  pastille.dataset.code = statut.code;
  const select = $('statut-operateur');
  select.value = statut.code;
  select.disabled = statut.categorie === 'en-communication' || !cti || !cti.ouvert;
  document.title = `${statut.libelle} – Bandeau opérateur – Axialys`;
  majChronos();
}

async function changerStatut(code, { fault } = {}) {
  const precedent = etat.statut;
  const select = $('statut-operateur');
  select.disabled = true;
  try {
    const r = await api(`/api/operateur/statut${fault ? `?fault=${encodeURIComponent(fault)}` : ''}`, {
      methode: 'POST',
      corps: { code },
      session: etat.session,
    });
    appliquerStatut(r.statut);
    toast(`Statut : ${r.statut.libelle}`, 'succes', 2500);
  } catch (e) {
    appliquerStatut(precedent);
    const detail = e instanceof ErreurApi ? `${e.message} (HTTP ${e.statut})` : 'serveur injoignable';
    toast(`Impossible de changer de statut : ${detail}`, 'erreur', 6000);
    if (!(e instanceof ErreurApi) || e.statut >= 500) console.error(`[bandeau] Échec du changement de statut vers « ${code} » : ${detail}`);
  }
}

// ---------------------------------------------------------------- Files et compteur

function appliquerCompteur(msg) {
  const total = Number(msg.en_attente) || 0;
  const c = $('appels-en-attente');
  c.textContent = String(total);
  c.dataset.valeur = String(total);
  c.dataset.niveau = total >= 5 ? 'eleve' : 'normal';
  for (const g of msg.groupes || []) {
    const li = document.querySelector(`#mes-files li[data-groupe-id="${g.id}"] .compteur-file`);
    if (li) {
      li.textContent = String(g.en_attente);
      li.dataset.valeur = String(g.en_attente);
    }
  }
}

function afficherFiles() {
  const ul = $('mes-files');
  ul.replaceChildren(
    ...etat.groupes.map((g) =>
      el(
        'li',
        { dataset: { groupeId: String(g.id), couleur: g.couleur } },
        el('span', { className: 'pastille-groupe', style: { '--couleur-groupe': g.couleur } }),
        el('span', { className: 'nom' }, g.nom),
        el('span', { className: 'badge badge--sans-point compteur-file', dataset: { valeur: '0' }, title: 'En attente' }, '0'),
      ),
    ),
  );
}

// ---------------------------------------------------------------- Appels

function etatDom(etatAppel) {
  return etatAppel === 'en_communication' ? 'en-communication' : etatAppel;
}

function appliquerAppel(appel, evenement) {
  const precedent = etat.appel;
  etat.appel = appel;
  const fiche = $('fiche-appel');
  const e = etatDom(appel.etat);
  fiche.hidden = false;
  fiche.dataset.etat = e;
  fiche.dataset.idAppel = appel.id_appel;
  fiche.dataset.sens = appel.sens;
  const couleur = appel.groupe ? appel.groupe.couleur : '#3a409a';
  fiche.style.setProperty('--couleur-groupe', couleur);
  const g = $('appel-groupe');
  g.dataset.groupeId = appel.groupe ? String(appel.groupe.id) : '';
  g.dataset.couleur = couleur;
  $('appel-groupe-nom').textContent = appel.groupe ? appel.groupe.nom : 'Appel direct';
  const sens = $('appel-sens');
  sens.textContent = appel.sens === 'entrant' ? 'Entrant' : 'Sortant';
  sens.dataset.sens = appel.sens;
  $('fiche-appel-titre').textContent = TITRES_APPEL[e] || 'Appel';
  fiche.querySelector('.fiche-appel__numero').textContent = appel.numero_contact;
  const contact = $('appel-numero-contact');
  contact.textContent = appel.numero_contact;
  contact.dataset.role = appel.sens === 'entrant' ? 'appelant' : 'appele';
  $('libelle-numero-contact').textContent = appel.sens === 'entrant' ? 'Appelant' : 'Numéro appelé';
  $('appel-numero-service').textContent = appel.numero_service;
  $('appel-id').textContent = appel.id_appel;
  $('bouton-decrocher').hidden = !(appel.etat === 'sonnerie' && appel.sens === 'entrant');
  $('bouton-raccrocher').hidden = !['sonnerie', 'numerotation', 'en_communication'].includes(appel.etat);
  $('bouton-raccrocher').title = appel.etat === 'sonnerie' ? "Refuser l'appel (il reste dans la file)" : 'Mettre fin à la communication';
  $('bouton-fermer-fiche').hidden = !['termine', 'rejete'].includes(appel.etat);
  $('aucun-appel').hidden = ['sonnerie', 'numerotation', 'en_communication'].includes(appel.etat);
  majChronos();

  if (evenement === 'sonnerie' || evenement === 'numerotation') notifierApplicationExterne(appel, evenement);
  if (appel.etat === 'en_communication' && (!precedent || precedent.id_appel !== appel.id_appel || precedent.etat !== 'en_communication')) {
    demarrerAudio();
  }
  if (appel.etat === 'termine' || appel.etat === 'rejete') {
    arreterAudio();
    chargerJournal();
  }
}

/** « Fenêtre pour l'application externe » : prévient le CRM hôte d'un nouvel appel. */
function notifierApplicationExterne(appel, evenement) {
  if (window.parent === window || mode === 'standalone') return;
  const origine = (location.ancestorOrigins && location.ancestorOrigins[0]) || (document.referrer ? new URL(document.referrer).origin : null);
  if (!origine) return;
  window.parent.postMessage(
    {
      type: 'axialys.vm.appel',
      evenement,
      id_appel: appel.id_appel,
      sens: appel.sens,
      numero_contact: appel.numero_contact,
      numero_service: appel.numero_service,
      groupe: appel.groupe ? appel.groupe.nom : null,
    },
    origine,
  );
}

function majChronos() {
  const maintenant = Date.now();
  $('statut-duree').textContent = duree((maintenant - etat.depuis) / 1000);
  const a = etat.appel;
  if (!a) return;
  const attente = $('appel-temps-attente');
  if (a.sens === 'entrant') {
    const fin = a.decroche_a || a.fin_a || maintenant;
    const s = Math.max(0, Math.round((fin - a.attente_depuis) / 1000));
    attente.textContent = duree(s);
    attente.dataset.secondes = String(s);
  } else {
    attente.textContent = '—';
    attente.dataset.secondes = '';
  }
  $('appel-duree').textContent = a.decroche_a ? duree(((a.fin_a || maintenant) - a.decroche_a) / 1000) : '—';
}

// ---------------------------------------------------------------- Audio WebRTC (boucle locale)

function afficherAudio(etatConnexion) {
  const n = $('webrtc-etat');
  n.dataset.etat = etatConnexion;
  n.textContent = `Audio WebRTC : ${LIBELLES_AUDIO[etatConnexion] || etatConnexion}`;
}

async function demarrerAudio() {
  arreterAudio();
  afficherAudio('new');
  const courant = {};
  audio = courant;
  try {
    const ctx = new AudioContext();
    ctx.resume().catch(() => {});
    const osc = ctx.createOscillator();
    osc.type = 'sine';
    osc.frequency.value = 425;
    const gain = ctx.createGain();
    gain.gain.value = 0.04;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain);
    gain.connect(dest);
    osc.start();
    const local = new RTCPeerConnection({ iceServers: [] });
    const distant = new RTCPeerConnection({ iceServers: [] });
    Object.assign(courant, { ctx, osc, local, distant });
    local.addEventListener('icecandidate', (e) => {
      if (e.candidate) distant.addIceCandidate(e.candidate).catch(() => {});
    });
    distant.addEventListener('icecandidate', (e) => {
      if (e.candidate) local.addIceCandidate(e.candidate).catch(() => {});
    });
    local.addEventListener('connectionstatechange', () => {
      if (audio === courant) afficherAudio(local.connectionState);
    });
    distant.addEventListener('track', (e) => {
      const lecteur = $('audio-distant');
      lecteur.muted = true;
      lecteur.srcObject = e.streams[0] || new MediaStream([e.track]);
      lecteur.play().catch(() => {});
    });
    for (const piste of dest.stream.getAudioTracks()) local.addTrack(piste, dest.stream);
    const offre = await local.createOffer();
    if (audio !== courant) return;
    await local.setLocalDescription(offre);
    await distant.setRemoteDescription(offre);
    const reponse = await distant.createAnswer();
    await distant.setLocalDescription(reponse);
    await local.setRemoteDescription(reponse);
  } catch (e) {
    if (audio === courant) afficherAudio('failed');
    console.error('[WebRTC] Échec de la mise en place du flux audio :', e);
  }
}

function arreterAudio() {
  const a = audio;
  audio = null;
  if (a) {
    try {
      a.osc && a.osc.stop();
      a.local && a.local.close();
      a.distant && a.distant.close();
      a.ctx && a.ctx.close();
    } catch {
      /* déjà fermé */
    }
  }
  $('audio-distant').srcObject = null;
  afficherAudio('inactif');
}

// ---------------------------------------------------------------- Journal

const ISSUES = { termine: 'Traité', rejete: 'Non décroché', en_communication: 'En cours' };

async function chargerJournal({ lent = false } = {}) {
  const zone = $('journal-etat');
  zone.hidden = false;
  zone.replaceChildren(el('span', { className: 'spinner' }), ' Chargement du journal…');
  const debut = performance.now();
  try {
    const r = await api(`/api/operateur/journal${lent ? '?fault=slow' : ''}`, { session: etat.session });
    etat.journal = r.appels;
    afficherJournal();
    const s = ((performance.now() - debut) / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
    if (lent) {
      zone.textContent = `Journal mis à jour (réponse en ${s} s).`;
      toast(`Journal chargé en ${s} s`, 'info');
    } else zone.hidden = true;
  } catch (e) {
    zone.textContent = 'Impossible de charger le journal des appels.';
    console.error('[bandeau] Chargement du journal impossible :', e.message);
  }
}

function afficherJournal() {
  const tbody = $('journal-appels').tBodies[0];
  if (!etat.journal.length) {
    tbody.replaceChildren(el('tr', { className: 'vide' }, el('td', { colSpan: 6 }, "Aucun appel aujourd'hui.")));
    return;
  }
  tbody.replaceChildren(
    ...etat.journal.map((a) =>
      el(
        'tr',
        { dataset: { idAppel: a.id_appel } },
        el('td', {}, heure(a.decroche_a || a.attente_depuis)),
        el('td', {}, a.sens === 'entrant' ? 'Entrant' : 'Sortant'),
        el('td', { className: 'mono' }, a.numero_contact),
        el('td', {}, a.groupe ? el('span', {}, el('span', { className: 'pastille-groupe', style: { '--couleur-groupe': a.groupe.couleur } }), ' ', a.groupe.nom) : '—'),
        el('td', {}, ISSUES[a.etat] || a.etat),
        el('td', { className: 'mono' }, a.id_appel),
      ),
    ),
  );
}

// ---------------------------------------------------------------- CTI

function afficherCti(etatCti, code) {
  const n = $('cti-etat');
  n.dataset.etat = etatCti;
  n.textContent = etatCti === 'connecte' ? 'CTI connecté' : etatCti === 'connexion' ? 'CTI : connexion…' : 'CTI déconnecté';
  if (code) n.dataset.codeFermeture = String(code);
  if (etatCti === 'deconnecte') {
    $('statut-operateur').disabled = true;
    if (code && code !== 1000 && code !== 1001) toast('Connexion CTI perdue. Reconnexion en cours…', 'erreur');
  }
  if (etatCti === 'connecte' && etat.statut) $('statut-operateur').disabled = etat.statut.categorie === 'en-communication';
}

function traiterMessageCti(msg) {
  switch (msg.type) {
    case 'bienvenue':
      $('serveur-cti').textContent = msg.serveur;
      appliquerStatut(msg.statut);
      appliquerCompteur(msg);
      if (msg.appel) appliquerAppel(msg.appel, 'reprise');
      break;
    case 'statut':
      appliquerStatut(msg.statut);
      break;
    case 'file.compteur':
      appliquerCompteur(msg);
      break;
    case 'appel':
      appliquerAppel(msg.appel, msg.evenement);
      break;
    case 'erreur':
      toast(msg.message, 'erreur');
      break;
    default:
      break;
  }
}

function connecterCti() {
  cti = new SocketTempsReel('wss://voice-management.axialys.com/cti', {
    onEtat: afficherCti,
    onMessage: traiterMessageCti,
    onOuverture: () => {
      const auth = { type: 'auth', token_session: etat.session, ...integration };
      if (appelAutoMs !== undefined && Number.isFinite(appelAutoMs)) auth.appel_auto_ms = appelAutoMs;
      cti.ws.send(JSON.stringify(auth));
    },
  }).ouvrir();
}

// ---------------------------------------------------------------- Scénarios de démonstration

function rappelerDernierTransfert() {
  const transfert = etat.journal.find((a) => a.sens === 'transfert');
  return transfert.id_appel;
}

async function synchroniserFicheCrm() {
  await new Promise((r) => setTimeout(r, 50));
  throw new Error("Synchronisation de la fiche CRM impossible : délai d'attente dépassé (10000 ms)");
}

const MESSAGES_RAFALE = [
  (i) => `[CTI] Événement ignoré : séquence ${4180 + i} reçue hors ordre (attendue ${4179 + i})`,
  (i) => `[bandeau] Échec de rafraîchissement du compteur de file (tentative ${i}) : réponse invalide`,
  (i) => `[WebRTC] getStats() a échoué pour le transceiver audio n°${i % 4} : InvalidStateError`,
  (i) => `[SIP] REGISTER refusé (403) — nouvelle tentative ${i}`,
];

function installerDemo() {
  installerScenariosDemo({
    exception: () => rappelerDernierTransfert(),
    http500: () => changerStatut(etat.statut && etat.statut.code === 'disponible' ? 'user0' : 'disponible', { fault: '500' }),
    'ws-drop': () => cti.envoyer({ type: 'demo.coupure' }),
    'failed-resource': () =>
      ajouterRessourcesManquantes([
        { type: 'img', url: '/operateurs/img/groupes/groupe-101.png', alt: 'Service client' },
        { type: 'script', url: '/operateurs/js/modules/enregistrement-appels.js' },
      ]),
    'console-flood': () => rafaleConsole((i) => MESSAGES_RAFALE[i % MESSAGES_RAFALE.length](i)),
    'slow-api': () => chargerJournal({ lent: true }),
    csp: () => violationCsp(),
    rejection: () => {
      synchroniserFicheCrm();
    },
    'console-warn': () => console.warn('[WebRTC] Gigue élevée sur le flux audio : 48 ms (seuil recommandé : 30 ms)'),
  });
}

// ---------------------------------------------------------------- Démarrage

function brancherInterface() {
  $('statut-operateur').addEventListener('change', (e) => changerStatut(e.target.value));
  $('bouton-simuler-appel').addEventListener('click', () => cti.envoyer({ type: 'demo.appel_entrant' }));
  $('bouton-decrocher').addEventListener('click', () => etat.appel && cti.envoyer({ type: 'appel.decrocher', id_appel: etat.appel.id_appel }));
  $('bouton-raccrocher').addEventListener('click', () => etat.appel && cti.envoyer({ type: 'appel.raccrocher', id_appel: etat.appel.id_appel }));
  $('bouton-fermer-fiche').addEventListener('click', () => {
    const f = $('fiche-appel');
    f.hidden = true;
  });
  $('bouton-actualiser-journal').addEventListener('click', () => chargerJournal());
  $('numerotation').addEventListener('submit', (e) => {
    e.preventDefault();
    const numero = $('numero-a-composer').value.trim();
    if (!numero) {
      toast('Saisissez un numéro à appeler.', 'erreur');
      return;
    }
    cti.envoyer({ type: 'appel.sortant', numero });
  });
  setInterval(majChronos, 1000);
}

async function demarrer() {
  document.body.classList.toggle('mode-crm', mode !== 'standalone');
  const m = $('mode-integration');
  m.dataset.mode = mode;
  m.textContent = mode === 'standalone' ? 'Mode autonome' : `Intégration ${mode}${integration.engine ? ` (${integration.engine})` : ''}`;
  brancherInterface();
  installerDemo();
  let profil;
  try {
    profil = await api('/api/operateur/profil', { session: etat.session });
  } catch (e) {
    toast(`Connexion au Voice Management impossible : ${e.message}`, 'erreur', 10000);
    console.error('[bandeau] Profil opérateur indisponible :', e.message);
    return;
  }
  etat.session = profil.session;
  etat.operateur = profil.operateur;
  etat.groupes = profil.operateur.groupes;
  $('operateur').dataset.login = profil.operateur.login;
  $('operateur').dataset.societe = profil.operateur.societe;
  $('operateur-initiales').textContent = initiales(profil.operateur.nom);
  $('operateur-nom').textContent = profil.operateur.nom;
  $('operateur-login').textContent = profil.operateur.login;
  $('operateur-societe').textContent = profil.operateur.societe;
  $('version-vm').textContent = profil.version;
  $('statut-pauses').replaceChildren(...profil.pauses.map((p) => el('option', { value: p.code }, p.titre)));
  afficherFiles();
  appliquerStatut(profil.statut);
  connecterCti();
  chargerJournal();
}

demarrer();
