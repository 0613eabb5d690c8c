import type { Store } from '../store/types.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { documentsCollection } from '../documents/documents.repository.ts';
import { membershipsCollection } from '../members/members.repository.ts';
import type { EditSession } from './attribution.sessions.ts';

/**
 * Writes an ended editing session to the audit log as `document.edited`, in
 * the member's name with the group they edited as: characters inserted and
 * deleted. A member removed since is written with no actor (the membership
 * id stays in the details).
 */
export function editSessionAudit(store: Store, audit: AuditLog): (session: EditSession) => Promise<void> {
  const documents = documentsCollection(store);
  const memberships = membershipsCollection(store);
  return async ({ docId, editor, inserted, deleted }) => {
    const [document, membership] = await Promise.all([documents.findOne({ _id: docId }), memberships.findOne({ _id: editor.membershipId })]);
    if (!document) return;
    await audit.record(document.consultationId, membership && { ...membership, group: editor.group }, 'document.edited', {
      subject: { type: 'document', id: docId, name: document.title },
      details: { documentId: docId, inserted, deleted, ...(membership ? {} : { memberId: editor.membershipId }) },
    });
  };
}
