import type { Store } from '../store/types.ts';
import type { Access } from '../members/access.ts';
import type { RoomRegistry } from '../collab/rooms.ts';
import type { MinutesSource } from '../minutes/minutes.source.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import type { Action } from '../../shared/permissions.ts';
import { stakeholderGroups, type StakeholderGroup } from '../../shared/groups.ts';
import { stances, type Author, type Thread } from '../../shared/comments.ts';
import { moderationStatuses } from '../../shared/moderation.ts';
import { fragmentName } from '../../shared/collab.ts';
import { withLiveDoc } from '../collab/proposals.ts';
import { documentsCollection } from '../documents/documents.repository.ts';
import { membershipsCollection } from '../members/members.repository.ts';
import { threadsCollection, type ThreadRecord } from '../comments/comments.repository.ts';
import { threadToWire } from '../comments/threads.view.ts';
import { moderationCollection } from '../moderation/moderation.repository.ts';
import { authorizeMeeting } from '../meetings/meeting-access.ts';
import { meetingsCollection } from '../meetings/meetings.repository.ts';
import { AppError } from '../errors.ts';
import type { Minutes } from '../../shared/minutes.ts';
import { labelsFor } from '../plan/labels.ts';
import { documentText, sectionOfAnchor } from './document-text.ts';
import type { Face, GroupParticipation, ModerationSummary, ReportData, ReportDocument, ReportThread, ThreadSection } from './report.data.ts';

/** Progress of a gathering: `done` of `total` steps so far. */
export type Progress = (done: number, total: number) => void;

/** Only an alias and a group, whatever else the record holds: the report names nobody. */
/** Stored authors keep the face they had when they wrote; whether the person has since been erased comes from the memberships. */
const faceOf =
  (former: ReadonlySet<string>) =>
  (a: Pick<Author, 'memberId' | 'alias' | 'group' | 'former'>): Face => ({ alias: a.alias, group: a.group, ...(a.former || former.has(a.memberId) ? { former: true } : {}) });

/**
 * Gathers a consultation's report: every document's text as the live room
 * holds it (after adoption, the adopted text), its threads by section, the
 * minutes of every meeting, participation and moderation counts by group.
 *
 * Identities: aliases and stakeholder groups only, for every reader,
 * facilitators included. The file leaves the app (to a ministry, an NHRI,
 * OHCHR), where the app's rule of who may see whose name no longer holds, so
 * it takes the setting that exposes the fewest people. Comment bodies come
 * through the same wire view every member gets, so a hidden comment's words
 * never reach it; moderation appears only as counts.
 */
