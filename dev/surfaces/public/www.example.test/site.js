document.getElementById('bouton-avis').addEventListener('click', () => {
  console.error('Envoi de l’avis impossible : service de sondage indisponible (HTTP 503)');
  document.getElementById('avis-resultat').textContent = 'Merci ! (le service de sondage est momentanément indisponible)';
});
