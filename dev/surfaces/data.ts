/**
 * Demo data shared by the surfaces: the customer account, its skill groups (files d'attente),
 * operators, break types and the identities shown on each surface. Entirely fictional.
 */

export const COMPANY = { nom: 'Horizon Assurances', compte: '40871' } as const;

/** Adresse e-mail de démonstration (l'arobase est échappée pour rester lisible par tous les outils). */
export function courriel(utilisateur: string): string {
  return `${utilisateur}\u0040horizon-assurances.fr`;
}

export interface Groupe {
  id: number;
  nom: string;
  couleur: string;
  sda: string;
  /** Alert thresholds shown on the supervision screen. */
  seuilAttente: number;
  minOperateurs: number;
}

export const GROUPES: readonly Groupe[] = [
  { id: 101, nom: 'Service client', couleur: '#2f6fde', sda: '01 84 88 00 00', seuilAttente: 5, minOperateurs: 3 },
  { id: 102, nom: 'Support Premium', couleur: '#8a4fd8', sda: '01 84 88 12 40', seuilAttente: 3, minOperateurs: 2 },
  { id: 103, nom: 'Sinistres', couleur: '#e0662b', sda: '09 70 80 55 21', seuilAttente: 4, minOperateurs: 2 },
  { id: 104, nom: 'Recouvrement', couleur: '#d23f57', sda: '01 84 88 31 07', seuilAttente: 4, minOperateurs: 3 },
  { id: 105, nom: 'Ventes', couleur: '#1f9d6b', sda: '04 78 92 10 00', seuilAttente: 5, minOperateurs: 1 },
];

export function groupe(id: number): Groupe {
  const g = GROUPES.find((x) => x.id === id);
  if (!g) throw new Error(`groupe inconnu ${id}`);
  return g;
}

export interface Pause {
  /** Break code as the VM uses it: user0…user14 are the 15 configurable breaks. */
  code: string;
  titre: string;
  /** Maximum duration in minutes, 0 = none. */
  dureeMax: number;
  traitementCampagne: boolean;
}

export const PAUSES: Pause[] = [
  { code: 'user0', titre: 'Pause', dureeMax: 15, traitementCampagne: false },
  { code: 'user1', titre: 'Pause déjeuner', dureeMax: 60, traitementCampagne: false },
  { code: 'user2', titre: 'Formation', dureeMax: 0, traitementCampagne: false },
  { code: 'user3', titre: 'Réunion', dureeMax: 0, traitementCampagne: false },
  { code: 'user4', titre: 'Coaching', dureeMax: 45, traitementCampagne: false },
  { code: 'user5', titre: 'Appel WebRTC', dureeMax: 0, traitementCampagne: false },
  { code: 'user6', titre: 'Appel interne', dureeMax: 20, traitementCampagne: false },
  { code: 'user7', titre: 'Traitement courrier', dureeMax: 0, traitementCampagne: true },
  { code: 'user8', titre: '', dureeMax: 0, traitementCampagne: false },
  { code: 'user9', titre: '', dureeMax: 0, traitementCampagne: false },
  { code: 'user10', titre: '', dureeMax: 0, traitementCampagne: false },
  { code: 'user11', titre: '', dureeMax: 0, traitementCampagne: false },
  { code: 'user12', titre: '', dureeMax: 0, traitementCampagne: false },
  { code: 'user13', titre: '', dureeMax: 0, traitementCampagne: false },
  { code: 'user14', titre: '', dureeMax: 0, traitementCampagne: false },
];

/** Status of an operator as the bar and supervision show it. */
export type Categorie = 'disponible' | 'pause' | 'indisponible' | 'post-appel' | 'en-communication' | 'deconnecte';

export interface Statut {
  code: string;
  categorie: Categorie;
  libelle: string;
}

export function statutFromCode(code: string): Statut | null {
  if (code === 'disponible') return { code, categorie: 'disponible', libelle: 'Disponible' };
  if (code === 'user15') return { code, categorie: 'indisponible', libelle: 'Indisponible' };
  if (code === 'catchup') return { code, categorie: 'post-appel', libelle: 'Post-appel' };
  if (code === 'en_communication') return { code, categorie: 'en-communication', libelle: 'En communication' };
  if (code === 'deconnecte') return { code, categorie: 'deconnecte', libelle: 'Déconnecté' };
  const p = PAUSES.find((x) => x.code === code && x.titre);
  if (p) return { code, categorie: 'pause', libelle: `En pause / ${p.titre}` };
  return null;
}