export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly rooms: RoomRegistry,
    private readonly minutes: MinutesSource,
  ) {}

  /** Refuses (404 for non-members, 403 for a role the table does not allow) before any job starts. */
  authorize(userId: string, consultationId: string, action: Action = 'report.export') {
    return this.access.authorize(userId, consultationId, action);
  }

  /** The minutes of one meeting, for whoever may take them away (`minutes.export`); 404 for non-members. */
  async meetingMinutes(userId: string, meetingId: string): Promise<Minutes> {
    await authorizeMeeting(this.store, this.access, userId, meetingId, 'minutes.export');
    const minutes = await this.minutes.ofMeeting(meetingId, userId);
    if (!minutes) throw AppError.notFound('Meeting');
    return minutes;
  }

  async gather(userId: string, consultationId: string, locale: Locale, progress: Progress = () => undefined): Promise<ReportData> {
    const { consultation } = await this.authorize(userId, consultationId);
    const t = labelsFor(locale);
    const documents = (await documentsCollection(this.store).find({ consultationId }, { sort: { createdAt: 1 } })).filter((d) => !d.archivedAt);
    const meetingCount = await meetingsCollection(this.store).countDocuments({ consultationId });
    // One step per document, one for the minutes of all meetings (weighted by their number), one for the counts; the layout adds one.
    const total = documents.length + Math.max(1, meetingCount) + 2;
    let done = 0;
    const step = (n = 1) => progress((done += n), total);

    const records: ThreadRecord[] = [];
    const reportDocuments: ReportDocument[] = [];
    const face = faceOf(new Set((await membershipsCollection(this.store).find({ consultationId, formerSince: { $exists: true } })).map((m) => m._id)));
    for (const document of documents) {
      const threads = await threadsCollection(this.store).find({ documentId: document._id }, { sort: { createdAt: 1 } });
      records.push(...threads);
      const untitled = t('report.untitledSection');
      // Text and anchors read in one synchronous step: no edit lands between them.
      const { blocks, placed, order } = await withLiveDoc(this.rooms, document._id, (doc) => {
        const text = documentText(doc.getXmlFragment(fragmentName), untitled);
        return { blocks: text.blocks, order: text.order, placed: threads.map((r) => ({ r, section: sectionOfAnchor(text, r.anchor, doc) })) };
      });
      const bySection = new Map<string | null, ReportThread[]>();
      for (const { r, section } of placed) bySection.set(section, [...(bySection.get(section) ?? []), reportThread(threadToWire(r), face)]);
      const sections: ThreadSection[] = [...order, null].filter((s) => bySection.has(s)).map((title) => ({ title, threads: bySection.get(title)! }));
      reportDocuments.push({ title: document.title.trim() || t('export.docx.untitled'), blocks, sections });
      step();
    }

    const minutes = await this.minutes.ofConsultation(consultationId, userId);
    step(Math.max(1, meetingCount));

    const participation = await this.participation(consultationId, records, minutes);
    const moderation = await this.moderation(consultationId, records);
    step();

    return {
      locale,
      title: consultation.title,
      country: consultation.country,
      phase: consultation.phase,
      generatedAt: new Date().toISOString(),
      documents: reportDocuments,
      participation,
      minutes,
      moderation,
    };
  }

  async participation(consultationId: string, threads: ThreadRecord[], minutes: Minutes[]): Promise<GroupParticipation[]> {
    const rows = new Map<StakeholderGroup, GroupParticipation>(
      stakeholderGroups.map((group) => [group, { group, invited: 0, joined: 0, active: 0, comments: 0, positions: 0, proposals: 0, accepted: 0, speakingSeconds: 0 }]),
    );
    const row = (g: StakeholderGroup) => rows.get(g)!;
    const invitations = await this.store
      .collection<{ _id: string; consultationId: string; group: StakeholderGroup; maxUses: number; remaining: number; revoked: boolean }>('invitations')
      .find({ consultationId });
    // Places offered: a link's uses; a revoked link only the places taken before it was withdrawn.
    for (const i of invitations) row(i.group).invited += i.revoked ? i.maxUses - i.remaining : i.maxUses;
    const members = await membershipsCollection(this.store).find({ consultationId });
    const groupOf = new Map(members.map((m) => [m._id, m.group]));
    for (const m of members) row(m.group).joined++;

    // Active: wrote, took a position, proposed or spoke; counted once, in the group they are in now.
    const active = new Set<string>();
    for (const t of threads) {
      for (const c of t.comments) {
        active.add(c.author.memberId);
        if (!c.deleted) row(c.author.group).comments++;
      }
      for (const [memberId, p] of Object.entries(t.positions)) {
        active.add(memberId);
        row(p.group).positions++;
      }
      const opener = t.comments[0]?.author;
      if (t.proposal && opener) {
        row(opener.group).proposals++;
        if (t.proposal.status === 'accepted') row(opener.group).accepted++;
      }
    }
    for (const m of minutes)
      for (const s of m.speeches) {
        active.add(s.speaker.memberId);
        row(s.speaker.group).speakingSeconds += s.seconds;
      }
    for (const memberId of active) {
      const g = groupOf.get(memberId);
      if (g) row(g).active++;
    }
    return [...rows.values()];
  }

  async moderation(consultationId: string, threads: ThreadRecord[]): Promise<ModerationSummary> {
    const reported = Object.fromEntries(moderationStatuses.map((s) => [s, 0])) as ModerationSummary['reported'];
    for (const item of await moderationCollection(this.store).find({ consultationId })) reported[item.status]++;
    const reasons = new Map<string, number>();
    // Only the reason members already see in place of a hidden comment, never what the comment said.
    for (const t of threads) for (const c of t.comments) if (c.hidden && !c.deleted) reasons.set(c.hidden.reason, (reasons.get(c.hidden.reason) ?? 0) + 1);
    return { reported, hiddenByReason: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)) };
  }
}

function reportThread(t: Thread, face: (a: Author) => Face): ReportThread {
  return {
    quote: t.anchor.quote,
    group: t.comments[0]?.author.group ?? 'other',
    status: t.status,
    comments: t.comments.map((c) => ({
      author: face(c.author),
      body: c.body,
      state: c.deleted ? 'deleted' : c.hidden ? 'hidden' : 'shown',
      createdAt: c.createdAt,
    })),
    positions: stakeholderGroups
      .map((group) => ({ group, counts: t.counts[group] }))
      .filter((p) => stances.some((s) => p.counts[s] > 0)),
    proposal: t.proposal && {
      text: t.proposal.text,
      status: t.proposal.status,
      reason: t.proposal.reason,
      decidedBy: t.proposal.decidedBy && face(t.proposal.decidedBy),
      replaced: t.proposal.replaced,
    },
  };
}
