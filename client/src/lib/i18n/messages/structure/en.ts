/** English strings for changing the plan's structure (moving blocks), merged into the English catalogue. */
export default {
  'structure.moveUpShort': 'Move up',
  'structure.moveUp': 'Move the goal, objective or action at the cursor up among its neighbours (Alt+Shift+Up)',
  'structure.moveDownShort': 'Move down',
  'structure.moveDown': 'Move the goal, objective or action at the cursor down among its neighbours (Alt+Shift+Down)',
} as const;
