import type structureEn from './en.ts';

/** fr strings for changing the plan's structure; the type requires every key of the English ones. */
export default {
  // The toolbar's buttons: the visible word, then the full label (which begins with it, for voice control).
  'structure.moveUpShort': 'Monter',
  'structure.moveUp': 'Monter\u00a0: l’objectif général, l’objectif spécifique ou l’action au curseur, parmi ses voisins (Alt+Maj+Haut)',
  'structure.moveDownShort': 'Descendre',
  'structure.moveDown': 'Descendre\u00a0: l’objectif général, l’objectif spécifique ou l’action au curseur, parmi ses voisins (Alt+Maj+Bas)',
} as const satisfies Record<keyof typeof structureEn, string>;
