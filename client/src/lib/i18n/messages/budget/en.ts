/** English strings for loading pages on slow connections, merged into the English catalogue. */
export default {
  // Shown in place of a page whose code could not be downloaded (offline, or the connection dropped); a "Try again" button follows. No placeholders.
  'budget.pageFailed': 'This page could not be loaded. Check your connection and try again.',
} as const;
