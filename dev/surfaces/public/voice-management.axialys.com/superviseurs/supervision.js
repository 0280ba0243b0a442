// Écran de supervision Axialys Voice Management : files d'attente, activité des opérateurs,
// actions sur les opérateurs et alertes, en temps réel (wss://…/supervision/live).

import { api, el, toast, duree, dureeLongue, heure, initiales, ErreurApi, SocketTempsReel } from '/commun/commun.js';
import { installerScenariosDemo, ajouterRessourcesManquantes, rafaleConsole, violationCsp } from '/commun/demo-faults.js';

const $ = (id) => document.getElementById(id);

const etat = {
  session: null,
  files: [],
  operateurs: [],
  alertes: [],
  selection: null,
  recuA: Date.now(),
};

let live = null;

const ACTIONS = {
  pause: 'Forcer la pause',
  'fin-pause': 'Fin de pause',
  debloquer: 'Débloquer',
  deconnecter: 'Déconnecter',
};

function nomGroupe(id) {
  const f = etat.files.find((x) => x.id === id);
  return f ? f.nom : `Groupe ${id}`;
}

// ---------------------------------------------------------------- Rendu

function appliquerEtat(snapshot) {
  etat.files = snapshot.files;
  etat.operateurs = snapshot.operateurs;
  etat.alertes = snapshot.alertes;
  etat.recuA = Date.now();
  $('dmc-maj').textContent = heure(snapshot.dmc_maj).slice(0, 5);
  $('dmc-maj').dataset.horodatage = snapshot.dmc_maj;
  afficherFiles();
  afficherOperateurs();
  afficherAlertes();
  afficherSelection();
}

function afficherFiles() {
  const tbody = $('files-attente').tBodies[0];
  tbody.replaceChildren(
    ...etat.files.map((f) =>
      el(
        'tr',
        {
          dataset: {
            groupeId: String(f.id),
            couleur: f.couleur,
            alerte: String(f.en_attente > f.seuil_attente),
            sousEffectif: String(f.connectes < f.min_operateurs),
          },
          style: { '--couleur-groupe': f.couleur },
        },
        el('td', { className: 'file__groupe' }, el('span', { className: 'groupe' }, el('span', { className: 'pastille-groupe', style: { '--couleur-groupe': f.couleur } }), el('span', { className: 'file__nom' }, f.nom))),
        el('td', { className: 'num file__en-attente', dataset: { valeur: String(f.en_attente) } }, String(f.en_attente)),
        el('td', { className: 'num file__attente-max mono', dataset: { secondes: String(f.attente_max_s) } }, f.en_attente ? duree(f.attente_max_s) : '—'),
        el('td', { className: 'num file__connectes', dataset: { valeur: String(f.connectes) } }, String(f.connectes)),
        el('td', { className: 'num file__disponibles', dataset: { valeur: String(f.disponibles) } }, String(f.disponibles)),
        el('td', { className: 'num file__dmc', dataset: { secondes: String(f.dmc_s) } }, dureeLongue(f.dmc_s)),
        el('td', { className: 'num file__dma', dataset: { secondes: String(f.dma_s) } }, dureeLongue(f.dma_s)),
      ),
    ),
  );
}

function boutonAction(op, action) {
  return el(
    'button',
    {
      type: 'button',
      className: `btn btn--petit${action === 'deconnecter' ? ' btn--danger-discret' : ''}`,
      dataset: { action, login: op.login },
      disabled: op.statut.categorie === 'deconnecte',
      title: `${ACTIONS[action]} : ${op.nom}`,
    },
    ACTIONS[action],
  );
}

function creerLigneOperateur(op) {
  return el(
    'tr',
    { dataset: { login: op.login } },
    el('td', { className: 'op__nom' }, el('strong', {}, op.nom), el('span', {}, op.login)),
    el('td', { className: 'op__statut' }, el('span', { className: 'badge' })),
    el('td', { className: 'num op__duree mono' }),
    el('td', { className: 'op__files' }, el('div', { className: 'drapeaux' })),
    el('td', { className: 'op__poste' }),
    el('td', { className: 'actions' }, boutonAction(op, 'pause'), boutonAction(op, 'debloquer'), boutonAction(op, 'deconnecter')),
  );
}

