// Page de connexion (démonstration : aucun mot de passe n'est vérifié).
const form = document.getElementById('formulaire-connexion');
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const superviseur = form.elements.interface.value === 'superviseur';
  location.href = superviseur ? '/superviseurs/index.htm' : '/operateurs/index.htm';
});
