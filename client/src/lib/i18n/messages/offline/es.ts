import type offlineEn from './en.ts';

/** es strings of working offline; the type requires every key of the English ones. */
export default {
  'offline.offlineNothing': "No tiene conexión. Puede seguir leyendo y escribiendo; los cambios se guardan en este dispositivo.",
  'offline.waiting': "{count, plural, one {# cambio pendiente de envío} other {# cambios pendientes de envío}}",
  'offline.whenBack': "Se enviarán cuando vuelva la conexión.",
  'offline.sending': "Enviando…",
  'offline.queuedTitle': "Pendiente de envío",
  'offline.queuedComment': "Comentario: {text}",
  'offline.queuedReply': "Respuesta: {text}",
  'offline.queuedPosition': "Posición: {stance}",
  'offline.queuedPositionCleared': "Posición retirada",
  'offline.queuedNotice': "Guardado en este dispositivo; se enviará cuando vuelva la conexión.",
  'offline.refusedNotice': "No se pudo enviar algo escrito sin conexión: {reason}",
  'offline.notSavedLocally': "Algunos cambios no están guardados en este dispositivo: mantenga esta página abierta hasta que se envíen.",
} satisfies Record<keyof typeof offlineEn, string>;
