/** English strings for changing the plan's structure (moving blocks), merged into the English catalogue. */
export default {
  // The toolbar's buttons: the visible word, then the full label (which begins with it, for voice control).
  'structure.moveUpShort': 'Move up',
  'structure.moveUp': 'Move up: the goal, objective or action at the cursor, among its neighbours (Alt+Shift+Up)',
  'structure.moveDownShort': 'Move down',
  'structure.moveDown': 'Move down: the goal, objective or action at the cursor, among its neighbours (Alt+Shift+Down)',
} as const;
