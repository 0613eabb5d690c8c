import { z } from 'zod';
import { AddDecisionInput, CorrectSpeechInput, EditDecisionInput, EditNotesInput, Minutes } from '../../shared/minutes.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { MeetingMinutes } from './minutes.service.ts';

const DecisionParams = z.object({ id: z.uuid(), decisionId: z.uuid() });
const SpeechParams = z.object({ id: z.uuid(), speechId: z.uuid() });

/** Reading a meeting's minutes (members) and keeping them (facilitators); every edit answers with the minutes as they now are. */
export function minutesRoutes(api: ApiRegistry, minutes: MeetingMinutes): void {
  const tag = 'Minutes';
  api.add(
    { method: 'get', path: '/meetings/:id/minutes', tag, summary: "A meeting's minutes: agenda, who spoke (alias and group) and how long, polls, decisions and notes", params: IdParams, response: Minutes },
    ({ auth, params }) => minutes.get(auth.user._id, params.id),
  );
  api.add(
    { method: 'post', path: '/meetings/:id/minutes/decisions', tag, summary: 'Note a decision, under an agenda item or the current one (facilitators)', params: IdParams, body: AddDecisionInput, response: Minutes, status: 201, errors: ['conflict'] },
    ({ auth, params, body }) => minutes.addDecision(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'patch', path: '/meetings/:id/minutes/decisions/:decisionId', tag, summary: "Change a decision's text or agenda item (facilitators)", params: DecisionParams, body: EditDecisionInput, response: Minutes },
    ({ auth, params, body }) => minutes.editDecision(auth.user._id, params.id, params.decisionId, body),
  );
  api.add(
    { method: 'delete', path: '/meetings/:id/minutes/decisions/:decisionId', tag, summary: 'Remove a decision from the minutes (facilitators)', params: DecisionParams, response: Minutes },
    ({ auth, params }) => minutes.removeDecision(auth.user._id, params.id, params.decisionId),
  );
  api.add(
    { method: 'patch', path: '/meetings/:id/minutes/notes', tag, summary: 'Change the general notes or the notes per agenda item (facilitators)', params: IdParams, body: EditNotesInput, response: Minutes },
    ({ auth, params, body }) => minutes.editNotes(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'patch', path: '/meetings/:id/minutes/speeches/:speechId', tag, summary: 'Put a turn at the floor under another agenda item (facilitators)', params: SpeechParams, body: CorrectSpeechInput, response: Minutes },
    ({ auth, params, body }) => minutes.correctSpeech(auth.user._id, params.id, params.speechId, body),
  );
}
