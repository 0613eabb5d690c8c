import type offlineEn from './en.ts';

/** ar strings of working offline; the type requires every key of the English ones. */
export default {
  'offline.offlineNothing': "أنت غير متصل. يمكنك مواصلة القراءة والكتابة؛ تُحفظ التغييرات على هذا الجهاز.",
  'offline.waiting': "{count, plural, zero {لا توجد تغييرات في انتظار الإرسال} one {تغيير واحد في انتظار الإرسال} two {تغييران في انتظار الإرسال} few {# تغييرات في انتظار الإرسال} many {# تغييرًا في انتظار الإرسال} other {# تغيير في انتظار الإرسال}}",
  'offline.whenBack': "ستُرسل عند عودة الاتصال.",
  'offline.sending': "جارٍ الإرسال…",
  'offline.queuedTitle': "في انتظار الإرسال",
  'offline.queuedComment': "تعليق: {text}",
  'offline.queuedReply': "رد: {text}",
  'offline.queuedPosition': "موقف: {stance}",
  'offline.queuedPositionCleared': "سحب الموقف",
  'offline.queuedNotice': "حُفظ على هذا الجهاز؛ وسيُرسل عند عودة الاتصال.",
  'offline.refusedNotice': "تعذّر إرسال شيء كُتب دون اتصال: {reason}",
  'offline.notSavedLocally': "بعض التغييرات غير محفوظة على هذا الجهاز: أبقِ هذه الصفحة مفتوحة حتى تُرسل.",
} satisfies Record<keyof typeof offlineEn, string>;
