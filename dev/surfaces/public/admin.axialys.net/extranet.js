// Interface d'administration Axialys (extranet) : onglets Opérateurs, Types de pauses,
// Superviseurs, Groupes de compétences, SVI, Acheminements, Campagnes, Statistiques.
// Navigation par ancre : #/<onglet>, #/<onglet>/nouveau, #/<onglet>/<identifiant>.

import { api, el, toast, initiales, ErreurApi, SocketTempsReel } from '/commun/commun.js';
import { installerScenariosDemo, ajouterRessourcesManquantes, rafaleConsole, violationCsp } from '/commun/demo-faults.js';

const $ = (id) => document.getElementById(id);

const etat = {
  session: null,
  groupes: [],
  etapesSvi: [],
  liste: [],
  objet: null,
  succesEnAttente: null,
  statsLentes: false,
  rendu: 0,
};

let notifications = null;

const LANGUES = [['fr', 'Français'], ['en', 'English'], ['it', 'Italiano'], ['es', 'Español']];
const PRESENTATIONS = [['anonyme', 'Anonyme'], ['numero_op', 'Numéro OP'], ['entrant_cti', 'Entrant CTI'], ['personnalise', 'Personnalisé']];
const DIALPLANS = [['fr', 'fr — France'], ['ch', 'ch — Suisse'], ['es', 'es — Espagne'], ['gb', 'gb — Royaume-Uni'], ['it', 'it — Italie']];
const FENETRES = [
  ['masquee', 'Masquée'],
  ['popup_unique', 'Une fenêtre, rafraîchie à chaque appel'],
  ['fenetre_par_appel', 'Une fenêtre par appel'],
  ['onglets', 'Plusieurs onglets'],
];
const STATUTS_CAMPAGNE = { brouillon: 'Brouillon', en_cours: 'En cours', terminee: 'Terminée' };

const libelle = (options, v) => (options.find(([k]) => k === v) || [v, v])[1];
const nomGroupe = (id) => (etat.groupes.find((g) => g.id === Number(id)) || { nom: `Groupe ${id}` }).nom;
const pastilleGroupe = (id) => {
  const g = etat.groupes.find((x) => x.id === Number(id));
  return el('span', {}, el('span', { className: 'pastille-groupe', style: { '--couleur-groupe': g ? g.couleur : '#999' } }), ' ', g ? g.nom : `Groupe ${id}`);
};
const optionsGroupes = () => etat.groupes.map((g) => [String(g.id), g.nom]);
const destinationLibelle = (d) => {
  const [type, cible] = String(d).split(':');
  if (type === 'groupe') return `Groupe « ${nomGroupe(cible)} »`;
  if (type === 'svi') return `SVI n° ${cible}`;
  return `Renvoi vers ${cible}`;
};

