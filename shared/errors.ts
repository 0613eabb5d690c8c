/**
 * Error and close codes shared by server and client. The client translates a
 * code through the message catalogue (`errors.<code>`); the server's English
 * message is only a fallback for scripts and logs.
 */
export const ErrorCode = {
  badRequest: 'bad_request',
  validation: 'validation_failed',
  notFound: 'not_found',
  payloadTooLarge: 'payload_too_large',
  unauthenticated: 'unauthenticated',
  invalidCredentials: 'invalid_credentials',
  forbidden: 'forbidden',
  /** A facilitator muted this member for a while: `details.until` says how long. */
  muted: 'muted',
  crossOrigin: 'cross_origin',
  conflict: 'conflict',
  emailTaken: 'email_taken',
  invalidPhaseTransition: 'invalid_phase_transition',
  lastFacilitator: 'last_facilitator',
  invitationUnavailable: 'invitation_unavailable',
  rateLimited: 'rate_limited',
  /** The change has consequences the caller must confirm first (`details` lists them); repeat it with `confirm: true`. */
  confirmationRequired: 'confirmation_required',
  unavailable: 'unavailable',
  internal: 'internal_error',
  /** A consultation archive that cannot be read: not gzip, not JSON lines, cut short or its checksum wrong. */
  archiveCorrupt: 'archive_corrupt',
  /** An archive of another format, or of a version this server does not read. */
  archiveUnsupported: 'archive_unsupported',
  /** An archive that reads but does not hold together: `details.reason` is one of `archiveProblems` (shared/archive.ts). */
  archiveInvalid: 'archive_invalid',
  /** Records of the archive are on this server already (it was imported here before, or comes from here). */
  archiveExists: 'archive_exists',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  not_found: 404,
  payload_too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  muted: 403,
  cross_origin: 403,
  conflict: 409,
  email_taken: 409,
  invalid_phase_transition: 409,
  last_facilitator: 409,
  invitation_unavailable: 410,
  rate_limited: 429,
  confirmation_required: 409,
  unavailable: 503,
  internal_error: 500,
  archive_corrupt: 400,
  archive_unsupported: 400,
  archive_invalid: 400,
  archive_exists: 409,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * WebSocket close codes used by the Yjs endpoint (4000–4999 are free for
 * applications). Clients read them to decide whether reconnecting can help.
 */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  /** Too many messages, or too many bytes, before the connection was ready. */
  policyViolation: 1008,
  messageTooBig: 1009,
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  documentNotFound: 4404,
  /** This account already has the most connections a document allows (`YJS_MAX_CONNECTIONS_PER_ACCOUNT`). */
  tooManyConnections: 4429,
  documentUnavailable: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting to the same document cannot succeed. */
export const permanentCloseCodes: ReadonlySet<number> = new Set([
  CloseCode.unauthorized,
  CloseCode.forbidden,
  CloseCode.documentNotFound,
]);