export interface OperateurDemo {
  login: string;
  nom: string;
  email: string;
  langue: 'fr' | 'en' | 'it' | 'es';
  presentation: 'anonyme' | 'numero_op' | 'entrant_cti' | 'personnalise';
  numeroPresente: string;
  dialplan: 'fr' | 'ch' | 'es' | 'gb' | 'it';
  fenetreExterne: 'masquee' | 'popup_unique' | 'fenetre_par_appel' | 'onglets';
  groupes: number[];
  poste: string;
}

export const OPERATEURS: readonly OperateurDemo[] = [
  { login: 'jdupont', nom: 'Julie Dupont', email: courriel('jdupont'), langue: 'fr', presentation: 'entrant_cti', numeroPresente: '', dialplan: 'fr', fenetreExterne: 'popup_unique', groupes: [101, 102], poste: 'WebRTC' },
  { login: 'tmartin', nom: 'Thomas Martin', email: courriel('tmartin'), langue: 'fr', presentation: 'numero_op', numeroPresente: '', dialplan: 'fr', fenetreExterne: 'popup_unique', groupes: [101, 103], poste: 'WebRTC' },
  { login: 'sbenali', nom: 'Sofia Benali', email: courriel('sbenali'), langue: 'fr', presentation: 'entrant_cti', numeroPresente: '', dialplan: 'fr', fenetreExterne: 'onglets', groupes: [101, 105], poste: 'SIP 2041' },
  { login: 'lmoreau', nom: 'Lucas Moreau', email: courriel('lmoreau'), langue: 'fr', presentation: 'anonyme', numeroPresente: '', dialplan: 'fr', fenetreExterne: 'masquee', groupes: [104], poste: 'WebRTC' },
  { login: 'cpetit', nom: 'Camille Petit', email: courriel('cpetit'), langue: 'fr', presentation: 'entrant_cti', numeroPresente: '', dialplan: 'fr', fenetreExterne: 'popup_unique', groupes: [102, 103], poste: 'WebRTC' },
  { login: 'nrousseau', nom: 'Nicolas Rousseau', email: courriel('nrousseau'), langue: 'fr', presentation: 'personnalise', numeroPresente: '01 84 88 00 00', dialplan: 'fr', fenetreExterne: 'fenetre_par_appel', groupes: [105], poste: 'SIP 2044' },
  { login: 'afontaine', nom: 'Amélie Fontaine', email: courriel('afontaine'), langue: 'fr', presentation: 'entrant_cti', numeroPresente: '', dialplan: 'fr', fenetreExterne: 'popup_unique', groupes: [101, 103], poste: 'WebRTC' },
  { login: 'kdiallo', nom: 'Karim Diallo', email: courriel('kdiallo'), langue: 'fr', presentation: 'numero_op', numeroPresente: '', dialplan: 'fr', fenetreExterne: 'popup_unique', groupes: [101, 104], poste: 'WebRTC' },
  { login: 'gbianchi', nom: 'Giulia Bianchi', email: courriel('gbianchi'), langue: 'it', presentation: 'entrant_cti', numeroPresente: '', dialplan: 'it', fenetreExterne: 'popup_unique', groupes: [102], poste: 'WebRTC' },
];

export const AGENT_BANDEAU = OPERATEURS[0]!;

export const SUPERVISEUR = {
  login: 'mlambert',
  nom: 'Marc Lambert',
  role: 'Responsable de plateau',
  email: courriel('mlambert'),
} as const;

export const ADMIN = {
  login: 'cbernard',
  nom: 'Claire Bernard',
  role: 'Administratrice',
  email: courriel('cbernard'),
} as const;

const CALLERS = [
  '+33 6 12 34 56 78',
  '+33 7 81 22 90 14',
  '+33 1 45 67 89 12',
  '+33 6 48 03 17 65',
  '+33 4 72 10 38 94',
  '+33 6 95 27 41 08',
  '+32 470 12 34 56',
];

export function randomCaller(): string {
  return CALLERS[Math.floor(Math.random() * CALLERS.length)] ?? '+33 6 12 34 56 78';
}

let lastIdAppel = 0n;
/** An 18-digit call id (id_appel), strictly increasing within the process. */
export function newIdAppel(): string {
  let id = BigInt(Date.now()) * 100000n + BigInt(Math.floor(Math.random() * 100000));
  id = 100000000000000000n + (id % 900000000000000000n);
  if (id <= lastIdAppel) id = lastIdAppel + 1n;
  lastIdAppel = id;
  return id.toString();
}

export function randomHex(bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return s;
}
