/**
 * Presence (awareness) rules of a room, kept apart from the room and from
 * sockets: what a client's awareness state may hold, and which account each
 * Yjs client id belongs to.
 */
import type { Awareness } from 'y-protocols/awareness';
import { equalityDeep } from 'lib0/function';
import type { AwarenessUser } from '../../shared/collab.ts';
import type { AwarenessEntry } from './protocol.ts';

/**
 * Top-level fields that could pass for someone's identity. A client's are
 * dropped: the server sets `user` from the membership, and nobody may appear
 * under a name, alias, group, role or colour they chose themselves.
 */
const identityFields = new Set(['user', 'name', 'displayName', 'alias', 'group', 'role', 'color', 'colour', 'organisation', 'email']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isId = (v: unknown): boolean => v == null || (isObject(v) && isCount(v.client) && isCount(v.clock));

/** A Yjs relative position as `Y.relativePositionToJSON` writes one. */
function isRelativePosition(v: unknown): boolean {
  if (!isObject(v)) return false;
  const { type, tname, item, assoc } = v;
  return isId(type) && isId(item) && (tname == null || typeof tname === 'string') && (assoc == null || Number.isSafeInteger(assoc));
}

/** The editor's cursor: null, or an anchor and a head. Anything else would throw in everyone's editor as it drew it. */
const isCursor = (v: unknown): boolean => v === null || (isObject(v) && isRelativePosition(v.anchor) && isRelativePosition(v.head));

/**
 * A client's awareness state as the room keeps and relays it: the client's
 * identity fields removed, the server's `user` set, a malformed cursor
 * replaced by null. Other fields pass (the size limit bounds them; clients
 * read nothing else). Null when the state is not an object, which no editor
 * sends. Cheap: one shallow copy of a small object.
 */
export function stampState(state: unknown, user: AwarenessUser | undefined): Record<string, unknown> | null {
  if (!isObject(state)) return null;
  // fromEntries defines properties: a "__proto__" key stays a plain key.
  const kept = Object.fromEntries(Object.entries(state).filter(([key]) => !identityFields.has(key)));
  if ('cursor' in kept && !isCursor(kept.cursor)) kept.cursor = null;
  if (user) kept.user = user;
  return kept;
}

/**
 * Applies states already decoded (and stamped) to the room's awareness, as
 * y-protocols' `applyAwarenessUpdate` applies an encoded update: same clocks,
 * same events. Encoding the stamped states only for that function to parse
 * them again cost more than the rest of handling a cursor move together.
 */
export function applyStates(awareness: Awareness, entries: readonly AwarenessEntry[], origin: unknown): void {
  const timestamp = Date.now();
  const added: number[] = [];
  const updated: number[] = [];
  const filteredUpdated: number[] = [];
  const removed: number[] = [];
  for (const { clientId, clock, state } of entries) {
    if (clientId === awareness.clientID) continue; // the room's own id: nobody else's to set
    const meta = awareness.meta.get(clientId);
    const previous = awareness.states.get(clientId);
    const current = meta === undefined ? 0 : meta.clock;
    if (!(current < clock || (current === clock && state === null && awareness.states.has(clientId)))) continue;
    if (state === null) awareness.states.delete(clientId);
    else awareness.states.set(clientId, state as Record<string, unknown>);
    awareness.meta.set(clientId, { clock, lastUpdated: timestamp });
    if (meta === undefined && state !== null) added.push(clientId);
    else if (meta !== undefined && state === null) removed.push(clientId);
    else if (state !== null) {
      if (!equalityDeep(state, previous)) filteredUpdated.push(clientId);
      updated.push(clientId);
    }
  }
  if (added.length > 0 || filteredUpdated.length > 0 || removed.length > 0)
    awareness.emit('change', [{ added, updated: filteredUpdated, removed }, origin]);
  if (added.length > 0 || updated.length > 0 || removed.length > 0) awareness.emit('update', [{ added, updated, removed }, origin]);
}

/**
 * Which account first used each awareness client id in a room, for the
 * room's lifetime: after someone's connection drops, nobody else may publish
 * under their client id (their cursor, their label) — they themselves may, when
 * they reconnect. Past `perAccount` bindings, an account's oldest id without a
 * live state is forgotten, so spraying ids costs only the sprayer's own
 * protection. Ids with live states are never forgotten: there are at most as
 * many as the account's connections times the states each may hold.
 */
export class ClientIdBindings {
  readonly #accountOf = new Map<number, string>();
  readonly #idsOf = new Map<string, Set<number>>();

  constructor(
    private readonly perAccount: number,
    /** Whether a client id has a state in the room right now. */
    private readonly live: (clientId: number) => boolean,
  ) {}

  /** Whether `account` may publish under `clientId`; binds the id to it if nobody has used it yet. */
  claim(clientId: number, account: string): boolean {
    const bound = this.#accountOf.get(clientId);
    if (bound !== undefined) return bound === account;
    let ids = this.#idsOf.get(account);
    if (!ids) this.#idsOf.set(account, (ids = new Set()));
    if (ids.size >= this.perAccount) {
      for (const id of ids) {
        if (this.live(id)) continue;
        ids.delete(id);
        this.#accountOf.delete(id);
        break;
      }
    }
    ids.add(clientId);
    this.#accountOf.set(clientId, account);
    return true;
  }
}
