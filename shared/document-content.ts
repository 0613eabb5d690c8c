import { z } from 'zod';

/**
 * A document's text as the first view shows it before the editor has loaded:
 * headings (the plan's goals, objectives and actions with their numbers),
 * paragraphs and list items, as plain strings. Built on the server from the
 * live document, the same way the exports read it; the client renders it as
 * text, never as HTML.
 */
export const ContentBlock = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3)]), text: z.string() }),
  z.object({ kind: z.literal('paragraph'), text: z.string() }),
  z.object({ kind: z.literal('item'), text: z.string() }),
]);
export type ContentBlock = z.infer<typeof ContentBlock>;

export const DocumentContent = z.object({ blocks: z.array(ContentBlock) });
export type DocumentContent = z.infer<typeof DocumentContent>;
