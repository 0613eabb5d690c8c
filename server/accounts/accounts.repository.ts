import type { Collection, Store } from '../store/types.ts';
import type { Locale } from '../../shared/accounts.ts';

export interface UserRecord {
  _id: string;
  email: string;
  passwordHash: string;
  displayName: string;
  language: Locale;
  createdAt: string;
}

/** A sign-in. `_id` is the SHA-256 of the cookie token, so a leaked database holds no usable session. */
export interface SessionRecord {
  _id: string;
  /** A public handle for listing and revoking, unrelated to the token. */
  publicId: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export const usersCollection = (store: Store): Collection<UserRecord> => store.collection<UserRecord>('users');
export const sessionsCollection = (store: Store): Collection<SessionRecord> => store.collection<SessionRecord>('sessions');

export async function ensureAccountIndexes(store: Store): Promise<void> {
  await usersCollection(store).createIndex({ email: 1 }, { unique: true });
  await sessionsCollection(store).createIndex({ userId: 1 });
  await sessionsCollection(store).createIndex({ publicId: 1 }, { unique: true });
}
