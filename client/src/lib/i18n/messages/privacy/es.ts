import type privacyEn from './en.ts';

/** es strings of personal data; the type requires every key of the English ones. */
export default {
  'personalData.formerParticipant': 'Antiguo participante ({group})',
  'personalData.exportTitle': 'Sus datos',
  'personalData.exportIntro':
    'Descargue todo lo que Convene guarda sobre usted: su cuenta, sus membresías, sus comentarios, posiciones y propuestas, sus votos en encuestas no anónimas y las entradas del registro de auditoría que le conciernen. Las demás personas solo aparecen por su función y su grupo de partes interesadas.',
  'personalData.exportLink': 'Descargar mis datos (JSON)',
  'personalData.deleteTitle': 'Eliminar su cuenta',
  'personalData.deleteIntro': 'Eliminar su cuenta borra de Convene quién es usted. No se puede deshacer.',
  'personalData.deleteOpen': 'Eliminar mi cuenta…',
  'personalData.dialogTitle': '¿Eliminar su cuenta?',
  'personalData.goesTitle': 'Qué se borra',
  'personalData.goesIdentity': 'Su nombre visible, su dirección de correo y su contraseña, y su organización en cada consulta.',
  'personalData.goesSessions': 'Todas sus sesiones: se cierra su sesión en todas partes y se cierran las páginas que tenga abiertas.',
  'personalData.goesCopies': 'Su nombre allí donde se había copiado, como el registro de auditoría.',
  'personalData.staysTitle': 'Qué se conserva',
  'personalData.staysContributions': 'Sus comentarios, posiciones, propuestas, ediciones y votos siguen formando parte del expediente de cada consulta.',
  'personalData.staysAlias': 'Se muestran como «Antiguo participante» con su grupo de partes interesadas, para que lo que dijo cada grupo siga siendo exacto. Lo que escribió sobre usted mismo queda tal como lo escribió.',
  'personalData.staysAudit': 'El registro de auditoría conserva lo que hizo, sin su nombre.',
  'personalData.exportFirst': 'Quizá quiera descargar sus datos antes.',
  'personalData.password': 'Su contraseña, para confirmar',
  'personalData.confirm': 'Eliminar mi cuenta',
  'personalData.deleting': 'Eliminando…',
  'personalData.wrongPassword': 'Esa contraseña no es correcta.',
  'personalData.soleFacilitator': 'Usted es la única persona facilitadora de {titles}. Designe antes a otra persona facilitadora, para que la consulta no se quede sin nadie que la facilite.',
  'personalData.deletedNotice': 'Su cuenta se ha eliminado. Sus contribuciones se conservan como «Antiguo participante».',
} as const satisfies Record<keyof typeof privacyEn, string>;
