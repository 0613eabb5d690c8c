import type { Phase } from './groups.ts';

export const roles = ['facilitator', 'drafter', 'contributor', 'observer'] as const;
export type Role = (typeof roles)[number];

/**
 * Everything a member may try to do in a consultation. The server checks each
 * one on every channel through `can`; the client reads the same table to
 * decide what to show.
 */
export const actions = [
  'consultation.view',
  'consultation.update',
  'consultation.changePhase',
  'members.view',
  'members.manage',
  'invitations.manage',
  'document.create',
  'document.view',
  'document.edit',
  'document.lock',
  'document.rename',
  'document.archive',
  'comment.view',
  'comment.create',
  'comment.reply',
  'comment.position',
  'comment.resolve',
  'proposal.decide',
  'meeting.view',
  'meeting.manage',
  'meeting.attend',
  'meeting.speak',
  'poll.manage',
  'poll.vote',
  'moderation.flag',
  'moderation.manage',
  'audit.view',
  'identity.choose',
  'votes.view',
  'recommendation.view',
  'recommendation.import',
  'recommendation.edit',
  'plan.structure',
  'plan.link',
  'version.create',
  'version.restore',
  'minutes.view',
  'minutes.edit',
  'archive.export',
  'report.export',
  'minutes.export',
] as const;
export type Action = (typeof actions)[number];

const everyone = ['facilitator', 'drafter', 'contributor', 'observer'] as const satisfies readonly Role[];
const facilitators = ['facilitator'] as const satisfies readonly Role[];
const penHolders = ['facilitator', 'drafter'] as const satisfies readonly Role[];
const none = [] as const satisfies readonly Role[];
const speakers = ['facilitator', 'drafter', 'contributor'] as const satisfies readonly Role[];

type Row = Record<Phase, readonly Role[]>;
const inEveryPhase = (who: readonly Role[]): Row => ({
  preparation: who,
  drafting: who,
  open_for_comment: who,
  closed: who,
  adopted: who,
});

/**
 * The permission table: action × phase → the roles allowed. Once a plan is
 * adopted it is a record: nobody edits it, adds to it or changes who is in it.
 */
