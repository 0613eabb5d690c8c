import type archiveEn from './en.ts';

/** Archives de consultation, en français. */
export default {
  'errors.archive_corrupt': 'Ce fichier ne peut pas être lu comme une archive : il est endommagé, incomplet ou a été modifié après l’export.',
  'errors.archive_unsupported': 'Ce fichier n’est pas une archive de consultation Convene, ou provient d’une version de Convene que ce serveur ne sait pas lire.',
  'errors.archive_invalid': 'Cette archive n’est pas cohérente : rien n’a été importé.',
  'errors.archive_exists': 'Cette consultation se trouve déjà sur ce serveur (elle a déjà été importée, ou l’archive en provient). Rien n’a été importé.',
  'archive.export.title': 'Archive',
  'archive.export.intro':
    'Téléchargez toute la consultation en un seul fichier, pour la conserver ou la transférer sur un autre serveur Convene : les documents avec tout leur historique, les commentaires et les positions, les réunions et les sondages, le registre des recommandations, la modération, le journal d’audit, ainsi que les noms et groupes des membres. Conservez-le avec autant de soin que la consultation elle-même.',
  'archive.export.button': 'Exporter l’archive',
  'archive.export.started': 'Le téléchargement de l’archive a commencé.',
  'archive.import.title': 'Importer une archive',
  'archive.import.intro':
    'Restaurez une consultation à partir d’une archive exportée par un serveur Convene. Vous en devenez l’un des facilitateurs. Ses membres n’ont pas de compte ici : leurs contributions restent attribuées à leurs pseudonymes et à leurs groupes.',
  'archive.import.file': 'Fichier d’archive',
  'archive.import.fileRequired': 'Choisissez un fichier d’archive.',
  'archive.import.group': 'Votre groupe de parties prenantes',
  'archive.import.submit': 'Importer',
  'archive.import.uploading': 'Envoi… {percent} %',
  'archive.import.restoring': 'Vérification et restauration de la consultation…',
  'archive.import.done': '« {title} » est restaurée.',
  'archive.invalid.schema': 'Un enregistrement de l’archive n’est pas valide ({collection}).',
  'archive.invalid.duplicate': 'L’archive contient deux fois le même enregistrement ({collection}).',
  'archive.invalid.foreign': 'L’archive contient des enregistrements d’une autre consultation ({collection}).',
  'archive.invalid.missing': 'Il manque à l’archive des enregistrements auxquels d’autres renvoient ({collection}).',
  'archive.invalid.order': 'Les enregistrements de l’archive ne sont pas dans l’ordre ({collection}).',
} as const satisfies Record<keyof typeof archiveEn, string>;
