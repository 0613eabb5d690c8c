import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { parse } from 'csv-parse/sync';
import { addMember, createDocument, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually, rawYjsSocket, updateFrame, type RawSocket } from './helpers/yjs.ts';
import { planBlock, writePlan } from './helpers/plan.ts';
import { fragmentName } from '../shared/collab.ts';
import { planSchemaVersion, schemaParam } from '../shared/plan.ts';
import type { AuditEntry } from '../shared/audit.ts';
import { inspectPlanUpdate, linkRefusal, structureRefusal } from '../server/collab/plan-check.ts';

/**
 * The plan's structure on the server: where blocks may go, unique ids, who may
 * reshape the plan or change its links (plan.structure, plan.link), and the
 * audit log of link changes — over real Yjs connections.
 */

/** The reasons the server gave in-band (y-websocket's auth message). */
function refusals(raw: RawSocket): string[] {
  return raw.messages
    .filter((m) => m[0] === 2)
    .map((m) => {
      const d = decoding.createDecoder(m);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      return decoding.readVarString(d);
    });
}

async function storedDoc(s: TestServer, docId: string): Promise<Y.Doc> {
  await s.server.rooms.flushAll();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await s.server.updateLog.load(docId)).update);
  return doc;
}

/** A change made on a copy of `base`, encoded as the update from `base` (as a client would send it). */
function changeOf(base: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}

const body = (doc: Y.Doc) => doc.getXmlFragment(fragmentName);
const goal = (doc: Y.Doc) => body(doc).get(0) as Y.XmlElement;
const objective = (doc: Y.Doc) => goal(doc).get(1) as Y.XmlElement;
const action = (doc: Y.Doc, i = 0) => objective(doc).get(1 + i) as Y.XmlElement;
const actionIds = (doc: Y.Doc) =>
  objective(doc)
    .toArray()
    .slice(1)
    .map((a) => (a as Y.XmlElement).getAttribute('id'));

/** One goal, one objective, two actions (a1 linked to R-1 and SDG 16.3). */
const plan = [
  {
    id: 'g1',
    title: 'Access to justice',
    objectives: [
      {
        id: 'o1',
        title: 'Faster trials',
        actions: [
          { id: 'a1', title: 'Train magistrates', attrs: { recommendations: ['R-1'], sdgTargets: ['16.3'] } },
          { id: 'a2', title: 'Hire clerks', attrs: { recommendations: ['R-2'] } },
        ],
      },
    ],
  },
];

/** A server, a document holding the plan, stored, and its facilitator. */
async function planned() {
  const s = await startServer();
  const { owner, consultation, document } = await createDocument(s.url);
  const editor = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await editor.synced;
  writePlan(body(editor.doc), plan);
  await eventually(async () => body(await storedDoc(s, document.id)).length === 1, 'the plan to be stored');
  return { s, owner, consultation, document, editor };
}

/** Sends updates made on the stored document over a bare connection; resolves once that many answers came back or were applied. */
async function send(s: TestServer, docId: string, as: TestUser, ...changes: ((copy: Y.Doc) => void)[]): Promise<{ raw: RawSocket; base: Y.Doc }> {
  const base = await storedDoc(s, docId);
  // Declares the current schema, as the browser does: an older client may not delete plan blocks at all.
  const raw = rawYjsSocket(s.wsUrl, `${docId}?${schemaParam}=${planSchemaVersion}`, as.cookie);
  await raw.open;
  for (const change of changes) raw.ws.send(updateFrame(changeOf(base, change)));
  return { raw, base };
}

