import type { UpdateLog } from '../collab/persistence.ts';
import type { RoomRegistry } from '../collab/rooms.ts';
import type { AttributionIndex } from './types.ts';
import { RunsIndex } from './attribution.index.ts';

/**
 * Who inserted and deleted each item of a document: every run stored with its
 * update log, and what its room (if loaded) holds that is not stored yet.
 * Read the room first: a write that lands meanwhile is then read from the log
 * as well, and a range read twice counts once.
 */
export async function loadAttribution(docId: string, log: UpdateLog, rooms: RoomRegistry): Promise<AttributionIndex> {
  const pending = await rooms.pendingAttribution(docId);
  const stored = await log.attribution(docId);
  return new RunsIndex([...stored, ...pending]);
}

/** `loadAttribution` bound to a server's log and rooms: what the history routes and the diff take. */
export const attributionLoader =
  (log: UpdateLog, rooms: RoomRegistry) =>
  (docId: string): Promise<AttributionIndex> =>
    loadAttribution(docId, log, rooms);
