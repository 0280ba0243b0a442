// Menu discret « ⚙ Démo » : déclenche des incidents réalistes sur la page pour les démonstrations
// et les tests de Témoin. Chaque surface fournit sa propre implémentation de chaque scénario.

import { el, toast } from './commun.js';

const SCENARIOS = [
  ['exception', 'Exception JavaScript', 'TypeError non interceptée dans un clic'],
  ['http500', 'Erreur serveur HTTP 500', "L'enregistrement échoue côté serveur"],
  ['ws-drop', 'Coupure WebSocket', 'Le serveur coupe la connexion temps réel'],
  ['failed-resource', 'Ressource introuvable', 'Image et script en 404'],
  ['console-flood', 'Rafale d’erreurs console', '1000 console.error d’affilée'],
  ['slow-api', 'API lente', 'Réponse du serveur après 4 s'],
  ['csp', 'Violation CSP', 'Image bloquée par la politique de sécurité'],
  ['rejection', 'Promesse rejetée', 'Rejet non géré (unhandledrejection)'],
  ['console-warn', 'Avertissement console', 'Un console.warn applicatif'],
];

const MESSAGES = {
  exception: 'Démo : exception JavaScript déclenchée (TypeError).',
  http500: 'Démo : requête envoyée avec une erreur serveur 500 forcée.',
  'ws-drop': 'Démo : coupure de la connexion temps réel demandée au serveur.',
  'failed-resource': 'Démo : chargement d’une image et d’un script inexistants (404).',
  'console-flood': 'Démo : 1000 erreurs écrites dans la console.',
  'slow-api': 'Démo : appel d’une API lente (réponse dans 4 s)…',
  csp: 'Démo : image externe bloquée par la Content-Security-Policy.',
  rejection: 'Démo : promesse rejetée sans gestionnaire.',
  'console-warn': 'Démo : avertissement écrit dans la console.',
};

/**
 * Installe le bouton « ⚙ Démo » et son menu.
 * @param {Record<string, () => void>} scenarios une fonction par nom de scénario
 */
export function installerScenariosDemo(scenarios) {
  const bouton = el(
    'button',
    {
      id: 'demo-faults-toggle',
      type: 'button',
      title: 'Scénarios de démonstration : simuler un incident',
      attrs: { 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'demo-faults-menu' },
    },
    '⚙ Démo',
  );
  const menu = el(
    'div',
    { id: 'demo-faults-menu', hidden: true, attrs: { role: 'menu', 'aria-label': 'Simuler un incident' } },
    el('div', { className: 'demo-faults__titre' }, 'Simuler un incident'),
  );
  const fermer = () => {
    menu.hidden = true;
    bouton.setAttribute('aria-expanded', 'false');
  };
  for (const [nom, libelle, aide] of SCENARIOS) {
    const action = scenarios[nom];
    if (typeof action !== 'function') continue;
    menu.append(
      el(
        'button',
        {
          type: 'button',
          dataset: { fault: nom },
          attrs: { role: 'menuitem' },
          on: {
            click: () => {
              fermer();
              toast(MESSAGES[nom], 'demo');
              action();
            },
          },
        },
        libelle,
        el('small', {}, aide),
      ),
    );
  }
  bouton.addEventListener('click', () => {
    const ouvrir = menu.hidden;
    menu.hidden = !ouvrir;
    bouton.setAttribute('aria-expanded', String(ouvrir));
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') fermer();
  });
  document.addEventListener('pointerdown', (e) => {
    if (!menu.hidden && !menu.contains(e.target) && e.target !== bouton) fermer();
  });
  document.body.append(menu, bouton);
}

/** Ajoute au document des ressources dont l'URL répond 404. */
export function ajouterRessourcesManquantes(ressources) {
  for (const r of ressources) {
    if (r.type === 'script') {
      document.head.append(el('script', { src: r.url, async: true }));
    } else {
      const img = el('img', { src: r.url, alt: r.alt || '', className: 'visuellement-masque' });
      document.body.append(img);
    }
  }
}

/** Écrit 1000 erreurs dans la console, d'un seul bloc. */
export function rafaleConsole(message) {
  for (let i = 1; i <= 1000; i++) console.error(message(i));
}

/** Insère une image d'une autre origine : la CSP de la page (img-src 'self' data:) la refuse. */
export function violationCsp(url = 'https://cdn.example.test/x.png') {
  document.body.append(el('img', { src: url, alt: '', className: 'visuellement-masque' }));
}