describe('where the plan’s blocks may go', () => {
  const misplaced: Record<string, [(doc: Y.Doc) => void, RegExp]> = {
    'an action outside an objective': [(d) => body(d).insert(1, [planBlock('planAction', { id: 'x1' }, 'Loose action')]), /an action can only be placed inside an objective/],
    'an action directly in a goal': [(d) => goal(d).insert(goal(d).length, [planBlock('planAction', { id: 'x1' }, 'In a goal')]), /an action can only be placed inside an objective/],
    'an objective outside a goal': [(d) => body(d).insert(1, [planBlock('planObjective', { id: 'x1' }, 'Loose objective')]), /an objective can only be placed inside a goal/],
    'a goal inside an objective': [(d) => objective(d).insert(objective(d).length, [planBlock('planGoal', { id: 'x1' }, 'Nested goal')]), /a goal can only be placed at the top of the document/],
    'a goal inside another root than the body': [(d) => d.getXmlFragment('other').insert(0, [planBlock('planGoal', { id: 'x1' }, 'Elsewhere')]), /a goal can only be placed at the top/],
    'a title in a paragraph': [
      (d) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlElement('planTitle')]);
        body(d).insert(1, [p]);
      },
      /a title can only begin a goal, objective or action/,
    ],
  };
  for (const [what, [change, message]] of Object.entries(misplaced)) {
    it(`refuses ${what} in-band, keeps the sender connected, and stores nothing of it`, async () => {
      const { s, owner, document, editor } = await planned();
      const { raw } = await send(s, document.id, owner, change, (d) => action(d).setAttribute('lead', 'Judiciary'));
      await eventually(() => action(editor.doc).getAttribute('lead') === 'Judiciary', 'the valid change after it');
      expect(refusals(raw)).toHaveLength(1);
      expect(refusals(raw)[0]).toMatch(message);
      expect(raw.ws.readyState).toBe(raw.ws.OPEN);
      const stored = await storedDoc(s, document.id);
      expect(body(stored).length).toBe(1);
      expect(JSON.stringify(stored.toJSON())).not.toMatch(/x1|Loose|Nested|Elsewhere/);
      expect(actionIds(stored)).toEqual(['a1', 'a2']);
    });
  }

  it('takes blocks where they belong, in one update with their children', async () => {
    const { s, owner, document } = await planned();
    const { raw } = await send(s, document.id, owner, (d) =>
      body(d).insert(1, [planBlock('planGoal', { id: 'g2' }, 'Freedom of expression', '', [planBlock('planObjective', { id: 'o2' }, 'Protect journalists', '', [planBlock('planAction', { id: 'a3' }, 'Train police')])])]),
    );
    await eventually(async () => body(await storedDoc(s, document.id)).length === 2, 'the new goal to be stored');
    expect(refusals(raw)).toEqual([]);
  });
});

describe('block ids', () => {
  it('refuses a block whose id another live block holds, and one update that creates two with the same id', async () => {
    const { s, owner, document } = await planned();
    const { raw } = await send(
      s,
      document.id,
      owner,
      (d) => objective(d).insert(objective(d).length, [planBlock('planAction', { id: 'a1' }, 'A copy')]),
      (d) => objective(d).insert(objective(d).length, [planBlock('planAction', { id: 'a9' }, 'One'), planBlock('planAction', { id: 'a9' }, 'Two')]),
      (d) => goal(d).insert(goal(d).length, [planBlock('planObjective', { id: 'a2' }, 'An objective with an action’s id')]),
    );
    await eventually(() => refusals(raw).length === 3, 'three refusals');
    expect(refusals(raw)[0]).toMatch(/planAction: the id "a1" is already used by another block/);
    expect(refusals(raw)[1]).toMatch(/the id "a9" is already used/);
    expect(refusals(raw)[2]).toMatch(/planObjective: the id "a2" is already used/);
    expect(actionIds(await storedDoc(s, document.id))).toEqual(['a1', 'a2']);
  });

  it('takes a block deleted and made again with its id in one update (a cut and paste), and two blocks exchanging ids (a move)', async () => {
    const { s, owner, document, editor } = await planned();
    const { raw } = await send(
      s,
      document.id,
      owner,
      (d) =>
        d.transact(() => {
          // a1 cut from the first place and pasted last, keeping its id and links.
          objective(d).delete(1, 1);
          objective(d).insert(objective(d).length, [planBlock('planAction', { id: 'a1', recommendations: ['R-1'], sdgTargets: ['16.3'] }, 'Train magistrates')]);
        }),
    );
    await eventually(() => actionIds(editor.doc).join() === 'a2,a1', 'the cut and paste');
    // The editor's way of swapping two blocks: each rewritten in place as the other.
    const { raw: raw2 } = await send(s, document.id, owner, (d) =>
      d.transact(() => {
        const [first, second] = [action(d, 0), action(d, 1)];
        first.setAttribute('id', 'a1');
        second.setAttribute('id', 'a2');
      }),
    );
    await eventually(() => actionIds(editor.doc).join() === 'a1,a2', 'the exchange of ids');
    expect([...refusals(raw), ...refusals(raw2)]).toEqual([]);
  });
});

