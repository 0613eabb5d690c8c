import type { AuditEntry } from '../../shared/audit.ts';
import type { Role } from '../../shared/permissions.ts';
import { identityVisible } from '../members/identity.ts';
import type { ConsultationRecord } from '../consultations/consultations.repository.ts';
import type { MembershipRecord } from '../members/members.repository.ts';

type Viewer = Pick<MembershipRecord, '_id' | 'role'>;
type Consultation = Pick<ConsultationRecord, 'hideIdentities' | 'hidingEpoch'>;

/**
 * The log as `viewer` may read it, by the one rule of `identityVisible`: each
 * member named in an entry (its actor, a member it is about) carries their
 * alias, and their name only where the viewer may see who they are — as the
 * member is now, so a member who has since hidden their name is hidden in
 * earlier entries too. Facilitators, the log's readers today, see every name
 * (they moderate); the rule is applied anyway so that the log and its CSV
 * cannot show more than the member list would, whoever reads them.
 *
 * A member removed since is judged by the role the entry recorded, as someone
 * who never chose to be named; their alias is the one the entry kept.
 */
export function withIdentities(entries: AuditEntry[], consultation: Consultation, viewer: Viewer, members: ReadonlyMap<string, MembershipRecord>): AuditEntry[] {
  const face = (memberId: string, role: Role, alias: number | undefined) => {
    const member = members.get(memberId);
    return {
      visible: identityVisible(consultation, viewer, member ?? { _id: memberId, role, namedInEpoch: null }),
      alias: alias ?? member?.alias,
    };
  };
  return entries.map((e) => {
    let { actor, subject } = e;
    if (actor) {
      const { visible, alias } = face(actor.memberId, actor.role, actor.alias);
      actor = { ...actor, displayName: visible ? actor.displayName : '', ...(alias === undefined ? {} : { alias }) };
    }
    if (subject?.type === 'member') {
      // A member's role at the time is in the entry's details where it matters; unknown, they count as a contributor.
      const role = (members.get(subject.id)?.role ?? 'contributor') satisfies Role;
      const { visible, alias } = face(subject.id, role, subject.alias);
      subject = { ...subject, name: visible ? subject.name : null, ...(alias === undefined ? {} : { alias }) };
    }
    return { ...e, actor, subject };
  });
}
