/** English strings of consultation archives (export on the settings page, import on the home page), merged into the English catalogue. */
export default {
  'errors.archive_corrupt': 'This file cannot be read as an archive: it is damaged, cut short or was changed after it was exported.',
  'errors.archive_unsupported': 'This file is not a Convene consultation archive, or comes from a version of Convene this server cannot read.',
  'errors.archive_invalid': 'This archive does not hold together, so nothing was imported.',
  'errors.archive_exists': 'This consultation is already on this server (it was imported before, or the archive comes from here). Nothing was imported.',
  'archive.export.title': 'Archive',
  'archive.export.intro':
    'Download the whole consultation as one file, to keep it or to move it to another Convene server: documents with their full history, comments and positions, meetings and polls, the recommendations register, moderation records, the audit log, and members’ names and groups. Store it as carefully as the consultation itself.',
  'archive.export.button': 'Export archive',
  'archive.export.started': 'The archive is downloading.',
  'archive.import.title': 'Import an archive',
  'archive.import.intro':
    'Restore a consultation from an archive exported by a Convene server. You become one of its facilitators. Its members have no account here: their contributions stay under their aliases and groups.',
  'archive.import.file': 'Archive file',
  'archive.import.fileRequired': 'Choose an archive file.',
  'archive.import.group': 'Your stakeholder group',
  'archive.import.submit': 'Import',
  'archive.import.uploading': 'Uploading… {percent}%',
  'archive.import.restoring': 'Checking and restoring the consultation…',
  'archive.import.done': '“{title}” is restored.',
  'archive.invalid.schema': 'A record in the archive is not valid ({collection}).',
  'archive.invalid.duplicate': 'The archive holds the same record twice ({collection}).',
  'archive.invalid.foreign': 'The archive holds records of another consultation ({collection}).',
  'archive.invalid.missing': 'The archive is missing records that others point to ({collection}).',
  'archive.invalid.order': 'The records in the archive are out of order ({collection}).',
} as const;
