import { z } from 'zod';
import { phases, stakeholderGroups } from './groups.ts';
import { roles } from './permissions.ts';
import { Anchor, stances } from './comments.ts';
import { auditActions } from './audit.ts';

/**
 * A consultation archive: one file holding a whole consultation, to move it
 * to another Convene server (server/archive/). The container is gzip
 * (RFC 1952) around JSON Lines, UTF-8, one JSON value per line:
 *
 *   1. the header: `{ format, version, exportedAt, consultationId, collections }`;
 *   2. one line per record: `{ c: <collection>, r: <record> }`, collection by
 *      collection in the order the header lists them;
 *   3. the trailer: `{ end: true, counts, sha256 }`, where `sha256` is the
 *      hex SHA-256 of every byte before the trailer line (header included)
 *      and `counts` the records per collection.
 *
 * Binary values (Yjs updates, state vectors) are written as `{ "$bin": <base64> }`.
 * The trailer comes last because the file is written as a stream: nothing is
 * known of the body until it has all been written.
 */
export const archiveFormat = 'convene-consultation-archive';
export const archiveVersion = 1;
export const archiveContentType = 'application/gzip';
/** What the import route accepts as the body (the file itself, unparsed). */
export const archiveImportTypes = ['application/gzip', 'application/x-gzip', 'application/octet-stream'] as const;
export const archiveExtension = '.convene.jsonl.gz';
/** The largest archive one import accepts (compressed); the server's ARCHIVE_MAX_IMPORT_BYTES. */
export const defaultArchiveMaxImportBytes = 100 * 1024 * 1024;

export const ArchiveHeader = z.object({
  format: z.string(),
  version: z.number().int(),
  exportedAt: z.iso.datetime(),
  consultationId: z.uuid(),
  collections: z.array(z.string()),
});
export type ArchiveHeader = z.infer<typeof ArchiveHeader>;

