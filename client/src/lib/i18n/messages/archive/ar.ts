import type archiveEn from './en.ts';

/** أرشيفات المشاورات، بالعربية. */
export default {
  'errors.archive_corrupt': 'تتعذّر قراءة هذا الملف بوصفه أرشيفًا: فهو تالف أو ناقص أو عُدِّل بعد تصديره.',
  'errors.archive_unsupported': 'هذا الملف ليس أرشيف مشاورة من Convene، أو صادر عن إصدار من Convene لا يستطيع هذا الخادم قراءته.',
  'errors.archive_invalid': 'هذا الأرشيف غير متّسق، لذلك لم يُستورَد أي شيء.',
  'errors.archive_exists': 'هذه المشاورة موجودة على هذا الخادم بالفعل (استُورِدت من قبل، أو صُدِّر الأرشيف من هنا). لم يُستورَد أي شيء.',
  'archive.export.title': 'الأرشيف',
  'archive.export.intro':
    'نزّل المشاورة كاملةً في ملف واحد، لحفظها أو لنقلها إلى خادم Convene آخر: الوثائق بتاريخها الكامل، والتعليقات والمواقف، والاجتماعات والاستطلاعات، وسجل التوصيات، وسجلات الإشراف، وسجل التدقيق، وأسماء الأعضاء ومجموعاتهم. احفظه بالعناية نفسها التي تحفظ بها المشاورة.',
  'archive.export.button': 'تصدير الأرشيف',
  'archive.export.started': 'جارٍ تنزيل الأرشيف.',
  'archive.import.title': 'استيراد أرشيف',
  'archive.import.intro':
    'استعِد مشاورة من أرشيف صدّره خادم Convene. ستصبح أحد ميسّريها. ليس لأعضائها حسابات هنا: تبقى مساهماتهم منسوبة إلى أسمائهم الرمزية ومجموعاتهم.',
  'archive.import.file': 'ملف الأرشيف',
  'archive.import.fileRequired': 'اختر ملف أرشيف.',
  'archive.import.group': 'مجموعتك من أصحاب المصلحة',
  'archive.import.submit': 'استيراد',
  'archive.import.uploading': 'جارٍ الرفع… {percent}٪',
  'archive.import.restoring': 'جارٍ التحقق من المشاورة واستعادتها…',
  'archive.import.done': 'تمت استعادة «{title}».',
  'archive.invalid.schema': 'أحد السجلات في الأرشيف غير صالح ({collection}).',
  'archive.invalid.duplicate': 'يحتوي الأرشيف على السجل نفسه مرتين ({collection}).',
  'archive.invalid.foreign': 'يحتوي الأرشيف على سجلات تخص مشاورة أخرى ({collection}).',
  'archive.invalid.missing': 'تنقص الأرشيفَ سجلاتٌ تشير إليها سجلات أخرى ({collection}).',
  'archive.invalid.order': 'سجلات الأرشيف ليست بالترتيب الصحيح ({collection}).',
} as const satisfies Record<keyof typeof archiveEn, string>;
