import type privacyEn from './en.ts';

/** ru strings of personal data; the type requires every key of the English ones. */
export default {
  'personalData.formerParticipant': 'Бывший участник ({group})',
  'personalData.exportTitle': 'Ваши данные',
  'personalData.exportIntro':
    'Скачайте всё, что Convene хранит о вас: учётную запись, участие в консультациях, ваши комментарии, позиции и предложения, голоса в неанонимных опросах и записи журнала аудита о вас. Другие люди представлены в нём только ролью и группой заинтересованных сторон.',
  'personalData.exportLink': 'Скачать мои данные (JSON)',
  'personalData.deleteTitle': 'Удалить учётную запись',
  'personalData.deleteIntro': 'Удаление учётной записи стирает из Convene сведения о том, кто вы. Отменить это нельзя.',
  'personalData.deleteOpen': 'Удалить мою учётную запись…',
  'personalData.dialogTitle': 'Удалить учётную запись?',
  'personalData.goesTitle': 'Что будет стёрто',
  'personalData.goesIdentity': 'Ваше отображаемое имя, адрес электронной почты и пароль, а также ваша организация в каждой консультации.',
  'personalData.goesSessions': 'Все сеансы: вы выйдете из системы везде, а открытые страницы закроются.',
  'personalData.goesCopies': 'Ваше имя везде, куда оно было скопировано, например в журнале аудита.',
  'personalData.staysTitle': 'Что останется',
  'personalData.staysContributions': 'Ваши комментарии, позиции, предложения, правки и голоса останутся частью материалов каждой консультации.',
  'personalData.staysAlias': 'Они будут показаны как «Бывший участник» с вашей группой заинтересованных сторон, чтобы сказанное каждой группой оставалось точным. Написанное вами о себе останется таким, как вы это написали.',
  'personalData.staysAudit': 'Журнал аудита сохранит ваши действия, но без вашего имени.',
  'personalData.exportFirst': 'Возможно, сначала стоит скачать ваши данные.',
  'personalData.password': 'Ваш пароль для подтверждения',
  'personalData.confirm': 'Удалить мою учётную запись',
  'personalData.deleting': 'Удаление…',
  'personalData.wrongPassword': 'Пароль неверный.',
  'personalData.soleFacilitator': 'Вы единственный координатор консультации {titles}. Сначала назначьте там координатором кого-то ещё, чтобы консультация не осталась без координатора.',
  'personalData.deletedNotice': 'Ваша учётная запись удалена. Ваш вклад сохранён под именем «Бывший участник».',
} as const satisfies Record<keyof typeof privacyEn, string>;
