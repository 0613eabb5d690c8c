/** Link targets allowed in documents. Everything else (javascript:, data:, file:…) is refused. */
const safeProtocols = new Set(['http:', 'https:', 'mailto:']);

export function isSafeHref(value: unknown): boolean {
  if (typeof value !== 'string' || value.trim() === '') return false;
  try {
    return safeProtocols.has(new URL(value.trim()).protocol);
  } catch {
    return false;
  }
}

const hasScheme = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Turns what a person typed into a safe absolute address, or null.
 * "example.org/plan" becomes "https://example.org/plan"; "name@example.org" becomes a mailto: link.
 */
export function normaliseHref(input: string): string | null {
  const value = input.trim();
  if (!value) return null;
  let candidate = value;
  if (!hasScheme.test(value)) {
    if (value.startsWith('/')) return null;
    candidate = /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(value) ? `mailto:${value}` : `https://${value}`;
  }
  return isSafeHref(candidate) ? candidate : null;
}

/** For Tiptap's Link `isAllowedUri`: accepts safe absolute links, and bare domains the autolinker turns into https links. */
export function isAllowedLink(url: string): boolean {
  return isSafeHref(url) || (!hasScheme.test(url) && normaliseHref(url) !== null);
}