/** Description de chaque onglet : colonnes de la liste et champs du formulaire. */
const SECTIONS = {
  operateurs: {
    titre: 'Opérateurs',
    objetType: 'operateur',
    singulier: "l'opérateur",
    ajouter: 'Ajouter opérateur',
    api: '/api/operateurs',
    titreObjet: (o) => o.identifiant,
    colonnes: [
      ['Identifiant', (o) => el('span', { className: 'mono' }, o.identifiant)],
      ['Nom complet', (o) => o.nom],
      ['Langue du bandeau', (o) => o.langue.toUpperCase()],
      ['Présentation numéro', (o) => libelle(PRESENTATIONS, o.presentation)],
      ['Groupes', (o) => el('span', {}, ...o.groupes.flatMap((g, i) => (i ? [', ', pastilleGroupe(g)] : [pastilleGroupe(g)])))],
      ['État', (o) => el('span', { className: o.actif ? 'etat-actif' : 'etat-inactif' }, o.actif ? 'Actif' : 'Désactivé')],
    ],
    champs: () => [
      { nom: 'identifiant', libelle: 'Identifiant', type: 'text', creationSeulement: true, aide: 'Conseil : initiale du prénom suivie du nom (ex. jdupont).', requis: true },
      { nom: 'nom', libelle: 'Nom complet', type: 'text', aide: "Affiché sur l'écran de supervision.", requis: true },
      { nom: 'email', libelle: 'Adresse e-mail', type: 'email', aide: 'Le mot de passe est envoyé à cette adresse.', requis: true },
      { nom: 'langue', libelle: 'Langue du bandeau', type: 'select', options: LANGUES },
      { nom: 'presentation', libelle: 'Présentation numéro', type: 'select', options: PRESENTATIONS, aide: 'Numéro présenté lors des appels sortants.' },
      { nom: 'numero_presente', libelle: 'Numéro personnalisé', type: 'tel', aide: 'Uniquement avec « Personnalisé ».' },
      { nom: 'dialplan', libelle: 'Dialplan', type: 'select', options: DIALPLANS },
      { nom: 'fenetre_externe', libelle: "Fenêtre pour l'application externe", type: 'select', options: FENETRES, aide: 'Ouverture de votre CRM à chaque appel entrant.' },
      { nom: 'groupes', libelle: 'Groupes de compétences', type: 'cases', options: optionsGroupes(), large: true },
      { nom: 'actif', libelle: 'Compte actif', type: 'case' },
    ],
    nouveau: () => ({ identifiant: '', nom: '', email: '', langue: 'fr', presentation: 'entrant_cti', numero_presente: '', dialplan: 'fr', fenetre_externe: 'popup_unique', groupes: [], actif: true }),
  },
  'types-pauses': {
    titre: 'Types de pauses',
    objetType: 'type-pause',
    singulier: 'la pause',
    ajouter: 'Ajouter une pause',
    api: '/api/types-pauses',
    titreObjet: (p) => `Pause ${p.numero}${p.titre ? ` (${p.titre})` : ''}`,
    intro: 'Seules les pauses ayant un titre apparaissent sur le bandeau des opérateurs. Une durée maximale remet automatiquement l’opérateur en « Disponible ».',
    colonnes: [
      ['N°', (p) => `Pause ${p.numero}`],
      ['Code', (p) => el('span', { className: 'mono secondaire' }, p.code)],
      ['Titre', (p) => p.titre || el('span', { className: 'secondaire' }, '— non utilisée —')],
      ['Durée maximale', (p) => (p.duree_max ? `${p.duree_max} min` : 'Illimitée')],
      ['Traitement de campagne', (p) => (p.traitement_campagne ? 'Oui (compté disponible)' : 'Non')],
    ],
    champs: () => [
      { nom: 'code', libelle: 'Code', type: 'lecture', lectureSeule: true },
      { nom: 'titre', libelle: 'Titre affiché sur le bandeau', type: 'text', aide: 'Laisser vide pour masquer cette pause.' },
      { nom: 'duree_max', libelle: 'Durée maximale (minutes)', type: 'number', aide: '0 = pas de limite.' },
      { nom: 'traitement_campagne', libelle: 'Statut « traitement de campagne » (l’opérateur reste compté disponible)', type: 'case', large: true },
    ],
    nouveau: () => ({ code: '(attribué à l’enregistrement)', titre: '', duree_max: 0, traitement_campagne: false }),
  },
  superviseurs: {
    titre: 'Superviseurs',
    objetType: 'superviseur',
    singulier: 'le superviseur',
    ajouter: 'Ajouter superviseur',
    api: '/api/superviseurs',
    titreObjet: (s) => s.identifiant,
    colonnes: [
      ['Identifiant', (s) => el('span', { className: 'mono' }, s.identifiant)],
      ['Nom', (s) => s.nom],
      ['Format d’affichage', (s) => (s.affichage === 'vertical' ? 'Vertical' : 'Horizontal')],
      ['Files visibles', (s) => el('span', {}, ...s.files.flatMap((g, i) => (i ? [', ', pastilleGroupe(g)] : [pastilleGroupe(g)])))],
      ['Écoute discrète', (s) => (s.ecoute_discrete ? 'Autorisée' : 'Non')],
      ['Rapport quotidien', (s) => (s.rapport_quotidien ? 'Oui' : 'Non')],
    ],
    champs: () => [
      { nom: 'identifiant', libelle: 'Identifiant', type: 'text', creationSeulement: true, requis: true },
      { nom: 'nom', libelle: 'Nom', type: 'text', requis: true },
      { nom: 'email', libelle: 'Adresse e-mail (obligatoire)', type: 'email', aide: 'Mot de passe et rapport quotidien envoyés à cette adresse.', requis: true },
      { nom: 'langue', libelle: 'Langue', type: 'select', options: LANGUES },
      { nom: 'affichage', libelle: "Format d'affichage", type: 'select', options: [['vertical', 'Vertical (cases)'], ['horizontal', 'Horizontal (tableau)']] },
      { nom: 'files', libelle: 'Files visibles', type: 'cases', options: optionsGroupes(), large: true },
      { nom: 'ecoute_discrete', libelle: 'Autoriser l’écoute discrète', type: 'case' },
      { nom: 'rapport_quotidien', libelle: 'Recevoir le rapport quotidien de supervision', type: 'case' },
    ],
    nouveau: () => ({ identifiant: '', nom: '', email: '', langue: 'fr', affichage: 'vertical', files: [], ecoute_discrete: false, rapport_quotidien: true }),
  },
  svi: {
    titre: 'SVI',
    objetType: 'svi',
    singulier: 'le SVI',
    ajouter: 'Nouveau SVI',
    api: '/api/svi',
    titreObjet: (s) => s.nom,
    colonnes: [
      ['Nom', (s) => s.nom],
      ['Numéros', (s) => el('span', { className: 'mono' }, s.numeros || '—')],
      ['Étapes', (s) => el('span', { className: 'etapes' }, s.etapes.map((e) => el('span', { className: 'etape' }, e)))],
      ['Modifié le', (s) => new Date(s.modifie_le).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' })],
    ],
    champs: () => [
      { nom: 'nom', libelle: 'Nom du SVI', type: 'text', requis: true },
      { nom: 'numeros', libelle: 'Numéros associés', type: 'text', aide: 'Séparés par des virgules.' },
      { nom: 'etapes', libelle: 'Étapes (dans l’ordre, séparées par des virgules)', type: 'text', large: true, aide: () => `Étapes disponibles : ${etat.etapesSvi.join(', ')}.`, liste: true },
    ],
    nouveau: () => ({ nom: '', numeros: '', etapes: ['Horaires', 'Menu', 'Groupe'] }),
  },
  acheminements: {
    titre: 'Acheminements',
    objetType: 'acheminement',
    singulier: "l'acheminement",
    ajouter: 'Ajouter un acheminement',
    api: '/api/acheminements',
    titreObjet: (a) => a.numero,
    colonnes: [
      ['Numéro de service (SDA)', (a) => el('span', { className: 'mono' }, a.numero)],
      ['Libellé', (a) => a.libelle],
      ['Destination', (a) => destinationLibelle(a.destination)],
      ['Horaires', (a) => a.horaires || '—'],
      ['État', (a) => el('span', { className: a.actif ? 'etat-actif' : 'etat-inactif' }, a.actif ? 'Actif' : 'Suspendu')],
    ],
    champs: () => [
      { nom: 'numero', libelle: 'Numéro de service (SDA)', type: 'tel', requis: true, aide: 'Ex. 01 84 88 00 00' },
      { nom: 'libelle', libelle: 'Libellé', type: 'text', requis: true },
      {
        nom: 'destination',
        libelle: 'Destination',
        type: 'select',
        options: [['svi:1', 'SVI « Accueil principal »'], ['svi:2', 'SVI « Sinistres 24/7 »'], ['svi:3', 'SVI « Recouvrement »'], ...etat.groupes.map((g) => [`groupe:${g.id}`, `Groupe « ${g.nom} »`])],
      },
      { nom: 'horaires', libelle: 'Horaires', type: 'text' },
      { nom: 'actif', libelle: 'Acheminement actif', type: 'case' },
    ],
    nouveau: () => ({ numero: '', libelle: '', destination: 'svi:1', horaires: 'Lun–Ven 8h30–18h30', actif: true }),
  },
  campagnes: {
    titre: 'Campagnes sortantes',
    objetType: 'campagne',
    singulier: 'la campagne',
    ajouter: 'Nouvelle campagne',
    api: '/api/campagnes',
    titreObjet: (c) => c.nom,
    colonnes: [
      ['Campagne', (c) => c.nom],
      ['Groupe', (c) => pastilleGroupe(c.groupe)],
      ['Période', (c) => `${new Date(c.debut).toLocaleDateString('fr-FR')} → ${new Date(c.fin).toLocaleDateString('fr-FR')}`],
      ['Statut', (c) => STATUTS_CAMPAGNE[c.statut] || c.statut],
      ['Progression', (c) => {
        const pct = c.contacts ? Math.round((c.traites / c.contacts) * 100) : 0;
        return el('span', {}, el('span', { className: 'progression', style: { '--pct': `${pct}%` } }, el('span')), `${c.traites} / ${c.contacts}`);
      }],
    ],
    champs: () => [
      { nom: 'nom', libelle: 'Nom de la campagne', type: 'text', requis: true, large: true },
      { nom: 'groupe', libelle: 'Groupe qui traite la campagne', type: 'select', options: optionsGroupes() },
      { nom: 'statut', libelle: 'Statut', type: 'lecture', lectureSeule: true, format: (v) => STATUTS_CAMPAGNE[v] || v },
      { nom: 'debut', libelle: 'Date de début', type: 'date' },
      { nom: 'fin', libelle: 'Date de fin', type: 'date' },
    ],
    nouveau: () => ({ nom: '', groupe: '105', statut: 'brouillon', debut: new Date().toISOString().slice(0, 10), fin: new Date(Date.now() + 14 * 86400000).toISOString().slice(0, 10) }),
  },
};

// ---------------------------------------------------------------- Messages

function effacerMessages() {
  $('message-erreur').hidden = true;
  $('message-succes').hidden = true;
  for (const n of document.querySelectorAll('.champ__erreur')) n.remove();
  for (const n of document.querySelectorAll('.champ--invalide')) n.classList.remove('champ--invalide');
}

function afficherErreur(e, titre = 'Enregistrement impossible') {
  const boite = $('message-erreur');
  $('message-erreur-titre').textContent = titre;
  const statut = e instanceof ErreurApi ? e.statut : 0;
  $('message-erreur-texte').textContent = e instanceof ErreurApi ? e.message : 'Le serveur est injoignable. Vérifiez votre connexion.';
  const ref = e instanceof ErreurApi && e.details.reference ? ` · Réf. ${e.details.reference}` : '';
  $('message-erreur-details').textContent = e instanceof ErreurApi ? `HTTP ${statut} · ${e.code}${ref}` : '';
  boite.dataset.statut = String(statut);
  boite.dataset.code = e instanceof ErreurApi ? e.code : 'RESEAU';
  boite.hidden = false;
  const champs = e instanceof ErreurApi && e.details.champs ? e.details.champs : {};
  for (const [nom, message] of Object.entries(champs)) {
    const champ = document.querySelector(`.champ[data-champ="${nom}"]`);
    if (!champ) continue;
    champ.classList.add('champ--invalide');
    champ.append(el('span', { className: 'champ__erreur', dataset: { champ: nom } }, message));
  }
  boite.scrollIntoView({ block: 'nearest' });
}

function afficherSucces(texte) {
  const m = $('message-succes');
  m.textContent = texte;
  m.hidden = false;
}

// ---------------------------------------------------------------- Rendu commun

/** Prépare la zone principale ; renvoie un jeton qui devient périmé à la navigation suivante. */
function preparerVue({ onglet, vue, titre, ariane, objetType = '', objetId = '' }) {
  const jeton = ++etat.rendu;
  const main = $('contenu');
  main.dataset.onglet = onglet;
  main.dataset.vue = vue;
  main.dataset.objetType = objetType;
  main.dataset.objetId = objetId;
  for (const a of document.querySelectorAll('#menu-principal a')) {
    const actif = a.dataset.onglet === onglet;
    a.classList.toggle('is-active', actif);
    if (actif) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('titre-page').textContent = titre;
  const fil = [el('a', { href: '#/operateurs' }, 'Administration')];
  for (const [texte, lien] of ariane) fil.push(el('span', { className: 'sep' }, '›'), lien ? el('a', { href: lien }, texte) : el('span', {}, texte));
  $('fil-ariane').replaceChildren(...fil);
  $('actions-page').replaceChildren();
  effacerMessages();
  if (etat.succesEnAttente) {
    afficherSucces(etat.succesEnAttente);
    etat.succesEnAttente = null;
  }
  document.title = `${titre} – Interface d'administration – Axialys`;
  $('vue').replaceChildren(el('div', { className: 'chargement' }, el('span', { className: 'spinner' }), ' Chargement…'));
  return () => jeton === etat.rendu;
}

async function rendreListe(cle) {
  const s = SECTIONS[cle];
  const actuel = preparerVue({ onglet: cle, vue: 'liste', titre: s.titre, ariane: [[s.titre]] });
  $('actions-page').append(el('a', { className: 'btn btn--primaire', href: `#/${cle}/nouveau`, id: 'bouton-ajouter' }, s.ajouter));
  let r;
  try {
    r = await api(s.api);
  } catch (e) {
    if (!actuel()) return;
    afficherErreur(e, 'Chargement impossible');
    $('vue').replaceChildren();
    return;
  }
  if (!actuel()) return;
  etat.liste = r.elements;
  const tbody = el('tbody');
  const remplir = (filtre) => {
    const lignes = etat.liste.filter((o) => !filtre || JSON.stringify(o).toLowerCase().includes(filtre));
    tbody.replaceChildren(
      ...(lignes.length
        ? lignes.map((o) =>
            el(
              'tr',
              { dataset: { id: o.id }, on: { click: () => (location.hash = `#/${cle}/${encodeURIComponent(o.id)}`) } },
              ...s.colonnes.map(([, f]) => el('td', {}, f(o))),
              el('td', { className: 'num' }, el('a', { className: 'btn btn--petit', href: `#/${cle}/${encodeURIComponent(o.id)}` }, 'Modifier')),
            ),
          )
        : [el('tr', { className: 'vide' }, el('td', { colSpan: s.colonnes.length + 1 }, 'Aucun élément.'))]),
    );
  };
  remplir('');
  const recherche = el('input', { type: 'search', placeholder: 'Rechercher…', attrs: { 'aria-label': 'Rechercher' } });
  recherche.addEventListener('input', () => remplir(recherche.value.trim().toLowerCase()));
  $('vue').replaceChildren(
    ...(s.intro ? [el('div', { className: 'message message--info' }, s.intro)] : []),
    el(
      'section',
      { className: 'carte liste', id: `liste-${cle}` },
      el('div', { className: 'outils' }, recherche, el('span', { className: 'compte' }, `${r.total} élément${r.total > 1 ? 's' : ''}`)),
      el('table', { className: 'tableau' }, el('thead', {}, el('tr', {}, ...s.colonnes.map(([t]) => el('th', {}, t)), el('th'))), tbody),
    ),
  );
}

function champFormulaire(def, objet, creation) {
  const valeur = objet[def.nom];
  const id = `champ-${def.nom}`;
  const aide = typeof def.aide === 'function' ? def.aide() : def.aide;
  const enfants = [];
  if (def.type === 'case') {
    enfants.push(el('label', { className: 'case-unique' }, el('input', { type: 'checkbox', name: def.nom, id, checked: Boolean(valeur) }), def.libelle));
  } else {
    enfants.push(el('label', { htmlFor: id }, def.libelle, def.requis ? ' *' : ''));
    if (def.type === 'lecture' || (def.creationSeulement && !creation)) {
      enfants.push(el('div', { className: 'lecture-seule', id, dataset: { nom: def.nom } }, def.format ? def.format(valeur) : String(valeur ?? '')));
    } else if (def.type === 'select') {
      enfants.push(el('select', { name: def.nom, id }, ...def.options.map(([v, t]) => el('option', { value: v, selected: String(valeur) === v }, t))));
    } else if (def.type === 'cases') {
      const choisis = (valeur || []).map(String);
      enfants.push(
        el('div', { className: 'cases', id }, ...def.options.map(([v, t]) => el('label', {}, el('input', { type: 'checkbox', name: def.nom, value: v, checked: choisis.includes(v) }), t))),
      );
    } else {
      enfants.push(
        el('input', {
          type: def.type,
          name: def.nom,
          id,
          value: def.liste && Array.isArray(valeur) ? valeur.join(', ') : String(valeur ?? ''),
          autocomplete: 'off',
          spellcheck: false,
        }),
      );
    }
  }
  if (aide) enfants.push(el('span', { className: 'champ__aide' }, aide));
  return el('div', { className: `champ${def.large ? ' champ--large' : ''}`, dataset: { champ: def.nom } }, ...enfants);
}

function lireFormulaire(defs, form) {
  const donnees = {};
  for (const def of defs) {
    if (def.lectureSeule) continue;
    if (def.type === 'case') donnees[def.nom] = form.elements[def.nom]?.checked ?? false;
    else if (def.type === 'cases') donnees[def.nom] = [...form.querySelectorAll(`input[name="${def.nom}"]:checked`)].map((i) => Number(i.value));
    else if (form.elements[def.nom]) {
      const v = form.elements[def.nom].value;
      donnees[def.nom] = def.liste ? v.split(',').map((x) => x.trim()).filter(Boolean) : v;
    }
  }
  return donnees;
}

async function rendreFormulaire(cle, id) {
  const s = SECTIONS[cle];
  const creation = id === 'nouveau';
  const actuel = preparerVue({
    onglet: cle,
    vue: creation ? 'creation' : 'edition',
    titre: creation ? s.ajouter : 'Modification…',
    ariane: [[s.titre, `#/${cle}`], [creation ? s.ajouter : id]],
    objetType: s.objetType,
    objetId: creation ? '' : id,
  });
  let objet;
  if (creation) objet = s.nouveau();
  else {
    try {
      objet = await api(`${s.api}/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!actuel()) return;
      $('titre-page').textContent = `${s.titre} : élément introuvable`;
      afficherErreur(e, 'Chargement impossible');
      $('vue').replaceChildren();
      return;
    }
    if (!actuel()) return;
    $('titre-page').textContent = `Modifier ${s.singulier} ${s.titreObjet(objet)}`;
  }
  etat.objet = objet;
  const defs = s.champs();
  const bouton = el('button', { type: 'submit', className: 'btn btn--primaire', id: 'bouton-enregistrer' }, 'Enregistrer');
  const form = el(
    'form',
    {
      id: 'formulaire-edition',
      className: 'carte formulaire',
      noValidate: true,
      dataset: { objetType: s.objetType, objetId: creation ? '' : id, mode: creation ? 'creation' : 'edition' },
    },
    el('div', { className: 'carte__entete' }, el('h2', { id: 'objet-edite', dataset: { objetType: s.objetType, objetId: creation ? '' : id } }, creation ? `${s.ajouter}` : `${s.titre} › ${s.titreObjet(objet)}`)),
    el('div', { className: 'carte__corps' }, ...defs.map((d) => champFormulaire(d, objet, creation))),
    el('div', { className: 'formulaire__pied' }, el('a', { className: 'btn', href: `#/${cle}` }, 'Annuler'), bouton),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    enregistrer(cle, creation ? null : id, form);
  });
  $('vue').replaceChildren(form);
}

async function enregistrer(cle, id, form, { fault } = {}) {
  const s = SECTIONS[cle];
  const defs = s.champs();
  const donnees = lireFormulaire(defs, form);
  const bouton = form.querySelector('#bouton-enregistrer');
  effacerMessages();
  bouton.disabled = true;
  bouton.textContent = 'Enregistrement…';
  try {
    const url = `${s.api}${id ? `/${encodeURIComponent(id)}` : ''}${fault ? `?fault=${fault}` : ''}`;
    const r = await api(url, { methode: id ? 'PUT' : 'POST', corps: donnees });
    etat.succesEnAttente = id ? `Modifications de ${s.singulier} ${s.titreObjet(r)} enregistrées.` : `${s.titreObjet(r)} a été créé(e).`;
    location.hash = `#/${cle}`;
  } catch (e) {
    afficherErreur(e);
    if (!(e instanceof ErreurApi) || e.statut >= 500) {
      console.error(`[extranet] Échec de l'enregistrement (${s.objetType}${id ? ` ${id}` : ''}) : ${e instanceof ErreurApi ? `HTTP ${e.statut} ${e.message}` : e.message}`);
    }
  } finally {
    bouton.disabled = false;
    bouton.textContent = 'Enregistrer';
  }
}

// ---------------------------------------------------------------- Groupes de compétences (lecture)

function rendreGroupes() {
  preparerVue({ onglet: 'groupes', vue: 'liste', titre: 'Groupes de compétences', ariane: [['Groupes de compétences']] });
  $('vue').replaceChildren(
    el(
      'section',
      { className: 'carte liste', id: 'liste-groupes' },
      el(
        'table',
        { className: 'tableau' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Groupe'), el('th', {}, 'Couleur'), el('th', {}, 'Identifiant'))),
        el('tbody', {}, ...etat.groupes.map((g) => el('tr', { dataset: { id: String(g.id) } }, el('td', {}, pastilleGroupe(g.id)), el('td', { className: 'mono' }, g.couleur), el('td', { className: 'mono' }, String(g.id))))),
      ),
    ),
  );
}

// ---------------------------------------------------------------- Statistiques dynamiques

async function rendreStatistiques(page, params) {
  const actuel = preparerVue({ onglet: 'statistiques', vue: 'statistiques', titre: 'Stats Dynamiques', ariane: [['Statistiques']], objetType: 'page-statistiques', objetId: page || 'appels-entrants' });
  const pages = (await api('/api/statistiques/pages')).pages;
  if (!actuel()) return;
  const courante = pages.find((p) => p.id === page) || pages[0];
  $('contenu').dataset.objetId = courante.id;
  const aujourdHui = new Date().toISOString().slice(0, 10);
  const du = params.get('du') || aujourdHui;
  const au = params.get('au') || aujourdHui;
  const form = el(
    'form',
    { className: 'filtres-stats', id: 'filtres-statistiques' },
    el('div', { className: 'champ' }, el('label', { htmlFor: 'stats-du' }, 'Du'), el('input', { type: 'date', id: 'stats-du', name: 'du', value: du })),
    el('div', { className: 'champ' }, el('label', { htmlFor: 'stats-au' }, 'Au'), el('input', { type: 'date', id: 'stats-au', name: 'au', value: au })),
    el('button', { type: 'submit', className: 'btn btn--primaire' }, 'Afficher'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/statistiques/${courante.id}?du=${form.elements.du.value}&au=${form.elements.au.value}`;
  });
  const resultat = el('div', { id: 'resultat-statistiques' }, el('div', { className: 'chargement' }, el('span', { className: 'spinner' }), ' Calcul en cours…'));
  $('vue').replaceChildren(
    el(
      'section',
      { className: 'carte' },
      el('nav', { className: 'pages-stats', attrs: { 'aria-label': 'Pages de statistiques' } }, ...pages.map((p) => el('a', { href: `#/statistiques/${p.id}`, className: p.id === courante.id ? 'is-active' : '', dataset: { page: p.id } }, p.titre))),
      form,
      resultat,
    ),
  );
  const lent = etat.statsLentes;
  etat.statsLentes = false;
  const debut = performance.now();
  try {
    const r = await api(`/api/statistiques/${courante.id}?du=${encodeURIComponent(du)}&au=${encodeURIComponent(au)}${lent ? '&fault=slow' : ''}`);
    if (!actuel()) return;
    const t = ((performance.now() - debut) / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 });
    resultat.replaceChildren(
      el(
        'table',
        { className: 'tableau', id: 'tableau-statistiques', dataset: { page: r.page, du: r.du, au: r.au } },
        el('thead', {}, el('tr', {}, ...r.colonnes.map((c, i) => el('th', { className: i ? 'num' : '' }, c)))),
        el('tbody', {}, ...r.lignes.map((l) => el('tr', {}, ...l.map((v, i) => el('td', { className: i ? 'num' : '' }, String(v)))))),
      ),
      el('p', { className: 'note secondaire', id: 'stats-duree' }, `${r.titre} du ${new Date(r.du).toLocaleDateString('fr-FR')} au ${new Date(r.au).toLocaleDateString('fr-FR')} — calculé en ${t} s.`),
    );
  } catch (e) {
    if (!actuel()) return;
    resultat.replaceChildren();
    afficherErreur(e, 'Statistiques indisponibles');
  }
}

// ---------------------------------------------------------------- Navigation

function routeCourante() {
  const brut = location.hash.replace(/^#\/?/, '');
  const [chemin, requete] = brut.split('?');
  const [onglet, id] = (chemin || '').split('/');
  return { onglet: onglet || '', id: id ? decodeURIComponent(id) : null, params: new URLSearchParams(requete || '') };
}

function naviguer() {
  const { onglet, id, params } = routeCourante();
  if (onglet === 'deconnexion') {
    toast('La déconnexion est désactivée dans cet environnement de démonstration.', 'info');
    history.back();
    return;
  }
  if (onglet === 'statistiques') return rendreStatistiques(id, params);
  if (onglet === 'groupes') return rendreGroupes();
  if (!SECTIONS[onglet]) {
    location.replace('#/operateurs');
    return;
  }
  if (id) return rendreFormulaire(onglet, id);
  return rendreListe(onglet);
}

// ---------------------------------------------------------------- Notifications temps réel

function afficherNotifications(etatWs, code) {
  const n = $('notifications-etat');
  n.dataset.etat = etatWs;
  n.textContent = etatWs === 'connecte' ? 'Notifications : connecté' : etatWs === 'connexion' ? 'Notifications : connexion…' : 'Notifications : déconnecté';
  if (code) n.dataset.codeFermeture = String(code);
  if (etatWs === 'deconnecte' && code && code !== 1000 && code !== 1001) toast('Connexion aux notifications perdue. Reconnexion…', 'erreur');
}

// ---------------------------------------------------------------- Démonstration

function appliquerDialplanParDefaut() {
  const reference = etat.liste.find((o) => o.id === 'modele-par-defaut');
  return reference.dialplan.toUpperCase();
}

async function sauvegarderBrouillon() {
  await new Promise((r) => setTimeout(r, 50));
  throw new Error("Échec de l'enregistrement automatique du brouillon : QuotaExceededError (stockage local plein)");
}

function attendre(condition, delaiMax = 5000) {
  return new Promise((resolve, reject) => {
    const debut = Date.now();
    const t = setInterval(() => {
      if (condition()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() - debut > delaiMax) {
        clearInterval(t);
        reject(new Error('délai dépassé'));
      }
    }, 50);
  });
}

async function erreurServeurEnregistrement() {
  let form = $('formulaire-edition');
  if (!form) {
    location.hash = '#/operateurs/jdupont';
    await attendre(() => $('formulaire-edition'));
    form = $('formulaire-edition');
  }
  const { onglet, id } = routeCourante();
  await enregistrer(onglet, id === 'nouveau' ? null : id, form, { fault: '500' });
}

const MESSAGES_RAFALE = [
  (i) => `[extranet] Traduction manquante : admin.operateurs.colonne_${i % 50} (fr)`,
  (i) => `[extranet] Réponse /api/operateurs incomplète : champ « groupes » absent (ligne ${i})`,
  (i) => `[extranet] Échec du rendu du composant TableauPivot (${i}) : données non triées`,
];

function installerDemo() {
  installerScenariosDemo({
    exception: () => appliquerDialplanParDefaut(),
    http500: () => {
      erreurServeurEnregistrement();
    },
    'ws-drop': () => notifications.envoyer({ type: 'demo.coupure' }),
    'failed-resource': () =>
      ajouterRessourcesManquantes([
        { type: 'img', url: '/img/logos/compte-40871.png', alt: 'Logo du compte' },
        { type: 'script', url: '/js/modules/stats-dynamiques-pivot.js' },
      ]),
    'console-flood': () => rafaleConsole((i) => MESSAGES_RAFALE[i % MESSAGES_RAFALE.length](i)),
    'slow-api': () => {
      etat.statsLentes = true;
      const { onglet } = routeCourante();
      if (onglet === 'statistiques') naviguer();
      else location.hash = '#/statistiques';
    },
    csp: () => violationCsp(),
    rejection: () => {
      sauvegarderBrouillon();
    },
    'console-warn': () => console.warn("[extranet] Option « Fenêtre pour l'application externe : plusieurs onglets » obsolète, elle sera retirée dans une prochaine version"),
  });
}

// ---------------------------------------------------------------- Démarrage

async function demarrer() {
  installerDemo();
  $('lien-deconnexion').addEventListener('click', (e) => {
    e.preventDefault();
    toast('La déconnexion est désactivée dans cet environnement de démonstration.', 'info');
  });
  let session;
  try {
    session = await api('/api/session');
  } catch (e) {
    afficherErreur(e, 'Session indisponible');
    return;
  }
  etat.session = session;
  etat.groupes = session.groupes;
  etat.etapesSvi = session.etapes_svi;
  const a = session.administrateur;
  $('administrateur').dataset.login = a.login;
  $('admin-initiales').textContent = initiales(a.nom);
  $('admin-nom').textContent = a.nom;
  $('admin-login').textContent = a.login;
  $('admin-role').textContent = a.role;
  $('compte-societe').textContent = session.societe;
  $('compte-numero').textContent = session.compte;
  $('compte-offre').textContent = session.offre;
  notifications = new SocketTempsReel('wss://admin.axialys.net/notifications', {
    onEtat: afficherNotifications,
    onMessage: (m) => {
      if (m.type === 'notification') toast(m.message, 'info');
    },
  }).ouvrir();
  addEventListener('hashchange', naviguer);
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace('#/operateurs');
  else naviguer();
}

demarrer();
