import type structureEn from './en.ts';

/** ar strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  // The toolbar's buttons: the visible word, then the full label (which begins with it, for voice control).
  'structure.moveUpShort': 'نقل لأعلى',
  'structure.moveUp': 'نقل لأعلى: الهدف العام أو الهدف المحدد أو الإجراء الموجود عند المؤشر، بين مجاوراته (Alt+Shift+Up)',
  'structure.moveDownShort': 'نقل لأسفل',
  'structure.moveDown': 'نقل لأسفل: الهدف العام أو الهدف المحدد أو الإجراء الموجود عند المؤشر، بين مجاوراته (Alt+Shift+Down)',
} as const satisfies Record<keyof typeof structureEn, string>;
