import { z } from 'zod';
import { defaultLimits } from '../shared/limits.ts';
import { defaultMaxImportBytes } from '../shared/recommendations.ts';
import { defaultArchiveMaxImportBytes } from '../shared/archive.ts';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Every setting the server reads from its environment, with defaults that work on a laptop. */
const Env = z.object({
  PORT: int(3000).pipe(z.number().max(65535)),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_MAX_BODY_BYTES: int(defaultLimits.httpBodyBytes, 1024),
  SOCKET_MAX_MESSAGE_BYTES: int(defaultLimits.socketMessageBytes, 1024),
  YJS_MAX_MESSAGE_BYTES: int(defaultLimits.yjsMessageBytes, 1024),
  /** Connections one account may hold open to one document (tabs, devices). */
  YJS_MAX_CONNECTIONS_PER_ACCOUNT: int(defaultLimits.yjsConnectionsPerAccount, 1),
  /** How often Yjs connections are pinged; one that missed the previous ping is dropped (it stops counting against the cap). */
  YJS_HEARTBEAT_MS: int(30_000, 1000),
  /** What a Yjs connection may send before it is authenticated and its document loaded, and how long that may take. */
  YJS_PRE_READY_MESSAGES: int(64, 1),
  YJS_PRE_READY_BYTES: int(1024 * 1024, 1024),
  YJS_PRE_READY_TIMEOUT_MS: int(10_000, 100),
  /** Pending Yjs updates are written at most this long after the first of them arrived. */
  PERSIST_MAX_DELAY_MS: int(500, 10).pipe(z.number().max(1000)),
  /** …and sooner when no further update arrives for this long. */
  PERSIST_DEBOUNCE_MS: int(100, 0),
  /** The update log of a document is merged into one update once it holds this many entries. */
  COMPACT_AFTER_UPDATES: int(200, 2),
  /** A document nobody has open is unloaded from memory after this long. */
  ROOM_IDLE_MS: int(30_000, 0),
  SESSION_TTL_HOURS: int(24 * 14, 1),
  /** Failed sign-ins in a row for one account from one address before that pair waits out the window. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(5, 1),
  /** Failed sign-ins from one address, across accounts it has never signed in to, per window. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(20, 1),
  /** At most a week: the in-memory counters expire through timers, which cannot wait longer than ~24 days. */
  LOGIN_FAILURE_WINDOW_MINUTES: int(15, 1).pipe(z.number().max(7 * 24 * 60)),
  /** Failed sign-ins per account per day from addresses that never signed in to it, before such attempts are slowed… */
  LOGIN_ACCOUNT_FAILURES_PER_DAY: int(20, 1),
  /** …to one attempt per this many seconds (addresses the owner has signed in from are never slowed). */
  LOGIN_ACCOUNT_DELAY_SECONDS: int(60, 1).pipe(z.number().max(24 * 3600)),
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: int(30, 1),
  /** Password hashes (scrypt, 32 MiB each) run at most this many at once… */
  PASSWORD_HASH_CONCURRENCY: int(2, 1),
  /** …with at most this many waiting; beyond that sign-in and registration answer 503 with Retry-After. */
  PASSWORD_HASH_QUEUE: int(32, 0),
  /** Express's `trust proxy`: which proxies may tell us the client's address and protocol. */
  TRUST_PROXY: z.string().default('loopback'),
  /** Other origins (comma-separated) allowed to make requests with a session, e.g. a separate front end. */
  ALLOWED_ORIGINS: z.string().default(''),
  /** The largest file one recommendations import accepts; a larger one is refused whole with 413. */
  RECOMMENDATIONS_MAX_IMPORT_BYTES: int(defaultMaxImportBytes, 1024),
  /** A member's editing session in a document ends after this long without an edit (one audit entry per session). */
  EDIT_SESSION_IDLE_MINUTES: int(10, 1).pipe(z.number().max(24 * 60)),
  /** The Chromium that prints PDFs (reports, minutes); found in the usual places when unset. Without one, PDF answers 503. */
  CHROMIUM_PATH: z.string().optional(),
  /** Days after a consultation is closed or adopted before its members' personal data is erased (facilitators keep theirs). */
  RETENTION_DAYS: int(180, 1).pipe(z.number().max(36_500)),
  /** How often the retention sweep runs (it also runs at start-up). */
  RETENTION_SWEEP_MINUTES: int(60, 1).pipe(z.number().max(24 * 60)),
  /** The largest consultation archive one import accepts (compressed); a larger one is refused whole with 413. */
  ARCHIVE_MAX_IMPORT_BYTES: int(defaultArchiveMaxImportBytes, 1024),
  /** …and what it may unpack to (gzip packs repetitive text tightly; this bounds the work an import can cause). */
  ARCHIVE_MAX_UNPACKED_BYTES: int(1024 * 1024 * 1024, 1024),
  /** The SMTP server notification mail goes through (nodemailer URL: smtp://user:pass@host:587, smtps://…). Unset: no mail is ever sent. */
  SMTP_URL: z.string().optional(),
  /** The sender of notification mail. */
  MAIL_FROM: z.string().default('Convene <no-reply@localhost>'),
  /** The address people reach this instance at, for the links in mails (e.g. https://convene.example.org). */
  PUBLIC_URL: z.string().optional(),
  /** How often the notification digest goes out to those who chose it. */
  NOTIFICATION_DIGEST_HOURS: int(24, 1).pipe(z.number().max(24 * 7)),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri: string | undefined;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  dev: boolean;
  limits: { httpBodyBytes: number; socketMessageBytes: number; yjsMessageBytes: number };
  /** Connections one account may hold open to one document. */
  yjsConnectionsPerAccount: number;
  yjsHeartbeatMs: number;
  preReady: { messages: number; bytes: number; timeoutMs: number };
  persistence: { maxDelayMs: number; debounceMs: number; compactAfterUpdates: number };
  roomIdleMs: number;
  sessionTtlMs: number;
  login: { failuresPerAccount: number; failuresPerAddress: number; windowMs: number };
  loginSlowdown: { accountFailuresPerDay: number; accountDelaySeconds: number };
  registrationsPerAddressPerHour: number;
  passwordHashing: { concurrency: number; queue: number };
  trustProxy: string;
  allowedOrigins: string[];
  recommendationsMaxImportBytes: number;
  editSessionIdleMs: number;
  chromiumPath: string | undefined;
  retention: { days: number; sweepEveryMs: number };
  archive: { maxImportBytes: number; maxUnpackedBytes: number };
  mail: { smtpUrl: string | undefined; from: string; publicUrl: string; digestEveryMs: number };
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, dev = false): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    mongodbUri: e.MONGODB_URI?.trim() || undefined,
    logLevel: e.LOG_LEVEL,
    dev,
    limits: {
      httpBodyBytes: e.HTTP_MAX_BODY_BYTES,
      socketMessageBytes: e.SOCKET_MAX_MESSAGE_BYTES,
      yjsMessageBytes: e.YJS_MAX_MESSAGE_BYTES,
    },
    yjsConnectionsPerAccount: e.YJS_MAX_CONNECTIONS_PER_ACCOUNT,
    yjsHeartbeatMs: e.YJS_HEARTBEAT_MS,
    preReady: { messages: e.YJS_PRE_READY_MESSAGES, bytes: e.YJS_PRE_READY_BYTES, timeoutMs: e.YJS_PRE_READY_TIMEOUT_MS },
    persistence: {
      maxDelayMs: e.PERSIST_MAX_DELAY_MS,
      debounceMs: Math.min(e.PERSIST_DEBOUNCE_MS, e.PERSIST_MAX_DELAY_MS),
      compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    },
    roomIdleMs: e.ROOM_IDLE_MS,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3_600_000,
    login: {
      failuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      failuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: e.LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
    },
    loginSlowdown: { accountFailuresPerDay: e.LOGIN_ACCOUNT_FAILURES_PER_DAY, accountDelaySeconds: e.LOGIN_ACCOUNT_DELAY_SECONDS },
    registrationsPerAddressPerHour: e.REGISTRATIONS_PER_ADDRESS_PER_HOUR,
    passwordHashing: { concurrency: e.PASSWORD_HASH_CONCURRENCY, queue: e.PASSWORD_HASH_QUEUE },
    trustProxy: e.TRUST_PROXY,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    recommendationsMaxImportBytes: e.RECOMMENDATIONS_MAX_IMPORT_BYTES,
    editSessionIdleMs: e.EDIT_SESSION_IDLE_MINUTES * 60_000,
    chromiumPath: e.CHROMIUM_PATH?.trim() || undefined,
    retention: { days: e.RETENTION_DAYS, sweepEveryMs: e.RETENTION_SWEEP_MINUTES * 60_000 },
    archive: { maxImportBytes: e.ARCHIVE_MAX_IMPORT_BYTES, maxUnpackedBytes: e.ARCHIVE_MAX_UNPACKED_BYTES },
    mail: {
      smtpUrl: e.SMTP_URL?.trim() || undefined,
      from: e.MAIL_FROM,
      publicUrl: (e.PUBLIC_URL?.trim() || `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      digestEveryMs: e.NOTIFICATION_DIGEST_HOURS * 3_600_000,
    },
  };
}

/** A configuration for tests and tools: defaults with overrides, nothing read from the environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Every test registers from 127.0.0.1, and some register hundreds of people on one server.
  return { ...loadConfig({}), logLevel: 'silent', registrationsPerAddressPerHour: 100_000, ...overrides };
}