/** Met à jour une ligne existante sans la recréer (les boutons gardent leur identité). */
function majLigneOperateur(tr, op, filtre, maintenant) {
  const depuis = Date.parse(op.depuis);
  const selectionne = op.login === etat.selection;
  tr.classList.toggle('is-selected', selectionne);
  tr.setAttribute('aria-selected', String(selectionne));
  tr.dataset.statut = op.statut.categorie;
  tr.dataset.codeStatut = op.statut.code;
  tr.dataset.depuis = op.depuis;
  tr.dataset.longueDuree = String(op.statut.categorie === 'en-communication' && maintenant - depuis > 30 * 60000);
  tr.hidden = Boolean(filtre) && !`${op.nom} ${op.login}`.toLowerCase().includes(filtre);
  const badge = tr.querySelector('.op__statut .badge');
  badge.className = `badge badge--${op.statut.categorie}`;
  if (badge.textContent !== op.statut.libelle) badge.textContent = op.statut.libelle;
  tr.querySelector('.op__duree').textContent = duree((maintenant - depuis) / 1000);
  tr.querySelector('.op__poste').textContent = op.poste;
  const drapeaux = tr.querySelector('.drapeaux');
  op.files.forEach((f, i) => {
    let b = drapeaux.children[i];
    if (!b) {
      b = el('button', { type: 'button', className: 'drapeau-file' });
      drapeaux.append(b);
    }
    const g = etat.files.find((x) => x.id === f.id);
    b.dataset.groupeId = String(f.id);
    b.dataset.suspendu = String(f.suspendu);
    b.dataset.login = op.login;
    b.style.setProperty('--couleur-groupe', g ? g.couleur : '#999');
    b.title = `${nomGroupe(f.id)} — ${f.suspendu ? 'suspendu (cliquer pour réactiver)' : 'actif (cliquer pour suspendre)'}`;
    b.setAttribute('aria-label', `${nomGroupe(f.id)} : ${f.suspendu ? 'suspendu' : 'actif'}`);
    b.setAttribute('aria-pressed', String(f.suspendu));
  });
  while (drapeaux.children.length > op.files.length) drapeaux.lastElementChild.remove();
  for (const b of tr.querySelectorAll('button[data-action]')) b.disabled = op.statut.categorie === 'deconnecte';
}

function afficherOperateurs() {
  const tbody = $('activite-operateurs').tBodies[0];
  const filtre = $('filtre-operateurs').value.trim().toLowerCase();
  const maintenant = Date.now();
  const existantes = new Map([...tbody.rows].map((tr) => [tr.dataset.login, tr]));
  etat.operateurs.forEach((op, i) => {
    let tr = existantes.get(op.login);
    if (!tr) tr = creerLigneOperateur(op);
    existantes.delete(op.login);
    if (tbody.rows[i] !== tr) tbody.insertBefore(tr, tbody.rows[i] || null);
    majLigneOperateur(tr, op, filtre, maintenant);
  });
  for (const tr of existantes.values()) tr.remove();
}

function afficherAlertes() {
  const ul = $('liste-alertes');
  if (!etat.alertes.length) {
    ul.replaceChildren(el('li', { className: 'alerte alerte--aucune', dataset: { type: 'aucune' } }, 'Aucune alerte en cours'));
    return;
  }
  ul.replaceChildren(
    ...etat.alertes.map((a) =>
      el('li', { className: 'alerte', dataset: { type: a.type, niveau: a.niveau, groupeId: String(a.groupe_id) }, attrs: { role: 'alert' } }, a.message),
    ),
  );
}

let cleSelection = null;

function afficherSelection() {
  const panneau = $('operateur-selectionne');
  const corps = $('detail-operateur');
  const op = etat.operateurs.find((o) => o.login === etat.selection);
  panneau.dataset.login = op ? op.login : '';
  // Pas de re-rendu si rien n'a changé : les boutons du panneau restent cliquables.
  const cle = op ? JSON.stringify([op.login, op.statut.code, op.depuis, op.files, op.file_courante]) : '';
  if (cle === cleSelection) return;
  cleSelection = cle;
  if (!op) {
    corps.replaceChildren(el('p', { className: 'vide' }, 'Aucun opérateur sélectionné.'));
    return;
  }
  const depuis = Date.parse(op.depuis);
  corps.replaceChildren(
    el('div', { className: 'detail__nom', id: 'selection-nom' }, op.nom),
    el('div', { className: 'detail__login', id: 'selection-login' }, op.login),
    el(
      'dl',
      { className: 'detail__liste' },
      el('dt', {}, 'Statut'),
      el('dd', { id: 'selection-statut', dataset: { statut: op.statut.categorie } }, el('span', { className: `badge badge--${op.statut.categorie}` }, op.statut.libelle)),
      el('dt', {}, 'Depuis'),
      el('dd', { id: 'selection-duree', className: 'mono' }, `${heure(depuis)} (${duree((Date.now() - depuis) / 1000)})`),
      el('dt', {}, 'File en cours'),
      el('dd', { id: 'selection-file' }, op.file_courante ? nomGroupe(op.file_courante) : '—'),
      el('dt', {}, 'Groupes'),
      el('dd', {}, op.files.map((f) => `${nomGroupe(f.id)}${f.suspendu ? ' (suspendu)' : ''}`).join(', ')),
      el('dt', {}, 'Poste'),
      el('dd', {}, op.poste),
    ),
    el(
      'div',
      { className: 'detail__actions' },
      op.statut.categorie === 'pause' ? boutonAction(op, 'fin-pause') : boutonAction(op, 'pause'),
      boutonAction(op, 'debloquer'),
      boutonAction(op, 'deconnecter'),
      el('button', { type: 'button', className: 'btn btn--petit', disabled: true, title: "Droit « écoute discrète » non accordé à votre profil" }, 'Écoute discrète'),
    ),
  );
}

