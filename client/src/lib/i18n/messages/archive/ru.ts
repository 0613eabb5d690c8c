import type archiveEn from './en.ts';

/** Архивы консультаций, по-русски. */
export default {
  'errors.archive_corrupt': 'Этот файл нельзя прочитать как архив: он повреждён, обрезан или изменён после выгрузки.',
  'errors.archive_unsupported': 'Этот файл не является архивом консультации Convene или создан версией Convene, которую этот сервер не умеет читать.',
  'errors.archive_invalid': 'Архив внутренне противоречив, поэтому ничего не импортировано.',
  'errors.archive_exists': 'Эта консультация уже есть на этом сервере (её уже импортировали или архив выгружен отсюда). Ничего не импортировано.',
  'archive.export.title': 'Архив',
  'archive.export.intro':
    'Скачайте всю консультацию одним файлом, чтобы сохранить её или перенести на другой сервер Convene: документы со всей историей, комментарии и позиции, заседания и опросы, реестр рекомендаций, записи модерации, журнал аудита, а также имена и группы участников. Храните файл так же бережно, как саму консультацию.',
  'archive.export.button': 'Выгрузить архив',
  'archive.export.started': 'Архив загружается.',
  'archive.import.title': 'Импортировать архив',
  'archive.import.intro':
    'Восстановите консультацию из архива, выгруженного сервером Convene. Вы станете одним из её фасилитаторов. У её участников здесь нет учётных записей: их вклад остаётся за их псевдонимами и группами.',
  'archive.import.file': 'Файл архива',
  'archive.import.fileRequired': 'Выберите файл архива.',
  'archive.import.group': 'Ваша группа заинтересованных сторон',
  'archive.import.submit': 'Импортировать',
  'archive.import.uploading': 'Отправка… {percent} %',
  'archive.import.restoring': 'Проверка и восстановление консультации…',
  'archive.import.done': '«{title}» восстановлена.',
  'archive.invalid.schema': 'Запись в архиве недействительна ({collection}).',
  'archive.invalid.duplicate': 'В архиве одна и та же запись встречается дважды ({collection}).',
  'archive.invalid.foreign': 'В архиве есть записи другой консультации ({collection}).',
  'archive.invalid.missing': 'В архиве нет записей, на которые ссылаются другие ({collection}).',
  'archive.invalid.order': 'Записи в архиве идут не по порядку ({collection}).',
} as const satisfies Record<keyof typeof archiveEn, string>;
