import type structureEn from './en.ts';

/** ru strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  'structure.moveUpShort': 'Вверх',
  'structure.moveUp': 'Переместить цель, задачу или мероприятие под курсором вверх среди соседних (Alt+Shift+Вверх)',
  'structure.moveDownShort': 'Вниз',
  'structure.moveDown': 'Переместить цель, задачу или мероприятие под курсором вниз среди соседних (Alt+Shift+Вниз)',
} as const satisfies Record<keyof typeof structureEn, string>;
