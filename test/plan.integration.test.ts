import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { startServer, createDocument, addMember } from './helpers/server.ts';
import { connectYjs, eventually, rawYjsSocket, updateFrame, type RawSocket } from './helpers/yjs.ts';
import { fragmentName } from '../shared/collab.ts';

/** A block as y-prosemirror stores it: an element with attributes, a title, then its children. */
function block(name: string, attrs: Record<string, unknown>, title: string, children: Y.XmlElement[] = []): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
  const t = new Y.XmlElement('planTitle');
  t.insert(0, [new Y.XmlText(title)]);
  el.insert(0, [t, ...children]);
  return el;
}

const actionAttrs = {
  id: 'a1',
  dir: 'auto',
  lead: 'Ministry of Justice',
  partners: ['NHRC', 'Bar association'],
  start: '2027-Q3',
  end: '2028-06-30',
  indicators: [],
  budget: { amount: 250000, currency: 'KES', source: 'donor' },
  status: 'planned',
  recommendations: [],
  sdgTargets: ['16.3'],
};

function buildPlan(doc: Y.Doc): void {
  const action = block('planAction', actionAttrs, 'Train magistrates');
  const objective = block('planObjective', { id: 'o1', dir: 'auto' }, 'Faster trials', [action]);
  const goal = block('planGoal', { id: 'g1', dir: 'auto' }, 'Access to justice', [objective]);
  doc.getXmlFragment(fragmentName).insert(0, [goal]);
}

/** The plan as plain data: node names, attributes and titles, in order. */
function outline(doc: Y.Doc): unknown[] {
  const walk = (el: Y.XmlElement): unknown => ({
    node: el.nodeName,
    attrs: el.getAttributes(),
    title: (el.get(0) as Y.XmlElement | undefined)?.toString(),
    children: el
      .toArray()
      .slice(1)
      .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
      .map(walk),
  });
  return doc
    .getXmlFragment(fragmentName)
    .toArray()
    .filter((c): c is Y.XmlElement => c instanceof Y.XmlElement)
    .map(walk);
}

function actionIn(doc: Y.Doc): Y.XmlElement {
  const goal = doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement;
  return (goal.get(1) as Y.XmlElement).get(1) as Y.XmlElement;
}

const actionIn0 = (doc: Y.Doc) => doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement;

/** The reasons the server gave in-band (y-websocket's auth message, "permission denied"). */
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

async function storedDoc(s: Awaited<ReturnType<typeof startServer>>, docId: string): Promise<Y.Doc> {
  await s.server.rooms.flushAll();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await s.server.updateLog.load(docId)).update);
  return doc;
}

/** A change made on a copy of `base` (as a forged client would), encoded as the update from `base`. */
function changeOf(base: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}


/** Two editors on one document, both synced. */
async function twoEditors() {
  const s = await startServer();
  const { document, owner } = await createDocument(s.url);
  const a = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  const b = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await Promise.all([a.synced, b.synced]);
  return { s, document, owner, a, b };
}

/** Two editors on one document, the second holding the plan the first built. */
async function twoEditorsWithPlan() {
  const { s, document, a, b } = await twoEditors();
  buildPlan(a.doc);
  await eventually(() => b.doc.getXmlFragment(fragmentName).length === 1, 'the plan to reach the second client');
  return { s, document, a, b };
}

