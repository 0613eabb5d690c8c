import type structureEn from './en.ts';

/** zh strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  'structure.moveUpShort': '上移',
  'structure.moveUp': '将光标所在的总目标、具体目标或行动在同级中上移（Alt+Shift+上）',
  'structure.moveDownShort': '下移',
  'structure.moveDown': '将光标所在的总目标、具体目标或行动在同级中下移（Alt+Shift+下）',
} as const satisfies Record<keyof typeof structureEn, string>;
