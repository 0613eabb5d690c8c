import type offlineEn from './en.ts';

/** fr strings of working offline; the type requires every key of the English ones. */
export default {
  'offline.offlineNothing': "Vous êtes hors ligne. Vous pouvez continuer à lire et à écrire ; les modifications sont conservées sur cet appareil.",
  'offline.waiting': "{count, plural, one {# modification en attente d’envoi} other {# modifications en attente d’envoi}}",
  'offline.whenBack': "Elles seront envoyées au retour de la connexion.",
  'offline.sending': "Envoi…",
  'offline.queuedTitle': "En attente d’envoi",
  'offline.queuedComment': "Commentaire : {text}",
  'offline.queuedReply': "Réponse : {text}",
  'offline.queuedPosition': "Position : {stance}",
  'offline.queuedPositionCleared': "Position retirée",
  'offline.queuedNotice': "Enregistré sur cet appareil ; ce sera envoyé au retour de la connexion.",
  'offline.refusedNotice': "Un élément écrit hors ligne n’a pas pu être envoyé : {reason}",
  'offline.notSavedLocally': "Certaines modifications ne sont pas enregistrées sur cet appareil : gardez cette page ouverte jusqu’à leur envoi.",
} satisfies Record<keyof typeof offlineEn, string>;
