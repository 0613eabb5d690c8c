/**
 * The plan schema version this client understands, and the Yjs URL's query
 * parameter that declares it (see `planSchemaVersion` in plan.ts, which
 * re-exports both). A module of its own, without zod: the app's first script
 * opens a document's Yjs connection with it (client/src/lib/early-socket.ts).
 */
export const planSchemaVersion = 1;

/** The query parameter that declares it. */
export const schemaParam = 'schema';
