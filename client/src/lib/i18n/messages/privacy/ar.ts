import type privacyEn from './en.ts';

/** ar strings of personal data; the type requires every key of the English ones. */
export default {
  'personalData.formerParticipant': 'مشارك سابق ({group})',
  'personalData.exportTitle': 'بياناتك',
  'personalData.exportIntro':
    'نزّل كل ما يحتفظ به Convene عنك: حسابك وعضوياتك وتعليقاتك ومواقفك ومقترحاتك وأصواتك في الاستطلاعات غير السرية وإدخالات سجل التدقيق المتعلقة بك. لا يظهر الأشخاص الآخرون فيه إلا بدورهم وفئة أصحاب المصلحة التي ينتمون إليها.',
  'personalData.exportLink': 'تنزيل بياناتي (JSON)',
  'personalData.deleteTitle': 'حذف حسابك',
  'personalData.deleteIntro': 'حذف حسابك يمحو هويتك من Convene. ولا يمكن التراجع عنه.',
  'personalData.deleteOpen': 'حذف حسابي…',
  'personalData.dialogTitle': 'هل تريد حذف حسابك؟',
  'personalData.goesTitle': 'ما الذي يُمحى',
  'personalData.goesIdentity': 'اسمك المعروض وعنوان بريدك الإلكتروني وكلمة المرور، ومنظمتك في كل مشاورة.',
  'personalData.goesSessions': 'جميع جلساتك: يُسجَّل خروجك في كل مكان وتُغلق الصفحات المفتوحة لديك.',
  'personalData.goesCopies': 'اسمك أينما نُسخ، مثل سجل التدقيق.',
  'personalData.staysTitle': 'ما الذي يبقى',
  'personalData.staysContributions': 'تبقى تعليقاتك ومواقفك ومقترحاتك وتعديلاتك وأصواتك جزءًا من سجل كل مشاورة.',
  'personalData.staysAlias': 'تظهر تحت «مشارك سابق» مع فئة أصحاب المصلحة التي تنتمي إليها، كي يبقى ما قالته كل فئة دقيقًا. وما كتبته عن نفسك يبقى كما كتبته.',
  'personalData.staysAudit': 'يحتفظ سجل التدقيق بما فعلته، من دون اسمك.',
  'personalData.exportFirst': 'قد ترغب في تنزيل بياناتك أولًا.',
  'personalData.password': 'كلمة المرور، للتأكيد',
  'personalData.confirm': 'حذف حسابي',
  'personalData.deleting': 'جارٍ الحذف…',
  'personalData.wrongPassword': 'كلمة المرور هذه غير صحيحة.',
  'personalData.soleFacilitator': 'أنت المُيسِّر الوحيد لـ {titles}. عيّن شخصًا آخر مُيسِّرًا هناك أولًا، كي لا تبقى المشاورة بلا مُيسِّر.',
  'personalData.deletedNotice': 'حُذف حسابك. تبقى مساهماتك تحت «مشارك سابق».',
} as const satisfies Record<keyof typeof privacyEn, string>;