describe('plan.structure and plan.link in the room', () => {
  /** A document with a plan whose drafter is connected, in a consultation moved on to `closed`. */
  async function closedWithDrafter() {
    const p = await planned();
    const drafter = await addMember(p.s.url, p.owner, p.consultation.id, 'drafter', 'government');
    for (const phase of ['drafting', 'open_for_comment', 'closed'])
      expect((await p.owner.call('POST', `/consultations/${p.consultation.id}/phase`, { phase })).status).toBe(200);
    return { ...p, drafter };
  }

  it('lets a drafter type and edit fields once comments are closed, but not add, remove or move a block; told in-band', async () => {
    const { s, document, drafter, editor } = await closedWithDrafter();
    const { raw } = await send(
      s,
      document.id,
      drafter,
      (d) => objective(d).insert(objective(d).length, [planBlock('planAction', { id: 'a3' }, 'New action')]),
      (d) => objective(d).delete(2, 1),
      (d) =>
        d.transact(() => {
          action(d, 0).setAttribute('id', 'a2');
          action(d, 1).setAttribute('id', 'a1');
        }),
      (d) => {
        ((action(d).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Better ');
        action(d).setAttribute('lead', 'Judiciary');
        // The same links again: no change of links.
        action(d).setAttribute('sdgTargets', ['16.3'] as never);
      },
    );
    await eventually(() => action(editor.doc).getAttribute('lead') === 'Judiciary', 'the typing and field change');
    expect(refusals(raw)).toEqual([0, 1, 2].map(() => expect.stringContaining(structureRefusal)));
    const stored = await storedDoc(s, document.id);
    expect(actionIds(stored)).toEqual(['a1', 'a2']);
    expect((action(stored).get(0) as Y.XmlElement).toString()).toContain('Better Train magistrates');
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
  });

  it('follows a phase change on an open connection: refused once closed, allowed again when reopened', async () => {
    const { s, owner, consultation, document, drafter, editor } = await closedWithDrafter();
    const raw = rawYjsSocket(s.wsUrl, document.id, drafter.cookie);
    await raw.open;
    const addAction = (id: string) => changeOf(editor.doc, (d) => objective(d).insert(objective(d).length, [planBlock('planAction', { id }, id)]));
    raw.ws.send(updateFrame(addAction('while-closed')));
    await eventually(() => refusals(raw).length === 1, 'the refusal');
    expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase: 'open_for_comment' })).status).toBe(200);
    // The rights are refreshed in the background: sent again until it goes through.
    await eventually(async () => {
      raw.ws.send(updateFrame(addAction('reopened')));
      await new Promise((r) => setTimeout(r, 100));
      return actionIds(editor.doc).includes('reopened');
    }, 'the reopened phase to allow it');
    expect(actionIds(editor.doc)).not.toContain('while-closed');
  });

  it('refuses a change of links from a writer without plan.link, and takes their other edits', async () => {
    const { s, owner, document, editor } = await planned();
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    // No role has document.edit without plan.link today; the room enforces the right on its own all the same.
    await eventually(() => [...s.server.rooms.loaded()].some((r) => [...r.connections].some((c) => c.principal?.userId === owner.me.id)), 'the connection');
    for (const room of s.server.rooms.loaded()) for (const c of room.connections) if (c.principal?.userId === owner.me.id) c.planRights = { structure: true, link: false };
    raw.ws.send(updateFrame(changeOf(editor.doc, (d) => action(d).setAttribute('recommendations', ['R-1', 'R-3'] as never))));
    raw.ws.send(updateFrame(changeOf(editor.doc, (d) => objective(d).insert(objective(d).length, [planBlock('planAction', { id: 'a4', sdgTargets: ['5.1'] }, 'Linked from the start')]))));
    raw.ws.send(updateFrame(changeOf(editor.doc, (d) => action(d).setAttribute('lead', 'Judiciary'))));
    await eventually(() => action(editor.doc).getAttribute('lead') === 'Judiciary', 'the field change');
    expect(refusals(raw)).toEqual([expect.stringContaining(linkRefusal), expect.stringContaining(linkRefusal)]);
    expect(action(editor.doc).getAttribute('recommendations')).toEqual(['R-1']);
  });
});

