import type offlineEn from './en.ts';

/** ru strings of working offline; the type requires every key of the English ones. */
export default {
  'offline.offlineNothing': "Нет подключения к сети. Можно продолжать читать и писать; изменения сохраняются на этом устройстве.",
  'offline.waiting': "{count, plural, one {# изменение ожидает отправки} few {# изменения ожидают отправки} many {# изменений ожидают отправки} other {# изменения ожидают отправки}}",
  'offline.whenBack': "Они будут отправлены, когда связь восстановится.",
  'offline.sending': "Отправка…",
  'offline.queuedTitle': "Ожидает отправки",
  'offline.queuedComment': "Комментарий: {text}",
  'offline.queuedReply': "Ответ: {text}",
  'offline.queuedPosition': "Позиция: {stance}",
  'offline.queuedPositionCleared': "Позиция отозвана",
  'offline.queuedNotice': "Сохранено на этом устройстве; будет отправлено, когда связь восстановится.",
  'offline.refusedNotice': "Не удалось отправить написанное без сети: {reason}",
  'offline.notSavedLocally': "Некоторые изменения не сохранены на этом устройстве: не закрывайте страницу, пока они не будут отправлены.",
} satisfies Record<keyof typeof offlineEn, string>;
