import type privacyEn from './en.ts';

/** fr strings of personal data; the type requires every key of the English ones. */
export default {
  'personalData.formerParticipant': 'Ancien participant ({group})',
  'personalData.exportTitle': 'Vos données',
  'personalData.exportIntro':
    'Téléchargez tout ce que Convene détient à votre sujet\u00a0: votre compte, vos adhésions, vos commentaires, positions et propositions, vos votes dans les sondages non anonymes, et les entrées du journal d’audit qui vous concernent. Les autres personnes n’y apparaissent que par leur rôle et leur groupe de parties prenantes.',
  'personalData.exportLink': 'Télécharger mes données (JSON)',
  'personalData.deleteTitle': 'Supprimer votre compte',
  'personalData.deleteIntro': 'Supprimer votre compte efface de Convene qui vous êtes. C’est irréversible.',
  'personalData.deleteOpen': 'Supprimer mon compte…',
  'personalData.dialogTitle': 'Supprimer votre compte\u00a0?',
  'personalData.goesTitle': 'Ce qui est effacé',
  'personalData.goesIdentity': 'Votre nom affiché, votre adresse e-mail et votre mot de passe, ainsi que votre organisation dans chaque consultation.',
  'personalData.goesSessions': 'Toutes vos sessions\u00a0: vous êtes déconnecté partout et les pages ouvertes se ferment.',
  'personalData.goesCopies': 'Votre nom partout où il avait été recopié, par exemple dans le journal d’audit.',
  'personalData.staysTitle': 'Ce qui reste',
  'personalData.staysContributions': 'Vos commentaires, positions, propositions, modifications et votes restent dans le dossier de chaque consultation.',
  'personalData.staysAlias': 'Ils apparaissent sous «\u00a0Ancien participant\u00a0» avec votre groupe de parties prenantes, pour que ce que chaque groupe a dit reste exact. Ce que vous avez écrit sur vous-même reste tel que vous l’avez écrit.',
  'personalData.staysAudit': 'Le journal d’audit garde ce que vous avez fait, sans votre nom.',
  'personalData.exportFirst': 'Vous voudrez peut-être d’abord télécharger vos données.',
  'personalData.password': 'Votre mot de passe, pour confirmer',
  'personalData.confirm': 'Supprimer mon compte',
  'personalData.deleting': 'Suppression…',
  'personalData.wrongPassword': 'Ce mot de passe n’est pas le bon.',
  'personalData.soleFacilitator': 'Vous êtes le seul facilitateur de {titles}. Nommez d’abord quelqu’un d’autre facilitateur, pour que la consultation ne reste pas sans facilitateur.',
  'personalData.deletedNotice': 'Votre compte a été supprimé. Vos contributions restent sous «\u00a0Ancien participant\u00a0».',
} as const satisfies Record<keyof typeof privacyEn, string>;
