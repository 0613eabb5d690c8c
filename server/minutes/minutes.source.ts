import type { Minutes } from '../../shared/minutes.ts';

/**
 * What the consultation report reads the minutes through. The meetings side
 * implements it; the report only needs the minutes of a consultation's
 * meetings, oldest first, as a member with `viewerUserId` may see them.
 */
export interface MinutesSource {
  ofConsultation(consultationId: string, viewerUserId: string): Promise<Minutes[]>;
  /** One meeting's minutes, or null when there is no such meeting. */
  ofMeeting(meetingId: string, viewerUserId: string): Promise<Minutes | null>;
}
