import type { Store } from '../store/types.ts';
import type { Action } from '../../shared/permissions.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { Access, Granted } from '../members/access.ts';
import { meetingsCollection, type MeetingRecord } from './meetings.repository.ts';

/** The meeting, for someone allowed `action` in its consultation; to anyone else it does not exist (404). */
export async function authorizeMeeting(store: Store, access: Access, userId: string, meetingId: string, action: Action): Promise<Granted & { meeting: MeetingRecord }> {
  const meeting = await meetingsCollection(store).findOne({ _id: meetingId });
  if (!meeting) throw AppError.notFound('Meeting');
  try {
    return { ...(await access.authorize(userId, meeting.consultationId, action)), meeting };
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.notFound) throw AppError.notFound('Meeting');
    throw err;
  }
}