describe('the typing fast path', () => {
  it('decides on a typing update without looking at the document, whatever the sender’s rights', () => {
    const client = new Y.Doc();
    writePlan(body(client), plan);
    const before = Y.encodeStateVector(client);
    ((action(client).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(3, 'x');
    const { structs, ds } = Y.decodeUpdate(Y.encodeStateAsUpdate(client, before));
    const untouchable = new Proxy({} as Y.Doc, {
      get: () => {
        throw new Error('the document was looked at');
      },
    });
    expect(inspectPlanUpdate(structs, ds, untouchable, null, { structure: false, link: false })).toEqual({ problem: null, links: false });
  });
});

describe('the audit log of link changes', () => {
  type Page = { items: AuditEntry[] };
  const linkEntries = async (owner: TestUser, consultationId: string) =>
    (await owner.call<Page>('GET', `/consultations/${consultationId}/audit?limit=200`)).body.items.filter((e) => e.action.startsWith('action.'));

  it('records who linked and unlinked what on which action, offline edits when they arrive, and not a move', async () => {
    const { s, owner, consultation, document, editor } = await planned();
    const drafter = await addMember(s.url, owner, consultation.id, 'drafter', 'government');
    // Creating the plan with links counts as linking.
    await eventually(async () => (await linkEntries(owner, consultation.id)).length === 3, 'the first entries');

    const d = connectYjs(s.wsUrl, document.id, { cookie: drafter.cookie });
    await d.synced;
    action(d.doc).setAttribute('recommendations', ['R-1', 'R-3', 'R-4'] as never);
    await eventually(async () => (await linkEntries(owner, consultation.id)).length === 4, 'the drafter’s entry');
    const [latest] = await linkEntries(owner, consultation.id);
    expect(latest).toMatchObject({
      action: 'action.recommendations_changed',
      actor: { role: 'drafter', group: 'government' },
      subject: { type: 'action', id: 'a1', name: 'Train magistrates' },
      details: { documentId: document.id, added: 'R-3, R-4', removed: '' },
    });

    // Offline: the drafter unlinks 16.3; recorded when the edit reaches the server.
    d.provider.disconnect();
    action(d.doc).setAttribute('sdgTargets', ['5.1'] as never);
    await new Promise((r) => setTimeout(r, 200));
    expect(await linkEntries(owner, consultation.id)).toHaveLength(4);
    d.provider.connect();
    await eventually(async () => (await linkEntries(owner, consultation.id)).length === 5, 'the offline edit’s entry');
    expect((await linkEntries(owner, consultation.id))[0]).toMatchObject({
      action: 'action.sdg_targets_changed',
      subject: { id: 'a1' },
      details: { added: '5.1', removed: '16.3' },
    });

    // Two linked actions exchanging places (rewritten in place, links and ids with them): no link changed.
    await eventually(() => JSON.stringify(action(editor.doc).getAttribute('sdgTargets')) === '["5.1"]', 'the facilitator’s copy to follow');
    editor.doc.transact(() => {
      const [first, second] = [action(editor.doc, 0), action(editor.doc, 1)];
      const a = first.getAttributes();
      const b = second.getAttributes();
      for (const [k, v] of Object.entries(b)) first.setAttribute(k, v as string);
      for (const [k, v] of Object.entries(a)) second.setAttribute(k, v as string);
      if (!('sdgTargets' in b)) first.removeAttribute('sdgTargets');
    });
    await eventually(async () => actionIds(await storedDoc(s, document.id)).join() === 'a2,a1', 'the move to be stored');
    // A later change still gets its entry, and nothing came between.
    action(editor.doc, 1).setAttribute('recommendations', ['R-1'] as never);
    await eventually(async () => (await linkEntries(owner, consultation.id)).length === 6, 'the facilitator’s entry');
    expect((await linkEntries(owner, consultation.id))[0]).toMatchObject({ subject: { id: 'a1' }, details: { added: '', removed: 'R-3, R-4' } });

    // The CSV export carries them, read back with a CSV library.
    const res = await fetch(`${s.url}/api/consultations/${consultation.id}/audit.csv`, { headers: { cookie: owner.cookie } });
    const rows = parse(await res.text(), { bom: true, columns: true }) as Record<string, string>[];
    const linkRows = rows.filter((r) => r.action!.startsWith('action.'));
    expect(linkRows).toHaveLength(6);
    expect(linkRows.find((r) => r.action === 'action.sdg_targets_changed' && r.actor_role === 'drafter')).toMatchObject({
      subject_type: 'action',
      subject_id: 'a1',
      subject_name: 'Train magistrates',
    });
    expect(linkRows.find((r) => r.action === 'action.sdg_targets_changed' && r.actor_role === 'drafter')!.details).toMatch(/5\.1/);
  });
});

describe('unlinking by deleting a link field', () => {
  it('counts as a change of links: refused without plan.link, recorded with it', async () => {
    const { s, owner, consultation, document, editor } = await planned();
    await eventually(async () => (await owner.call<{ items: AuditEntry[] }>('GET', `/consultations/${consultation.id}/audit?limit=200`)).body.items.length >= 3, 'the first entries');
    const raw = rawYjsSocket(s.wsUrl, `${document.id}?${schemaParam}=${planSchemaVersion}`, owner.cookie);
    await raw.open;
    await eventually(() => [...s.server.rooms.loaded()].some((r) => r.connections.size === 2), 'the connection');
    const unlink = changeOf(editor.doc, (d) => action(d).removeAttribute('sdgTargets'));
    // No role has document.edit without plan.link today; the room enforces the right on its own all the same.
    const rights = (link: boolean) => {
      for (const room of s.server.rooms.loaded()) for (const c of room.connections) c.planRights = { structure: true, link };
    };
    rights(false);
    raw.ws.send(updateFrame(unlink));
    await eventually(() => refusals(raw).length === 1, 'the refusal');
    expect(refusals(raw)[0]).toContain(linkRefusal);
    rights(true);
    raw.ws.send(updateFrame(unlink));
    await eventually(() => action(editor.doc).getAttribute('sdgTargets') === undefined, 'the unlinking');
    await eventually(
      async () =>
        (await owner.call<{ items: AuditEntry[] }>('GET', `/consultations/${consultation.id}/audit?action=action.sdg_targets_changed`)).body.items.some(
          (e) => e.details.removed === '16.3',
        ),
      'the unlinking to be recorded',
    );
  });
});
