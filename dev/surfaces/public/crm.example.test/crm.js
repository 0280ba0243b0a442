// CRM Démo : obtient un jeton de session (simulé) et intègre le bandeau Axialys en iframe.

function jetonAleatoire(octets = 16) {
  const t = new Uint8Array(octets);
  crypto.getRandomValues(t);
  return Array.from(t, (b) => b.toString(16).padStart(2, '0')).join('');
}

const iframe = document.getElementById('bandeau-axialys');
const url = new URL('https://voice-management.axialys.com/operateurs/index.htm');
url.searchParams.set('token_session', jetonAleatoire());
url.searchParams.set('engine', 'chrome');
url.searchParams.set('version', '0.0.0.1');
url.searchParams.set('mode', 'crm');
iframe.src = url.toString();

// « Fenêtre pour l'application externe » : le bandeau signale les appels au CRM.
const bandeauAppel = document.getElementById('crm-appel-entrant');
window.addEventListener('message', (e) => {
  if (e.origin !== 'https://voice-management.axialys.com') return;
  const m = e.data;
  if (!m || m.type !== 'axialys.vm.appel') return;
  const connu = ['+33 6 12 34 56 78', '+33 4 72 10 38 94'].includes(m.numero_contact);
  bandeauAppel.textContent =
    `${m.sens === 'entrant' ? 'Appel entrant' : 'Appel sortant'} : ${m.numero_contact}` +
    (m.groupe ? ` (${m.groupe})` : '') +
    (connu ? ' — fiche client : Martine Girard' : ' — aucun contact correspondant');
  bandeauAppel.hidden = false;
});
