import type structureEn from './en.ts';

/** es strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  // The toolbar's buttons: the visible word, then the full label (which begins with it, for voice control).
  'structure.moveUpShort': 'Subir',
  'structure.moveUp': 'Subir: el objetivo general, el objetivo específico o la acción del cursor, entre sus vecinos (Alt+Mayús+Arriba)',
  'structure.moveDownShort': 'Bajar',
  'structure.moveDown': 'Bajar: el objetivo general, el objetivo específico o la acción del cursor, entre sus vecinos (Alt+Mayús+Abajo)',
} as const satisfies Record<keyof typeof structureEn, string>;
