/** Defaults for the size limits on every channel; each can be changed by configuration. */
export const defaultLimits = {
  /** Largest JSON body the REST API accepts. */
  httpBodyBytes: 1024 * 1024,
  /** Largest Socket.IO message. */
  socketMessageBytes: 1024 * 1024,
  /** Largest single message on the Yjs endpoint (offline edits arrive as one update). */
  yjsMessageBytes: 16 * 1024 * 1024,
  /** Connections one account may hold open to one document (tabs, devices); the next is refused with close code 4429. */
  yjsConnectionsPerAccount: 8,
  /** Page size for lists when the client does not ask for one, and the largest allowed. */
  pageSize: 50,
  maxPageSize: 200,
} as const;

/**
 * Presence (awareness) bounds; fixed, not configurable: an editor's cursor
 * state is a few hundred bytes. A state larger than `awarenessStateBytes` of
 * JSON is dropped: neither kept, relayed, nor sent to newcomers. One
 * connection (one browser tab, one Yjs client) needs one state; a few more are
 * tolerated, and client ids an account used stay bound to it (for takeover
 * checks) up to `awarenessIdsPerAccount` per document, oldest idle ones first
 * forgotten.
 */
export const presenceLimits = {
  awarenessStateBytes: 4 * 1024,
  awarenessStatesPerConnection: 4,
  awarenessIdsPerAccount: 64,
} as const;
