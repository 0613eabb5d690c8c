import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import express from 'express';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Store } from './store/types.ts';
import { DomainEventBus } from './events.ts';
import { AccountsService, accountsOptions } from './accounts/accounts.service.ts';
import { ensureAccountIndexes } from './accounts/accounts.repository.ts';
import { accountsRoutes } from './accounts/accounts.routes.ts';
import { sessionMiddleware, sessionToken } from './accounts/session.ts';
import { Access } from './members/access.ts';
import { ensureMembershipIndexes } from './members/members.repository.ts';
import { FacilitatorGuard } from './members/facilitator-guard.ts';
import { MembersService } from './members/members.service.ts';
import { InvitationsService } from './members/invitations.service.ts';
import { membersRoutes } from './members/members.routes.ts';
import { ConsultationsService } from './consultations/consultations.service.ts';
import { Adoption } from './consultations/adoption.ts';
import { ensureConsultationIndexes } from './consultations/consultations.repository.ts';
import { consultationsRoutes } from './consultations/consultations.routes.ts';
import { consultationEvents } from './consultations/consultations.events.ts';
import { DocumentsService } from './documents/documents.service.ts';
import { ensureDocumentIndexes } from './documents/documents.repository.ts';
import { documentsRoutes } from './documents/documents.routes.ts';
import { DocumentContentReader } from './documents/document-content.ts';
import { CommentsService } from './comments/comments.service.ts';
import { ensureCommentIndexes } from './comments/comments.repository.ts';
import { commentsRoutes } from './comments/comments.routes.ts';
import { commentEvents } from './comments/comments.events.ts';
import { CommentKeys } from './comments/comment-keys.ts';
import { idempotencyTtlMs } from './comments/idempotency.ts';
import { AuditLog } from './audit/audit.service.ts';
import { ensureAuditIndexes } from './audit/audit.repository.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { SdgService } from './sdg/sdg.service.ts';
import { sdgRoutes } from './sdg/sdg.routes.ts';
import { facilitation } from './facilitation.ts';
import { RecommendationsService } from './recommendations/recommendations.service.ts';
import { ensureRecommendationIndexes } from './recommendations/recommendations.repository.ts';
import { recommendationsRoutes } from './recommendations/recommendations.routes.ts';
import { PlanExports } from './plan/plan.service.ts';
import { planRoutes } from './plan/plan.routes.ts';
import { livePassages } from './collab/proposals.ts';
import { UpdateLog } from './collab/persistence.ts';
import { PlanLinkAudit } from './plan/link-audit.ts';
import { RoomRegistry } from './collab/rooms.ts';
import { VersionsService } from './history/versions.service.ts';
import { ensureVersionIndexes } from './history/versions.repository.ts';
import { versionsRoutes } from './history/versions.routes.ts';
import { DiffService } from './history/diff.service.ts';
import { PdfPrinter, findChromium } from './report/pdf.ts';
import { MeetingMinutes } from './minutes/minutes.service.ts';
import { ArchiveService } from './archive/archive.service.ts';
import { archiveRoutes } from './archive/archive.routes.ts';
import { ReportService } from './report/report.service.ts';
import { ReportJobs } from './report/report.jobs.ts';
import { LayoutThread } from './report/layout-thread.ts';
import { reportRoutes } from './report/report.routes.ts';
import { attachYjsEndpoint } from './collab/yjs.endpoint.ts';
import { PrivacyService } from './privacy/privacy.service.ts';
import { privacyRoutes } from './privacy/privacy.routes.ts';
import { EditSessions } from './history/attribution.sessions.ts';
import { editSessionAudit } from './history/attribution.audit.ts';
import { createSocketServer } from './realtime/socket.ts';
import { NotificationsService } from './notifications/notifications.service.ts';
import { ensureNotificationIndexes } from './notifications/notifications.repository.ts';
import { notificationSources } from './notifications/notifications.sources.ts';
import { notificationsRoutes } from './notifications/notifications.routes.ts';
import { notificationEvents } from './notifications/notifications.events.ts';
import { Mailer } from './notifications/mailer.ts';
import { ApiRegistry } from './http/route.ts';
import { openApiDocument } from './http/openapi.ts';
import { originGuard, originPolicy } from './http/origin.ts';
import { guardHttpServer, refuseMalformedTargets } from './http/malformed.ts';
import { apiNotFound, errorHandler } from './http/errors.middleware.ts';
import { apiCompression, serveClient } from './http/client.ts';
import { securityHeaders } from './http/security-headers.ts';
import { CloseCode } from '../shared/errors.ts';
import { yjsPath } from '../shared/collab.ts';
import { Health } from '../shared/schemas.ts';

export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface ServerDeps {
  store: Store;
  logger: Logger;
}

