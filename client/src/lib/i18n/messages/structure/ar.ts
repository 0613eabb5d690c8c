import type structureEn from './en.ts';

/** ar strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  'structure.moveUpShort': 'نقل لأعلى',
  'structure.moveUp': 'نقل الهدف العام أو الهدف المحدد أو الإجراء الموجود عند المؤشر إلى الأعلى بين مجاوراته (Alt+Shift+Up)',
  'structure.moveDownShort': 'نقل لأسفل',
  'structure.moveDown': 'نقل الهدف العام أو الهدف المحدد أو الإجراء الموجود عند المؤشر إلى الأسفل بين مجاوراته (Alt+Shift+Down)',
} as const satisfies Record<keyof typeof structureEn, string>;