describe('the plan structure on the Yjs endpoint', () => {
  it('relays and stores goals, objectives and actions, which survive a restart', async () => {
    const { s, document, owner, a, b } = await twoEditors();
    buildPlan(a.doc);
    actionIn(a.doc).setAttribute('status', 'in_progress');
    const expected = outline(a.doc);
    expect(JSON.stringify(expected)).toContain('Train magistrates');
    await eventually(() => JSON.stringify(outline(b.doc)) === JSON.stringify(expected), 'the second client to receive the plan');
    expect(outline(await storedDoc(s, document.id))).toEqual(expected);

    await s.stop();
    const again = await startServer({ dataDir: s.dataDir });
    const c = connectYjs(again.wsUrl, document.id, { cookie: owner.cookie });
    await c.synced;
    expect(outline(c.doc)).toEqual(expected);
    expect(actionIn(c.doc).getAttribute('budget')).toEqual({ amount: 250000, currency: 'KES', source: 'donor' });
  });

  const forged: Record<string, [(action: Y.XmlElement) => void, RegExp]> = {
    'an unknown attribute': [(a) => a.setAttribute('colour', 'red'), /unknown field "colour"/],
    'an unknown currency': [(a) => a.setAttribute('budget', { amount: 5, currency: 'XXZ', source: 'donor' } as never), /budget\.currency/],
    'an impossible date': [(a) => a.setAttribute('end', '2027-02-30'), /invalid end/],
    'an end before the start': [
      (a) => {
        a.setAttribute('start', '2028-Q1');
        a.setAttribute('end', '2027-Q1');
      },
      /end \(2027-Q1\) is before the start \(2028-Q1\)/,
    ],
    'a type where data belongs': [(a) => a.setAttribute('lead', new Y.Map() as never), /must hold plain data/],
    'an SDG target that does not exist': [(a) => a.setAttribute('sdgTargets', ['16.3', '16.99'] as never), /unknown SDG target "16\.99"/],
  };
  for (const [what, [change, message]] of Object.entries(forged)) {
    it(`refuses ${what} on an action in-band, keeps the sender connected, and takes a valid change after it`, async () => {
      const s = await startServer();
      const { document, owner } = await createDocument(s.url);
      const honest = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
      await honest.synced;
      buildPlan(honest.doc);
      await eventually(async () => (await storedDoc(s, document.id)).getXmlFragment(fragmentName).length === 1, 'the plan to be stored');

      const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
      await raw.open;
      raw.ws.send(updateFrame(changeOf(honest.doc, (copy) => change(actionIn(copy)))));
      raw.ws.send(updateFrame(changeOf(honest.doc, (copy) => actionIn(copy).setAttribute('lead', 'Ministry of Interior'))));

      await eventually(() => actionIn(honest.doc).getAttribute('lead') === 'Ministry of Interior', 'the valid change to arrive');
      expect(refusals(raw)).toHaveLength(1);
      expect(refusals(raw)[0]).toMatch(message);
      expect(raw.ws.readyState).toBe(raw.ws.OPEN);
      expect(actionIn(honest.doc).getAttributes()).toEqual({ ...actionAttrs, lead: 'Ministry of Interior' });
      const stored = actionIn(await storedDoc(s, document.id));
      expect(stored.getAttributes()).toEqual({ ...actionAttrs, lead: 'Ministry of Interior' });
    });
  }

  it('refuses an invalid attribute on an action created in the same update, and a plan-like unknown block', async () => {
    const s = await startServer();
    const { document, owner } = await createDocument(s.url);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    const doc = new Y.Doc();
    raw.ws.send(updateFrame(changeOf(doc, (copy) => copy.getXmlFragment(fragmentName).insert(0, [block('planAction', { ...actionAttrs, status: 'cancelled' }, 'x')]))));
    raw.ws.send(updateFrame(changeOf(doc, (copy) => copy.getXmlFragment(fragmentName).insert(0, [block('planMilestone', { id: 'm1' }, 'x')]))));
    await eventually(() => refusals(raw).length === 2, 'both refusals');
    expect(refusals(raw)[0]).toMatch(/invalid status/);
    expect(refusals(raw)[1]).toMatch(/unknown plan block "planMilestone"/);
    expect((await storedDoc(s, document.id)).getXmlFragment(fragmentName).length).toBe(0);
  });

  it('merges plan edits made offline with concurrent ones, through the checked sync answer', async () => {
    const { s, document, a, b } = await twoEditorsWithPlan();

    a.provider.disconnect();
    // Offline: a changes the status and adds an action; meanwhile b changes the lead.
    actionIn(a.doc).setAttribute('status', 'delayed');
    const objective = (a.doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement).get(1) as Y.XmlElement;
    objective.insert(objective.length, [block('planAction', { ...actionAttrs, id: 'a2', start: '2028-Q1', end: null }, 'Publish statistics')]);
    actionIn(b.doc).setAttribute('lead', 'Judiciary');
    await eventually(async () => actionIn(await storedDoc(s, document.id)).getAttribute('lead') === 'Judiciary', 'b’s change to be stored');

    a.provider.connect();
    const merged = (doc: Y.Doc) => {
      const action = actionIn(doc);
      const objectiveOf = (doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement).get(1) as Y.XmlElement;
      return [action.getAttribute('status'), action.getAttribute('lead'), objectiveOf.length].join(' ');
    };
    await eventually(() => merged(a.doc) === 'delayed Judiciary 3' && merged(b.doc) === 'delayed Judiciary 3', 'both to merge');
    expect(merged(await storedDoc(s, document.id))).toBe('delayed Judiciary 3');
  });

  it('lets an offline start meet a concurrent end out of order rather than lose the offline edits', async () => {
    const { s, document, a, b } = await twoEditorsWithPlan();
    a.provider.disconnect();
    a.doc.transact(() => {
      actionIn(a.doc).setAttribute('start', '2029-Q1');
      (actionIn(a.doc).get(0) as Y.XmlElement).insert(0, [new Y.XmlText('Urgently: ')]);
    });
    actionIn(b.doc).setAttribute('end', '2028-Q4');
    await eventually(async () => actionIn(await storedDoc(s, document.id)).getAttribute('end') === '2028-Q4', 'b’s end to be stored');
    a.provider.connect();
    const state = (doc: Y.Doc) => `${actionIn(doc).getAttribute('start')} ${actionIn(doc).getAttribute('end')} ${actionIn(doc).get(0)?.toString()}`;
    const expected = '2029-Q1 2028-Q4 <plantitle>Urgently: Train magistrates</plantitle>';
    await eventually(() => state(a.doc) === expected && state(b.doc) === expected, 'the offline edits to merge');
    expect(state(await storedDoc(s, document.id))).toBe(expected);
  });

  it('refuses an invalid plan change sent as a sync answer, and one whose element the server does not have', async () => {
    const s = await startServer();
    const { document, owner } = await createDocument(s.url);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    const base = new Y.Doc();
    const bad = changeOf(base, (copy) => copy.getXmlFragment(fragmentName).insert(0, [block('planAction', { ...actionAttrs, end: '2027-Q5' }, 'x')]));
    const step2 = updateFrame(bad);
    step2[1] = 1; // sync step 2 instead of an update
    raw.ws.send(step2);

    // An attribute set on an action created in an update never sent: Yjs would keep it and apply it unchecked later.
    const unsent = new Y.Doc();
    unsent.getXmlFragment(fragmentName).insert(0, [block('planAction', actionAttrs, 'x')]);
    raw.ws.send(updateFrame(changeOf(unsent, (copy) => actionIn0(copy).setAttribute('status', 'cancelled'))));
    await eventually(() => refusals(raw).length === 2, 'both refusals');
    expect(refusals(raw)[0]).toMatch(/invalid end/);
    expect(refusals(raw)[1]).toMatch(/depends on changes the server does not have/);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    expect((await storedDoc(s, document.id)).getXmlFragment(fragmentName).length).toBe(0);
  });

  it("drops an observer's plan change like any other", async () => {
    const s = await startServer();
    const { document, owner, consultation } = await createDocument(s.url);
    const observer = await addMember(s.url, owner, consultation.id, 'observer');
    const honest = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await honest.synced;
    const raw = rawYjsSocket(s.wsUrl, document.id, observer.cookie);
    await raw.open;
    raw.ws.send(updateFrame(changeOf(honest.doc, buildPlan)));
    await eventually(() => refusals(raw).length === 1, 'the observer to be told');
    expect(refusals(raw)[0]).toMatch(/read-only/);
    expect(honest.doc.getXmlFragment(fragmentName).length).toBe(0);
    expect((await storedDoc(s, document.id)).getXmlFragment(fragmentName).length).toBe(0);
  });
});