export const permissionTable: Record<Action, Row> = {
  'consultation.view': inEveryPhase(everyone),
  'consultation.update': { ...inEveryPhase(facilitators), adopted: none },
  'consultation.changePhase': { ...inEveryPhase(facilitators), adopted: none },
  'members.view': inEveryPhase(everyone),
  'members.manage': { ...inEveryPhase(facilitators), adopted: none },
  'invitations.manage': { ...inEveryPhase(facilitators), adopted: none },
  'document.create': { ...inEveryPhase(penHolders), adopted: none },
  'document.view': inEveryPhase(everyone),
  'document.edit': { ...inEveryPhase(penHolders), adopted: none },
  'document.lock': { ...inEveryPhase(facilitators), adopted: none },
  // The pen-holders who add documents may fix their titles; taking one out of the plan is the facilitators' call.
  'document.rename': { ...inEveryPhase(penHolders), adopted: none },
  'document.archive': { ...inEveryPhase(facilitators), adopted: none },
  'comment.view': inEveryPhase(everyone),
  // Contributors comment only while the draft is open for comment; the pen-holders annotate throughout drafting.
  'comment.create': { preparation: penHolders, drafting: penHolders, open_for_comment: speakers, closed: none, adopted: none },
  // Drafters may still answer comments after the comment period closes.
  'comment.reply': { preparation: penHolders, drafting: penHolders, open_for_comment: speakers, closed: penHolders, adopted: none },
  'comment.position': { preparation: none, drafting: none, open_for_comment: speakers, closed: none, adopted: none },
  'comment.resolve': { ...inEveryPhase(penHolders), adopted: none },
  'proposal.decide': { ...inEveryPhase(penHolders), adopted: none },
  // Meetings: anyone may follow them; nothing new happens in one once the plan is adopted.
  'meeting.view': inEveryPhase(everyone),
  'meeting.manage': { ...inEveryPhase(facilitators), adopted: none },
  'meeting.attend': { ...inEveryPhase(everyone), adopted: none },
  // Observers attend but do not take the floor.
  'meeting.speak': { ...inEveryPhase(speakers), adopted: none },
  'poll.manage': { ...inEveryPhase(facilitators), adopted: none },
  'poll.vote': { ...inEveryPhase(speakers), adopted: none },
  // Any member may report a comment; only facilitators act on reports.
  'moderation.flag': { ...inEveryPhase(everyone), adopted: none },
  'moderation.manage': { ...inEveryPhase(facilitators), adopted: none },
  // The record of who did what stays readable for good, adopted plans included.
  'audit.view': inEveryPhase(facilitators),
  // Whether to show your own name to other members: yours to give or withdraw at any time, adopted plans included.
  'identity.choose': inEveryPhase(everyone),
  // Who voted what in a poll that is not anonymous: facilitators only, like the audit log.
  'votes.view': inEveryPhase(facilitators),
  // The recommendations register: every member reads it; the pen-holders import and correct it until the plan is adopted.
  'recommendation.view': inEveryPhase(everyone),
  'recommendation.import': { ...inEveryPhase(penHolders), adopted: none },
  'recommendation.edit': { ...inEveryPhase(penHolders), adopted: none },
  // The plan's shape (adding, removing, reordering goals, objectives, actions): once comments close, only the facilitator changes what people commented on.
  'plan.structure': { preparation: penHolders, drafting: penHolders, open_for_comment: penHolders, closed: facilitators, adopted: none },
  // Which recommendations and SDG targets an action follows up: the pen-holders' call until the plan is adopted.
  'plan.link': { ...inEveryPhase(penHolders), adopted: none },
  // Naming a version of a document (reading versions follows document.view): the pen-holders' call until adoption, which makes the last one.
  'version.create': { ...inEveryPhase(penHolders), adopted: none },
  // Bringing an earlier version's text back, as a new change: the facilitators' call until the plan is adopted.
  'version.restore': { ...inEveryPhase(facilitators), adopted: none },
  // Session minutes: every member reads them; facilitators note decisions and edit them until the plan is adopted.
  'minutes.view': inEveryPhase(everyone),
  'minutes.edit': { ...inEveryPhase(facilitators), adopted: none },
  // Taking the whole consultation away as one file (server/archive/): names, hidden comments and the audit log are in it, so facilitators only; an adopted plan most of all.
  'archive.export': inEveryPhase(facilitators),
  // The consultation report (threads, positions and participation by group): the pen-holders' working summary in every
  // phase; once the plan is adopted it is the record handed over, and every member, who wants to see that they were heard, takes it away.
  'report.export': { ...inEveryPhase(penHolders), adopted: everyone },
  // A meeting's minutes as a file: whoever may follow the meeting (meeting.view) may take its minutes away.
  'minutes.export': inEveryPhase(everyone),
};

/**
 * What a muted member may not do until the mute expires, whatever the table
 * says: speak in writing (comments, replies, positions) or in a meeting
 * (raising a hand, being given the floor). Reading, attending and voting stay open.
 */
export const actionsBlockedWhenMuted = ['comment.create', 'comment.reply', 'comment.position', 'meeting.speak'] as const satisfies readonly Action[];

export function blockedWhenMuted(action: Action): boolean {
  return (actionsBlockedWhenMuted as readonly Action[]).includes(action);
}

export function can(role: Role, phase: Phase, action: Action): boolean {
  return permissionTable[action][phase].includes(role);
}

/**
 * The phases a facilitator may move a consultation to from each phase: one
 * step on, or one step back to reopen; adoption is final.
 */
export const phaseTransitions: Record<Phase, readonly Phase[]> = {
  preparation: ['drafting'],
  drafting: ['preparation', 'open_for_comment'],
  open_for_comment: ['drafting', 'closed'],
  closed: ['open_for_comment', 'adopted'],
  adopted: [],
};