function majChronos() {
  const maintenant = Date.now();
  $('horloge').textContent = heure(maintenant);
  for (const tr of $('activite-operateurs').tBodies[0].rows) {
    const d = Date.parse(tr.dataset.depuis);
    const cell = tr.querySelector('.op__duree');
    if (cell && d) cell.textContent = duree((maintenant - d) / 1000);
  }
  const ecoule = (maintenant - etat.recuA) / 1000;
  for (const tr of $('files-attente').tBodies[0].rows) {
    const f = etat.files.find((x) => String(x.id) === tr.dataset.groupeId);
    const cell = tr.querySelector('.file__attente-max');
    if (f && cell && f.en_attente > 0) {
      const s = Math.round(f.attente_max_s + ecoule);
      cell.textContent = duree(s);
      cell.dataset.secondes = String(s);
    }
  }
  const sel = $('selection-duree');
  const op = etat.operateurs.find((o) => o.login === etat.selection);
  if (sel && op) {
    const d = Date.parse(op.depuis);
    sel.textContent = `${heure(d)} (${duree((maintenant - d) / 1000)})`;
  }
}

// ---------------------------------------------------------------- Actions

async function agir(login, action, { fault } = {}) {
  const op = etat.operateurs.find((o) => o.login === login);
  const nom = op ? op.nom : login;
  try {
    const r = await api(`/api/supervision/operateurs/${encodeURIComponent(login)}/${action}${fault ? `?fault=${fault}` : ''}`, {
      methode: 'POST',
      corps: {},
      session: etat.session,
    });
    toast(r.message, 'succes');
    const i = etat.operateurs.findIndex((o) => o.login === login);
    if (i >= 0 && r.operateur) etat.operateurs[i] = r.operateur;
    afficherOperateurs();
    afficherSelection();
  } catch (e) {
    const detail = e instanceof ErreurApi ? `${e.message} (HTTP ${e.statut})` : 'serveur injoignable';
    toast(`${ACTIONS[action] || 'Action'} impossible pour ${nom} : ${detail}`, 'erreur', 6000);
    if (!(e instanceof ErreurApi) || e.statut >= 500) console.error(`[supervision] Action « ${action} » sur ${login} refusée : ${detail}`);
  }
}

async function basculerSuspension(login, groupeId, suspendu) {
  try {
    const r = await api(`/api/supervision/operateurs/${encodeURIComponent(login)}/files/${groupeId}`, {
      methode: 'POST',
      corps: { suspendu },
      session: etat.session,
    });
    toast(r.message, 'succes');
  } catch (e) {
    toast(`Suspension impossible : ${e.message}`, 'erreur');
  }
}

function selectionner(login) {
  etat.selection = login;
  for (const tr of $('activite-operateurs').tBodies[0].rows) {
    const oui = tr.dataset.login === login;
    tr.classList.toggle('is-selected', oui);
    tr.setAttribute('aria-selected', String(oui));
  }
  afficherSelection();
}

// ---------------------------------------------------------------- Statistiques du jour

