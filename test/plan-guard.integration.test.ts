import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readAuthMessage } from 'y-protocols/auth';
import { startServer, createDocument } from './helpers/server.ts';
import { connectYjs, eventually, type YjsClient } from './helpers/yjs.ts';
import { fragmentName } from '../shared/collab.ts';
import { planOutdatedReason, planRefusalPrefix } from '../shared/plan.ts';

/**
 * A client that does not declare the document schema (a tab still running the
 * client from before plan blocks) may not delete plan blocks: its editor would
 * delete every goal it cannot display, for everyone.
 */

/** A block as y-prosemirror stores it: an element with attributes, a title, then its children. */
function block(name: string, attrs: Record<string, string>, title: string, children: Y.XmlElement[] = []): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  const t = new Y.XmlElement('planTitle');
  t.insert(0, [new Y.XmlText(title)]);
  el.insert(0, [t, ...children]);
  return el;
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

/** What the document's body holds, as text (plan blocks and paragraphs alike; Yjs writes node names in lower case). */
const body = (doc: Y.Doc): string => doc.getXmlFragment(fragmentName).toString();
const hasGoal = (doc: Y.Doc): boolean => body(doc).includes('<plangoal');

/** The reasons the server gave this client in-band (y-websocket only logs them). */
function refusalsOf(client: YjsClient): string[] {
  const reasons: string[] = [];
  client.provider.messageHandlers[2] = (_encoder, decoder) => readAuthMessage(decoder, client.doc, (_doc, reason) => reasons.push(reason));
  return reasons;
}

/** A document with a paragraph and a goal (objective and title inside), built by a current client. */
async function documentWithGoal() {
  const s = await startServer();
  const { document, owner } = await createDocument(s.url);
  const current = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await current.synced;
  const objective = block('planObjective', { id: 'o1', dir: 'auto' }, 'Faster trials');
  current.doc.getXmlFragment(fragmentName).insert(0, [paragraph('Preamble text'), block('planGoal', { id: 'g1', dir: 'auto' }, 'Access to justice', [objective])]);
  const legacy = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie, legacy: true });
  const refused = refusalsOf(legacy);
  await legacy.synced;
  await eventually(() => hasGoal(legacy.doc), 'the goal to reach the legacy client');
  return { s, document, owner, current, legacy, refused };
}

async function storedBody(s: Awaited<ReturnType<typeof startServer>>, docId: string): Promise<string> {
  await s.server.rooms.flushAll();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await s.server.updateLog.load(docId)).update);
  return body(doc);
}

const outdated = planRefusalPrefix + planOutdatedReason;

describe('a client that does not declare the plan schema', () => {
  it('may not delete a goal: refused in-band, kept connected, the goal kept for everyone and stored; its typing still goes through', async () => {
    const { s, document, owner, current, legacy, refused } = await documentWithGoal();

    // What y-prosemirror does to an element its schema does not know.
    legacy.doc.getXmlFragment(fragmentName).delete(1, 1);
    expect(hasGoal(legacy.doc)).toBe(false);
    await eventually(() => refused.length === 1, 'the refusal');
    expect(refused[0]).toBe(outdated);
    expect(legacy.provider.wsconnected).toBe(true);

    // Its later typing is not held against it.
    (legacy.doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement).insert(1, [new Y.XmlText(' and more')]);
    await eventually(() => body(current.doc).includes('and more'), 'the legacy client’s typing to arrive');
    expect(hasGoal(current.doc)).toBe(true);
    expect(refused).toHaveLength(1);
    expect(legacy.provider.wsconnected).toBe(true);

    const stored = await storedBody(s, document.id);
    expect(stored).toContain('<plangoal');
    expect(stored).toContain('and more');

    await s.stop();
    const again = await startServer({ dataDir: s.dataDir });
    const reader = connectYjs(again.wsUrl, document.id, { cookie: owner.cookie });
    await reader.synced;
    expect(body(reader.doc)).toContain('Access to justice');
    expect(body(reader.doc)).toContain('Faster trials');
    expect(body(reader.doc)).toContain('and more');
  });

  it('may not delete a goal offline either: its sync answer on reconnecting is refused the same way', async () => {
    const { s, document, current, legacy, refused } = await documentWithGoal();

    legacy.provider.disconnect();
    legacy.doc.getXmlFragment(fragmentName).delete(1, 1);
    legacy.provider.connect();
    await eventually(() => refused.length === 1, 'the refusal of the sync answer');
    expect(refused[0]).toBe(outdated);
    expect(legacy.provider.wsconnected).toBe(true);

    // Typing after the refused answer goes through; the goal is still there for the others and in the store.
    (legacy.doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement).insert(1, [new Y.XmlText(' later')]);
    await eventually(() => body(current.doc).includes('later'), 'the legacy client’s typing to arrive');
    expect(hasGoal(current.doc)).toBe(true);
    expect(await storedBody(s, document.id)).toContain('Access to justice');
  });

  it('may delete plain text, in paragraphs and in a plan title', async () => {
    const { s, document, current, legacy, refused } = await documentWithGoal();
    const fragment = legacy.doc.getXmlFragment(fragmentName);
    ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 'Preamble '.length);
    const title = ((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    title.delete(0, 'Access to '.length);
    // A whole paragraph, too.
    fragment.insert(0, [paragraph('Draft note')]);
    await eventually(() => body(current.doc).includes('Draft note'), 'the new paragraph to arrive');
    fragment.delete(0, 1);

    await eventually(() => !body(current.doc).includes('Draft note') && !body(current.doc).includes('Preamble'), 'the deletions to arrive');
    expect(body(current.doc)).toContain('>justice<');
    expect(body(current.doc)).not.toContain('Access to');
    expect(refused).toEqual([]);
    const stored = await storedBody(s, document.id);
    expect(stored).not.toContain('Preamble');
    expect(stored).toContain('<plangoal');
  });
});

describe('a client that declares the plan schema', () => {
  it('may delete a goal', async () => {
    const { s, document, owner, current, legacy } = await documentWithGoal();
    const other = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    const refused = refusalsOf(other);
    await other.synced;
    await eventually(() => hasGoal(other.doc), 'the goal to reach the other client');
    other.doc.getXmlFragment(fragmentName).delete(1, 1);
    await eventually(() => !hasGoal(current.doc) && !hasGoal(legacy.doc), 'the deletion to reach everyone');
    expect(refused).toEqual([]);
    expect(await storedBody(s, document.id)).not.toContain('plangoal');
  });
});
