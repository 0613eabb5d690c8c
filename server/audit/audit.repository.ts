import type { Collection, Store } from '../store/types.ts';
import type { AuditAction, AuditEntry } from '../../shared/audit.ts';

export interface AuditRecord {
  _id: string;
  consultationId: string;
  action: AuditAction;
  actor: AuditEntry['actor'];
  subject: AuditEntry['subject'];
  reason: string | null;
  details: AuditEntry['details'];
  createdAt: string;
}

/**
 * The audit log is append-only: this repository can add an entry and read
 * entries, and nothing else — there is deliberately no update or delete for
 * any code path to reach.
 */
export interface AuditRepository {
  insert(entry: AuditRecord): Promise<void>;
  find: Collection<AuditRecord>['find'];
}

export function auditRepository(store: Store): AuditRepository {
  const collection = store.collection<AuditRecord>('audit');
  return {
    insert: (entry) => collection.insertOne(entry),
    find: (filter, options) => collection.find(filter, options),
  };
}

export async function ensureAuditIndexes(store: Store): Promise<void> {
  await store.collection<AuditRecord>('audit').createIndex({ consultationId: 1, createdAt: -1 });
}