async function chargerStatistiques({ lent = false } = {}) {
  const zone = $('stats-etat');
  zone.hidden = false;
  zone.replaceChildren(el('span', { className: 'spinner' }), ' Calcul des statistiques…');
  const debut = performance.now();
  try {
    const s = await api(`/api/supervision/statistiques${lent ? '?fault=slow' : ''}`, { session: etat.session });
    $('kpi-recus').textContent = String(s.appels_recus);
    $('kpi-traites').textContent = String(s.appels_traites);
    $('kpi-taux').textContent = `${(s.taux_decroche * 100).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %`;
    $('kpi-dmc').textContent = dureeLongue(s.dmc_s);
    const t = ((performance.now() - debut) / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
    if (lent) zone.textContent = `Statistiques actualisées (réponse en ${t} s).`;
    else zone.hidden = true;
  } catch (e) {
    zone.textContent = 'Statistiques indisponibles.';
    console.error('[supervision] Statistiques indisponibles :', e.message);
  }
}

// ---------------------------------------------------------------- Temps réel

function afficherLive(etatLive, code) {
  const n = $('live-etat');
  n.dataset.etat = etatLive;
  n.textContent = etatLive === 'connecte' ? 'Temps réel : connecté' : etatLive === 'connexion' ? 'Temps réel : connexion…' : 'Temps réel : déconnecté';
  if (code) n.dataset.codeFermeture = String(code);
  if (etatLive === 'deconnecte' && code && code !== 1000 && code !== 1001) toast('Connexion temps réel perdue. Reconnexion en cours…', 'erreur');
}

function connecterLive() {
  live = new SocketTempsReel('wss://voice-management.axialys.com/supervision/live', {
    onEtat: afficherLive,
    onOuverture: () => live.ws.send(JSON.stringify({ type: 'auth', session: etat.session })),
    onMessage: (msg) => {
      if (msg.type === 'etat') appliquerEtat(msg);
    },
  }).ouvrir();
}

// ---------------------------------------------------------------- Démonstration

function ouvrirDetailFile(groupeId) {
  const file = etat.files.find((f) => f.id === groupeId);
  return `${file.nom} : ${file.en_attente} en attente`;
}

async function exporterVueCsv() {
  await new Promise((r) => setTimeout(r, 50));
  throw new Error('Export CSV de la supervision impossible : service de génération indisponible (HTTP 503)');
}

const MESSAGES_RAFALE = [
  (i) => `[supervision] Mise à jour ignorée : opérateur inconnu id_op=${7000 + (i % 37)}`,
  (i) => `[supervision] Écart d'horloge détecté avec le serveur temps réel : ${1200 + i} ms`,
  (i) => `[supervision] Rendu du tableau des files interrompu (itération ${i})`,
];

function installerDemo() {
  installerScenariosDemo({
    exception: () => ouvrirDetailFile(999),
    http500: () => agir(etat.selection || 'tmartin', 'pause', { fault: '500' }),
    'ws-drop': () => live.envoyer({ type: 'demo.coupure' }),
    'failed-resource': () =>
      ajouterRessourcesManquantes([
        { type: 'img', url: '/superviseurs/img/avatars/kdiallo.png', alt: 'Karim Diallo' },
        { type: 'script', url: '/superviseurs/js/graphiques-temps-reel.min.js' },
      ]),
    'console-flood': () => rafaleConsole((i) => MESSAGES_RAFALE[i % MESSAGES_RAFALE.length](i)),
    'slow-api': () => chargerStatistiques({ lent: true }),
    csp: () => violationCsp(),
    rejection: () => {
      exporterVueCsv();
    },
    'console-warn': () => console.warn('[supervision] DMC/DMA non actualisées depuis plus de 6 minutes : valeurs précédentes conservées'),
  });
}

// ---------------------------------------------------------------- Démarrage

function brancherInterface() {
  const tbody = $('activite-operateurs').tBodies[0];
  tbody.addEventListener('click', (e) => {
    const bouton = e.target.closest('button');
    const tr = e.target.closest('tr[data-login]');
    if (bouton && bouton.dataset.action) {
      agir(bouton.dataset.login, bouton.dataset.action);
      return;
    }
    if (bouton && bouton.classList.contains('drapeau-file')) {
      basculerSuspension(bouton.dataset.login, bouton.dataset.groupeId, bouton.dataset.suspendu !== 'true');
      return;
    }
    if (tr) selectionner(tr.dataset.login);
  });
  $('detail-operateur').addEventListener('click', (e) => {
    const bouton = e.target.closest('button[data-action]');
    if (bouton) agir(bouton.dataset.login, bouton.dataset.action);
  });
  $('filtre-operateurs').addEventListener('input', afficherOperateurs);
  $('bouton-actualiser-stats').addEventListener('click', () => chargerStatistiques());
  setInterval(majChronos, 1000);
}

async function demarrer() {
  brancherInterface();
  installerDemo();
  let profil;
  try {
    profil = await api('/api/supervision/profil');
  } catch (e) {
    toast(`Connexion à la supervision impossible : ${e.message}`, 'erreur', 10000);
    console.error('[supervision] Profil superviseur indisponible :', e.message);
    return;
  }
  etat.session = profil.session;
  const s = profil.superviseur;
  $('superviseur').dataset.login = s.login;
  $('superviseur-initiales').textContent = initiales(s.nom);
  $('superviseur-nom').textContent = s.nom;
  $('superviseur-login').textContent = s.login;
  $('superviseur-societe').textContent = s.societe;
  $('format-affichage').textContent = profil.affichage;
  appliquerEtat(profil);
  majChronos();
  connecterLive();
  chargerStatistiques();
}

demarrer();
