import type structureEn from './en.ts';

/** ru strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  // The toolbar's buttons: the visible word, then the full label (which begins with it, for voice control).
  'structure.moveUpShort': 'Вверх',
  'structure.moveUp': 'Вверх: цель, задача или мероприятие под курсором, среди соседних (Alt+Shift+Вверх)',
  'structure.moveDownShort': 'Вниз',
  'structure.moveDown': 'Вниз: цель, задача или мероприятие под курсором, среди соседних (Alt+Shift+Вниз)',
} as const satisfies Record<keyof typeof structureEn, string>;
