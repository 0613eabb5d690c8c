import type { Consultation, DocumentMeta } from '../../../shared/schemas.ts';
import { phases } from '../../../shared/groups.ts';
import { can } from '../../../shared/permissions.ts';
import type { MessageKey } from './i18n/i18n.svelte.ts';

/**
 * Why you cannot edit a document's text right now, or null when you can.
 * Read from the shared permission table, so that it always agrees with the
 * server; the document page and the plan's table both ask here.
 */
export function readOnlyReason(meta: DocumentMeta | null, consultation: Consultation | null): MessageKey | null {
  if (!meta || !consultation) return null;
  const { role } = consultation.you;
  const { phase } = consultation;
  if (phase === 'adopted') return 'readonly.adopted';
  if (!can(role, phase, 'document.edit')) {
    const editsInSomePhase = phases.some((p) => can(role, p, 'document.edit'));
    if (!editsInSomePhase) return role === 'contributor' ? 'readonly.contributor' : role === 'observer' ? 'readonly.observer' : 'readonly.role';
    return 'readonly.phase';
  }
  if (meta.archivedAt) return 'readonly.archived';
  if (meta.locked) return 'readonly.locked';
  return null;
}
