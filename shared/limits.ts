/** Defaults for the size limits on every channel; each can be changed by configuration. */
export const defaultLimits = {
  /** Largest JSON body the REST API accepts. */
  httpBodyBytes: 1024 * 1024,
  /** Largest Socket.IO message. */
  socketMessageBytes: 1024 * 1024,
  /** Largest single message on the Yjs endpoint (offline edits arrive as one update). */
  yjsMessageBytes: 16 * 1024 * 1024,
  /** Page size for lists when the client does not ask for one, and the largest allowed. */
  pageSize: 50,
  maxPageSize: 200,
} as const;
