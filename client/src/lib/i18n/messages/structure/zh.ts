import type structureEn from './en.ts';

/** zh strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  // The toolbar's buttons: the visible word, then the full label (which begins with it, for voice control).
  'structure.moveUpShort': '上移',
  'structure.moveUp': '上移：光标所在的总目标、具体目标或行动，在同级之间（Alt+Shift+上）',
  'structure.moveDownShort': '下移',
  'structure.moveDown': '下移：光标所在的总目标、具体目标或行动，在同级之间（Alt+Shift+下）',
} as const satisfies Record<keyof typeof structureEn, string>;