export interface ConveneServer {
  readonly http: http.Server;
  readonly rooms: RoomRegistry;
  readonly updateLog: UpdateLog;
  readonly versions: VersionsService;
  readonly pdf: PdfPrinter;
  readonly minutes: MeetingMinutes;
  /** Notification mail: `mailer.runDigest()` sends the digest now (tests). */
  readonly mailer: Mailer;
  /** Account deletion, personal data export and the retention sweep (`privacy.sweep(now)` for tests). */
  readonly privacy: PrivacyService;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Stops taking connections, writes every document, closes every connection. Leaves the store open. */
  close(): Promise<void>;
}

/**
 * Builds the whole server — REST, Socket.IO and the Yjs endpoint on one HTTP
 * server — around a store the caller opened. `main.ts` and the tests both use it.
 */
export async function createServer(config: Config, { store, logger }: ServerDeps): Promise<ConveneServer> {
  await Promise.all([
    ensureAccountIndexes(store),
    ensureMembershipIndexes(store),
    ensureConsultationIndexes(store),
    ensureDocumentIndexes(store),
    ensureCommentIndexes(store),
    ensureAuditIndexes(store),
    ensureRecommendationIndexes(store),
    ensureVersionIndexes(store),
    ensureNotificationIndexes(store),
  ]);
  const updateLog = new UpdateLog(store);
  await updateLog.ensureIndexes();

  const events = new DomainEventBus();
  const access = new Access(store);
  const accounts = new AccountsService(store, events, accountsOptions(config));
  const audit = new AuditLog(store, access);
  const documents = new DocumentsService(store, access, events, audit);
  // One queue for every change that could leave a consultation without a facilitator.
  const facilitatorGuard = new FacilitatorGuard();
  const members = new MembersService(store, access, events, audit, facilitatorGuard);
  const invitations = new InvitationsService(store, access, events, audit);
  await invitations.ensureIndexes();
  const sdg = await SdgService.load();
  // The plan's links to SDG targets are checked against the catalogue as they are written.
  const linkAudit = new PlanLinkAudit(store, audit, logger);
  const rooms = new RoomRegistry(
    updateLog,
    config.persistence,
    config.roomIdleMs,
    logger,
    { hasSdgTarget: (id) => sdg.hasTarget(id) },
    // Linking an action to recommendations or SDG targets in the editor is recorded in the audit log.
    (docId, who, changes) => linkAudit.recordLater(docId, who, changes),
  );
  // Each member's editing session in a document becomes one audit entry (characters inserted and deleted).
  const editSessions = new EditSessions(config.editSessionIdleMs, editSessionAudit(store, audit), logger);
  rooms.editSessions = editSessions;
  const comments = new CommentsService(store, access, events, livePassages(rooms), audit, logger);
  rooms.onBlocksDeleted = (docId, blocks) => {
    comments.followMovedBlocks(docId, blocks).catch((err: unknown) => logger.error({ err, docId }, 'comments on moved plan blocks could not follow them'));
  };
  const adoption = new Adoption(store, comments, audit);
  const adopted = await adoption.sweep();
  const versions = new VersionsService(store, access, rooms, audit, events, logger);
  await versions.sweep(adopted);
  const consultations = new ConsultationsService(store, access, events, audit, adoption, versions);
  const recommendations = new RecommendationsService(store, access, audit, logger, config.recommendationsMaxImportBytes, events);
  const planExports = new PlanExports(access, recommendations, comments, rooms);
  // Reports and minutes are printed to PDF by the system Chromium, launched on first use.
  const pdf = new PdfPrinter(findChromium(config.chromiumPath), logger);
  const minutes = new MeetingMinutes(store, access, events, audit);
  // The consultation report and minutes as files: gathered here, laid out in a worker thread, printed by `pdf`.
  const reports = new ReportService(store, access, rooms, minutes);
  const layout = new LayoutThread();
  const reportJobs = new ReportJobs(reports, layout, pdf, logger);
  const facilitated = await facilitation(store, { access, events, audit, comments, minutes, logger });
  const privacy = new PrivacyService(store, accounts, events, audit, config.retention, logger, facilitatorGuard);
  const archives = new ArchiveService(store, access, audit, rooms, logger, config.archive);
  // Notifications made from domain events, shown in the app and, for those who ask, mailed.
  const notifications = new NotificationsService(store);
  await notificationSources(store, events, notifications, logger);
  const mailer = new Mailer(store, notifications, config.mail, logger);
  await mailer.start();

  const app = express();
  // Slow or silent clients may not hold connections open: headers within 10 s, a whole request within 30 s,
  // checked every 2 s (Node's default, 30 s, let a half-sent request line hold its socket for up to 40 s).
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 2_000 }, refuseMalformedTargets(app, logger));
  app.disable('x-powered-by');
  const origins = originPolicy(config.trustProxy, config.allowedOrigins);
  app.set('trust proxy', origins.trust);
  app.use(securityHeaders(config.dev));

  const api = new ApiRegistry();
  api.add({ method: 'get', path: '/health', tag: 'Service', auth: false, summary: 'Whether the server is up, its store and version', response: Health }, async () => ({
    status: 'ok' as const,
    store: store.kind,
    version,
  }));
  accountsRoutes(api, accounts, config.sessionTtlMs);
  // Before the consultation routes: `/consultations/import` is not a consultation's id.
  archiveRoutes(api, archives, logger);
  consultationsRoutes(api, consultations);
  documentsRoutes(api, documents, new DocumentContentReader(access, rooms));
  membersRoutes(api, members, invitations);
  commentsRoutes(api, comments);
  facilitated.routes(api);
  auditRoutes(api, audit);
  sdgRoutes(api, sdg);
  recommendationsRoutes(api, recommendations, config.recommendationsMaxImportBytes);
  planRoutes(api, planExports, logger);
  reportRoutes(api, { jobs: reportJobs, reports, layout, pdf });
  versionsRoutes(api, versions, new DiffService(store, access, rooms, updateLog, versions));
  privacyRoutes(api, privacy);
  notificationsRoutes(api, notifications, mailer);
  const openapi = openApiDocument(api, version);

  const router = express.Router();
  router.use(originGuard(origins));
  router.use(express.json({ limit: config.limits.httpBodyBytes }));
  router.use(sessionMiddleware(accounts));
  router.get('/openapi.json', (_req, res) => void res.json(openapi));
  router.use(api.router);
  router.use(apiNotFound);
  router.use(errorHandler(logger));
  app.use('/api', apiCompression(), router);

  const closeClient = await serveClient(app, server, config.dev);
  app.use(errorHandler(logger));

  const yjs = attachYjsEndpoint(server, {
    rooms,
    authenticate: async (req) => {
      const auth = await accounts.authenticate(sessionToken(req));
      return auth && { userId: auth.user._id, sessionId: auth.session._id, expiresAt: auth.session.expiresAt };
    },
    documentAccess: (userId, docId) => access.documentAccess(userId, docId),
    originAllowed: (req) => origins.allowed(req),
    identity: (userId, granted) => members.awarenessUser(userId, granted),
    maxConnectionsPerAccount: config.yjsConnectionsPerAccount,
    heartbeatMs: config.yjsHeartbeatMs,
    maxMessageBytes: config.limits.yjsMessageBytes,
    preReady: config.preReady,
    // Where each member left each document: the start of "since my last visit".
    onLastLeft: (room, principal) => versions.recordVisit(room, principal),
    logger,
  });
  const refresh = (match: Parameters<typeof yjs.refreshAccess>[0]) =>
    void yjs.refreshAccess(match).catch((err: unknown) => logger.error({ err }, 'refreshing document access failed'));
  events.on('membershipChanged', (cid, uid) => refresh((p) => p.consultationId === cid && p.userId === uid));
  events.on('membershipRemoved', (cid, uid) => refresh((p) => p.consultationId === cid && p.userId === uid));
  events.on('consultationChanged', (c) => refresh((p) => p.consultationId === c.id));
  events.on('documentChanged', (d) => refresh((p) => p.consultationId === d.consultationId));
  events.on('sessionRevoked', (sessionId) => yjs.endSession(sessionId));

  const io = createSocketServer(server, {
    maxMessageBytes: config.limits.socketMessageBytes,
    originAllowed: (req) => origins.allowed(req),
    accounts,
    logger,
  });
  // Vite's hot reload has upgrades of its own in development.
  guardHttpServer(server, logger, config.dev ? ['/'] : [`${yjsPath}/`, '/socket.io/']);
  const onConsultation = consultationEvents(io, consultations, events, logger);
  const onComments = commentEvents(io, comments, events, logger, new CommentKeys(store, idempotencyTtlMs, logger));
  const onFacilitation = facilitated.sockets(io);
  const onNotifications = notificationEvents(io, notifications, logger);
  io.on('connection', (socket) => {
    onNotifications(socket);
    onConsultation(socket);
    onComments(socket);
    onFacilitation(socket);
  });
  // Members of consultations finished longer ago than the retention period are erased now and then on a timer.
  await privacy.start().catch((err: unknown) => logger.error({ err }, 'the retention sweep at start-up failed'));

  let closing: Promise<void> | undefined;
  return {
    http: server,
    rooms,
    updateLog,
    versions,
    pdf,
    minutes,
    privacy,
    mailer,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        privacy.stop();
        mailer.stop();
        await rooms.closeAll(CloseCode.goingAway, 'Server shutting down');
        await editSessions.close();
        await planExports.close();
        reportJobs.close();
        await layout.close();
        await pdf.close();
        yjs.close();
        await io.close().catch(() => undefined);
        server.closeAllConnections();
        await Promise.all([httpClosed, closeClient()]);
        events.removeAllListeners();
      })();
      return closing;
    },
  };
}