export const ArchiveTrailer = z.object({
  end: z.literal(true),
  counts: z.record(z.string(), z.number().int().min(0)),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ArchiveTrailer = z.infer<typeof ArchiveTrailer>;

export const ArchiveLine = z.object({ c: z.string(), r: z.record(z.string(), z.unknown()) });

/** Who imports may name their own stakeholder group in the restored consultation (they join it as a facilitator). */
export const ArchiveImportQuery = z.object({ group: z.enum(stakeholderGroups).default('other') });

export const ArchiveImportResult = z.object({
  consultationId: z.uuid(),
  title: z.string(),
  counts: z.record(z.string(), z.number().int()),
});
export type ArchiveImportResult = z.infer<typeof ArchiveImportResult>;

/** Why an archive was refused, in `details.reason` of `archive_invalid`. */
export const archiveProblems = ['schema', 'duplicate', 'foreign', 'missing', 'order'] as const;
export type ArchiveProblem = (typeof archiveProblems)[number];

// ---- The records, one schema per collection. Loose: fields a later version adds pass through untouched.

const Bin = z.instanceof(Uint8Array);
const Iso = z.string().min(1);
const Uuid = z.uuid();
const Role = z.enum(roles);
const Group = z.enum(stakeholderGroups);
const Author = z.looseObject({ memberId: z.string(), alias: z.number().int(), group: Group, role: Role });

export const ArchivedConsultation = z.looseObject({
  _id: Uuid,
  title: z.string().min(1),
  summary: z.string(),
  country: z.string(),
  phase: z.enum(phases),
  hideIdentities: z.boolean(),
  hidingEpoch: z.number().int().optional(),
  memberSeq: z.number().int().min(0),
  createdAt: Iso,
  updatedAt: Iso,
});

/** A member's account as the archive knows it: an id and, where the exporting facilitator may see it, a name. Never an e-mail or a password. */
export const ArchivedPerson = z.strictObject({ _id: Uuid, displayName: z.string().nullable() });

export const ArchivedMembership = z.looseObject({
  _id: Uuid,
  consultationId: Uuid,
  userId: Uuid,
  role: Role,
  group: Group,
  organisation: z.string().nullable(),
  alias: z.number().int().min(1),
  joinedAt: Iso,
});

export const ArchivedInvitation = z.looseObject({
  _id: z.string().min(1),
  publicId: z.string().min(1),
  consultationId: Uuid,
  role: Role,
  group: Group,
  expiresAt: Iso,
  maxUses: z.number().int(),
  remaining: z.number().int(),
  revoked: z.boolean(),
});

export const ArchivedDocument = z.looseObject({ _id: Uuid, consultationId: Uuid, title: z.string(), locked: z.boolean(), createdAt: Iso, updatedAt: Iso });

const Run = z.looseObject({ ins: Bin, del: Bin });
export const ArchivedUpdate = z.looseObject({
  _id: z.string().min(1),
  docId: Uuid,
  seq: z.number().int().min(0),
  update: Bin,
  compacted: z.boolean(),
  stateVector: Bin.optional(),
  attribution: z.array(Run).optional(),
});

export const ArchivedVersion = z.looseObject({
  _id: Uuid,
  documentId: Uuid,
  consultationId: Uuid,
  seq: z.number().int().min(1),
  name: z.string().nullable(),
  stateVector: Bin,
  deletions: Bin,
  createdAt: Iso,
});

export const ArchivedVisit = z.looseObject({ _id: z.string().min(1), membershipId: Uuid, documentId: Uuid, snapshot: Bin, at: Iso });

const ArchivedComment = z.looseObject({
  id: z.string().min(1),
  author: Author,
  authorUserId: z.string(),
  body: z.string().nullable(),
  deleted: z.boolean(),
  createdAt: Iso,
});
export const ArchivedThread = z.looseObject({
  _id: Uuid,
  consultationId: Uuid,
  documentId: Uuid,
  anchor: Anchor,
  status: z.string(),
  seq: z.number().int(),
  comments: z.array(ArchivedComment),
  proposal: z.looseObject({ text: z.string(), status: z.string() }).nullable(),
  positions: z.record(z.string(), z.looseObject({ stance: z.enum(stances), group: Group })),
  createdAt: Iso,
  updatedAt: Iso,
});

export const ArchivedModeration = z.looseObject({
  _id: z.string().min(1),
  consultationId: Uuid,
  documentId: Uuid,
  threadId: Uuid,
  status: z.string(),
  flags: z.array(z.looseObject({ by: Author, reason: z.string(), at: Iso })),
  createdAt: Iso,
});

export const ArchivedMeeting = z.looseObject({
  _id: Uuid,
  consultationId: Uuid,
  title: z.string(),
  startsAt: Iso,
  agenda: z.array(z.string()),
  documentIds: z.array(z.string()),
  status: z.enum(['scheduled', 'live', 'ended']),
  createdAt: Iso,
});

export const ArchivedPoll = z.looseObject({
  _id: Uuid,
  consultationId: Uuid,
  meetingId: Uuid,
  question: z.string(),
  options: z.array(z.string()),
  anonymous: z.boolean(),
  status: z.enum(['open', 'closed']),
  createdAt: Iso,
});

/** A ballot of an anonymous poll holds its group and option only: the archive adds nothing (and holds no poll secret). */
export const ArchivedBallot = z.looseObject({
  _id: z.string().min(1),
  pollId: Uuid,
  option: z.number().int().min(0),
  group: Group,
  voter: z.looseObject({ memberId: z.string(), alias: z.number().int(), role: Role }).optional(),
});

export const ArchivedRecommendation = z.looseObject({
  _id: z.string().min(1),
  consultationId: Uuid,
  recId: z.string().min(1),
  source: z.enum(['import', 'manual']),
  createdAt: Iso,
});

export const ArchivedAuditEntry = z.looseObject({
  _id: Uuid,
  consultationId: Uuid,
  action: z.enum(auditActions),
  actor: z.looseObject({ memberId: z.string(), role: Role, group: Group }).nullable(),
  subject: z.looseObject({ type: z.string(), id: z.string() }).nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  createdAt: Iso,
});

/** Session minutes (server/minutes/): turns at the floor, decisions, the agenda item of each poll, and the notes. */
export const ArchivedSpeech = z.looseObject({
  _id: z.string().min(1),
  consultationId: Uuid,
  meetingId: Uuid,
  memberId: z.string().min(1),
  face: Author,
  agendaItem: z.number().int().min(0).nullable(),
  startedAt: Iso,
  endedAt: Iso.nullable(),
  seconds: z.number().min(0),
});

export const ArchivedDecision = z.looseObject({
  _id: z.string().min(1),
  consultationId: Uuid,
  meetingId: Uuid,
  agendaItem: z.number().int().min(0).nullable(),
  text: z.string(),
  notedAt: Iso,
  notedBy: z.string().min(1),
});

export const ArchivedPollItem = z.looseObject({
  _id: Uuid,
  meetingId: Uuid,
  agendaItem: z.number().int().min(0).nullable(),
});

export const ArchivedMinutes = z.looseObject({
  _id: Uuid,
  consultationId: Uuid,
  seq: z.number().int().min(0),
  // Written field by field as facilitators edit: either may be absent.
  general: z.string().optional(),
  items: z.array(z.string()).optional(),
});
