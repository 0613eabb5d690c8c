import type { MessageKey } from './en.ts';

/** Français. Espaces insécables (U+00A0) avant « : » et à l’intérieur des guillemets. */
const fr = {
  'app.name': 'Convene',
  'app.tagline': 'Élaborer ensemble le Plan d’action national pour les droits de l’homme',
  'app.pageTitle': '{page} · Convene',
  'app.skipToContent': 'Aller au contenu principal',

  'nav.label': 'Navigation principale',
  'nav.consultations': 'Consultations',

  'header.language': 'Langue',

  'common.loading': 'Chargement…',
  'common.loadMore': 'Afficher plus',
  'common.retry': 'Réessayer',
  'common.cancel': 'Annuler',
  'common.save': 'Enregistrer',
  'common.createdOn': 'Création\u00a0: {date, date, medium}',

  'identity.title': 'Bienvenue sur Convene',
  'identity.intro':
    'Avant de participer, indiquez aux autres participants le nom sous lequel vous apparaîtrez et votre groupe de parties prenantes. Rien d’autre ne vous est demandé.',
  'identity.editTitle': 'Comment les autres vous voient',
  'identity.name': 'Nom affiché',
  'identity.nameHint':
    'Vous pouvez utiliser un pseudonyme. Les autres participants voient ce nom à côté de votre curseur. Il n’est conservé que dans ce navigateur.',
  'identity.nameRequired': 'Saisissez un nom affiché.',
  'identity.group': 'Groupe de parties prenantes',
  'identity.groupHint': 'Les autres participants voient votre groupe à côté de votre nom.',
  'identity.groupRequired': 'Choisissez un groupe de parties prenantes.',
  'identity.submit': 'Continuer',
  'identity.change': 'Modifier le nom ou le groupe',
  'identity.current': 'Vous participez en tant que {name} ({group})',

  'groups.government': 'Gouvernement',
  'groups.nhri': 'Institution nationale des droits de l’homme',
  'groups.civil_society': 'Société civile',
  'groups.international': 'Organisation internationale',
  'groups.other': 'Autre',

  'phases.preparation': 'Préparation',
  'phases.drafting': 'Rédaction',
  'phases.open_for_comment': 'Ouverte aux commentaires',
  'phases.closed': 'Clôturée',
  'phases.adopted': 'Adoptée',

  'home.title': 'Consultations',
  'home.intro':
    'Chaque consultation réunit le gouvernement, l’institution nationale des droits de l’homme et la société civile autour d’un projet de Plan d’action national pour les droits de l’homme. Ouvrez-en une pour lire et corédiger ses documents.',
  'home.listLabel': 'Consultations, des plus récentes aux plus anciennes',
  'home.empty': 'Aucune consultation pour le moment. Lancez la première ci-dessous.',
  'home.createTitle': 'Lancer une consultation',
  'home.fieldTitle': 'Titre',
  'home.fieldSummary': 'Résumé',
  'home.fieldCountry': 'Code pays (facultatif, deux lettres)',
  'home.countryHint': 'Un code ISO comme KE ou FR. Laissez vide pour une consultation régionale.',
  'home.titleRequired': 'Saisissez un titre.',
  'home.countryInvalid': 'Utilisez exactement deux lettres, par exemple KE, ou laissez le champ vide.',
  'home.fieldHideIdentities': 'Masquer l’identité des participants',
  'home.hideIdentitiesHint': 'Les contributeurs et observateurs ne se verront entre eux que sous un alias et un groupe de parties prenantes. Recommandé lorsque la participation expose à des risques de représailles.',
  'home.create': 'Créer la consultation',
  'home.creating': 'Création…',

  'consultation.back': 'Toutes les consultations',
  'consultation.details': 'À propos de cette consultation',
  'consultation.country': 'Pays',
  'consultation.regional': 'Régionale',
  'consultation.phase': 'Phase',
  'consultation.documents': 'Documents',
  'consultation.noDocuments': 'Aucun document pour le moment.',
  'consultation.addDocument': 'Ajouter un document',
  'consultation.fieldDocumentTitle': 'Titre du document',
  'consultation.adding': 'Ajout…',
  'consultation.documentAdded': 'Document «\u00a0{title}\u00a0» ajouté.',
  'consultation.liveUnavailable':
    'Les mises à jour en direct sont indisponibles. Rechargez la page pour voir les nouveaux documents.',
  'consultation.identitiesHidden': 'Identités masquées\u00a0: les participants ne se voient entre eux que sous un alias et un groupe de parties prenantes.',
  'consultation.locked': 'Verrouillé',

  'document.back': 'Retour à la consultation',
  'document.editorLabel': 'Texte de {title}',
  'document.syncing': 'Chargement de la dernière version…',
  'document.people': 'Personnes présentes',
  'document.peopleCount': '{count, plural, one {# personne présente} other {# personnes présentes}}',
  'document.you': '(vous)',
  'document.editorFailed': 'L’éditeur n’a pas pu être chargé. Vérifiez votre connexion et rechargez la page.',
  'document.locked': 'Ce document est verrouillé\u00a0: vous pouvez le lire, mais personne ne peut le modifier tant qu’un facilitateur ne l’a pas déverrouillé.',

  'connection.connecting': 'Connexion…',
  'connection.connected': 'Connexion établie\u00a0: les modifications sont partagées en direct',
  'connection.reconnecting':
    'Connexion perdue. Reconnexion… Gardez cette page ouverte\u00a0: vos modifications seront envoyées dès son retour.',
  'connection.offline':
    'Hors ligne. Gardez cette page ouverte\u00a0: vos modifications seront envoyées dès que vous serez de nouveau en ligne.',
  'connection.stopped': 'Connexion interrompue',

  'close.1009': 'Une modification était trop volumineuse pour être envoyée. Essayez de coller de plus petites parties.',
  'close.4400': 'Le serveur n’a pas pu lire un message de cette page. Nouvelle tentative…',
  'close.4401': 'Vous devez vous connecter pour ouvrir ce document.',
  'close.4403': 'Vous n’avez pas l’autorisation d’ouvrir ce document.',
  'close.4404': 'Ce document n’existe pas ou a été supprimé.',
  'close.4503': 'Ce document est temporairement indisponible. Nouvelle tentative…',

  'toolbar.label': 'Mise en forme',
  'toolbar.paragraph': 'Paragraphe',
  'toolbar.heading1': 'Titre de niveau 1',
  'toolbar.heading2': 'Titre de niveau 2',
  'toolbar.heading3': 'Titre de niveau 3',
  'toolbar.bold': 'Gras',
  'toolbar.italic': 'Italique',
  'toolbar.bulletList': 'Liste à puces',
  'toolbar.orderedList': 'Liste numérotée',
  'toolbar.link': 'Lien',
  'toolbar.undo': 'Annuler ma dernière modification',
  'toolbar.redo': 'Rétablir ma dernière modification',

  'link.url': 'Adresse du lien',
  'link.hint': 'Une adresse web (https://…) ou une adresse e-mail (mailto:…).',
  'link.apply': 'Appliquer le lien',
  'link.remove': 'Supprimer le lien',
  'link.invalid': 'Saisissez une adresse commençant par https://, http:// ou mailto:.',

  'errors.bad_request': 'La demande n’a pas pu être comprise.',
  'errors.validation_failed':
    'Certaines informations sont manquantes ou non valides. Vérifiez le formulaire et réessayez.',
  'errors.not_found': 'Élément introuvable. Il a peut-être été supprimé, ou l’adresse est incorrecte.',
  'errors.payload_too_large': 'Le contenu est trop volumineux pour être envoyé.',
  'errors.unauthenticated': 'Vous devez vous connecter pour effectuer cette action.',
  'errors.forbidden': 'Vous n’avez pas l’autorisation d’effectuer cette action.',
  'errors.conflict': 'Quelqu’un d’autre a modifié cet élément en même temps. Rechargez la page et réessayez.',
  'errors.unavailable': 'Le service est temporairement indisponible. Réessayez dans un instant.',
  'errors.internal_error': 'Une erreur s’est produite sur le serveur. Réessayez plus tard.',
  'errors.network_error': 'Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.',
  'errors.invalid_credentials': 'L’adresse e-mail ou le mot de passe est incorrect.',
  'errors.cross_origin': 'Cette demande provenait d’un autre site et a été refusée.',
  'errors.email_taken': 'Un compte utilise déjà cette adresse e-mail.',
  'errors.invalid_phase_transition': 'La consultation ne peut pas passer à cette phase depuis sa phase actuelle.',
  'errors.last_facilitator': 'Une consultation doit compter au moins un facilitateur. Désignez d’abord un autre facilitateur.',
  'errors.invitation_unavailable': 'Cette invitation a expiré, a déjà été utilisée ou a été retirée.',
  'errors.rate_limited': 'Trop de tentatives. Patientez un instant, puis réessayez.',

  'notFound.title': 'Page introuvable',
  'notFound.body': 'Cette adresse ne correspond à aucune page.',
  'notFound.home': 'Aller aux consultations',
} as const satisfies Record<MessageKey, string>;

export default fr;
