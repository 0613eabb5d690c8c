import type { Store } from '../store/types.ts';
import type { Author } from '../../shared/comments.ts';
import { membershipsCollection } from '../members/members.repository.ts';
import { publicFace } from '../members/identity.ts';
import type { Attribution } from './types.ts';

/**
 * The wire form of an attribution, as comments show their authors: the
 * member's public face (member id, alias, role), never a name, with the
 * stakeholder group recorded when the change was made. Null for a membership
 * that no longer exists.
 */
export async function attributionAuthors(store: Store, consultationId: string): Promise<(a: Attribution | null) => Author | null> {
  const members = new Map((await membershipsCollection(store).find({ consultationId })).map((m) => [m._id, m]));
  return (a) => {
    const m = a && members.get(a.membershipId);
    return m ? { ...publicFace(m), group: a.group } : null;
  };
}
