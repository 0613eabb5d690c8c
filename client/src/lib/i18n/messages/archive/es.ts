import type archiveEn from './en.ts';

/** Archivos de consulta, en español. */
export default {
  'errors.archive_corrupt': 'Este archivo no se puede leer como archivo de consulta: está dañado, incompleto o se modificó después de exportarlo.',
  'errors.archive_unsupported': 'Este archivo no es un archivo de consulta de Convene, o procede de una versión de Convene que este servidor no sabe leer.',
  'errors.archive_invalid': 'Este archivo no es coherente, así que no se importó nada.',
  'errors.archive_exists': 'Esta consulta ya está en este servidor (se importó antes o el archivo procede de aquí). No se importó nada.',
  'archive.export.title': 'Archivo',
  'archive.export.intro':
    'Descargue toda la consulta en un solo archivo, para conservarla o trasladarla a otro servidor de Convene: los documentos con todo su historial, los comentarios y posiciones, las reuniones y votaciones, el registro de recomendaciones, la moderación, el registro de auditoría y los nombres y grupos de los miembros. Guárdelo con el mismo cuidado que la propia consulta.',
  'archive.export.button': 'Exportar archivo',
  'archive.export.started': 'El archivo se está descargando.',
  'archive.import.title': 'Importar un archivo',
  'archive.import.intro':
    'Restaure una consulta a partir de un archivo exportado por un servidor de Convene. Usted pasa a ser uno de sus facilitadores. Sus miembros no tienen cuenta aquí: sus contribuciones siguen atribuidas a sus alias y grupos.',
  'archive.import.file': 'Archivo de consulta',
  'archive.import.fileRequired': 'Elija un archivo.',
  'archive.import.group': 'Su grupo de partes interesadas',
  'archive.import.submit': 'Importar',
  'archive.import.uploading': 'Subiendo… {percent} %',
  'archive.import.restoring': 'Comprobando y restaurando la consulta…',
  'archive.import.done': '«{title}» se ha restaurado.',
  'archive.invalid.schema': 'Un registro del archivo no es válido ({collection}).',
  'archive.invalid.duplicate': 'El archivo contiene dos veces el mismo registro ({collection}).',
  'archive.invalid.foreign': 'El archivo contiene registros de otra consulta ({collection}).',
  'archive.invalid.missing': 'Al archivo le faltan registros a los que otros hacen referencia ({collection}).',
  'archive.invalid.order': 'Los registros del archivo no están en orden ({collection}).',
} as const satisfies Record<keyof typeof archiveEn, string>;
