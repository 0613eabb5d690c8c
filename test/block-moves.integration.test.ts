import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDocument, startServer } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { connectSocket } from './helpers/socket.ts';
import { anchorOn } from './helpers/comments.ts';
import { planBlock, writePlan } from './helpers/plan.ts';
import { fragmentName } from '../shared/collab.ts';
import { actionOfAnchor, findActionElement } from '../shared/plan-read.ts';
import { resolveRange } from '../shared/anchors.ts';
import type { Thread } from '../shared/comments.ts';

/**
 * Moving a plan block deletes it and inserts a copy (Yjs has no move); the
 * server anchors the comments made on the deleted words again on the same
 * words of the copy with the same id, when they read the same.
 */
async function setUp() {
  const s = await startServer();
  const { owner, document } = await createDocument(s.url);
  const writer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await writer.synced;
  const fragment = writer.doc.getXmlFragment(fragmentName);
  writePlan(fragment, [
    {
      id: 'g1',
      title: 'Access to justice',
      objectives: [
        {
          id: 'o1',
          title: 'Faster trials',
          actions: [
            { id: 'a1', title: 'Train magistrates', description: 'Two sessions a year\nIn the capital first' },
            { id: 'a2', title: 'Hire clerks' },
          ],
        },
      ],
    },
    { id: 'g2', title: 'Education', objectives: [{ id: 'o2', title: 'Schools', actions: [{ id: 'a3', title: 'Build schools' }] }] },
  ]);
  await eventually(
    () => [...s.server.rooms.loaded()].some((r) => r.docId === document.id && findActionElement(r.doc.getXmlFragment(fragmentName), 'a3') !== null),
    'the plan on the server',
  );
  const socket = await connectSocket(s.url, owner.cookie);
  const comment = async (text: Y.XmlText, words: string) => {
    const anchor = anchorOn(text, words);
    const reply = await socket.emitWithAck('thread:create', { documentId: document.id, anchor: { start: anchor.start, end: anchor.end }, body: `On ${words}` });
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.data.id;
  };
  const threads = async () => (await owner.call<{ threads: Thread[] }>('GET', `/documents/${document.id}/threads`)).body.threads;
  /** Each thread as "action:words" resolved in the writer's copy ("null:null" when detached), by comment body. */
  const where = async () =>
    Object.fromEntries(
      (await threads()).map((t) => {
        const range = resolveRange(t.anchor, writer.doc);
        const words = range ? (range.type as Y.XmlText).toString().slice(range.from, range.to) : null;
        return [t.comments[0]!.body, `${actionOfAnchor(t.anchor, writer.doc)}:${words}`];
      }),
    );
  const el = (id: string) => findActionElement(fragment, id)!;
  const title = (block: Y.XmlElement) => (block.get(0) as Y.XmlElement).get(0) as Y.XmlText;
  const paragraph = (block: Y.XmlElement, i: number) => (block.get(i) as Y.XmlElement).get(0) as Y.XmlText;
  return { s, writer, fragment, comment, threads, where, el, title, paragraph };
}

/** The copy the editor inserts when it moves a block: same attributes, same content, new Yjs items. */
function copyOf(block: Y.XmlElement): Y.XmlElement {
  return block.clone() as Y.XmlElement;
}

describe('comments on moved plan blocks', () => {
  it('follow an action moved in one change, in its title and its description; the others stay as they were', async () => {
    const { writer, comment, where, el, title, paragraph } = await setUp();
    await comment(title(el('a1')), 'magistrates');
    await comment(paragraph(el('a1'), 2), 'capital');
    await comment(title(el('a2')), 'clerks');
    const objective = el('a1').parent as Y.XmlElement;
    writer.doc.transact(() => {
      const moved = copyOf(el('a1'));
      objective.delete(1, 1); // a1 sits after the objective's title
      objective.insert(2, [moved]); // after a2
    });
    await expect.poll(where, { timeout: 20_000 }).toEqual({ 'On magistrates': 'a1:magistrates', 'On capital': 'a1:capital', 'On clerks': 'a2:clerks' });
    expect((objective.get(2) as Y.XmlElement).getAttribute('id')).toBe('a1');
  });

  it('follow the actions inside a goal that moves, and stay detached when the copy reads differently', async () => {
    const { writer, fragment, comment, where, el, title } = await setUp();
    await comment(title(el('a1')), 'Train');
    await comment(title(el('a3')), 'schools');
    writer.doc.transact(() => {
      const goal = fragment.get(0) as Y.XmlElement;
      const moved = copyOf(goal);
      fragment.delete(0, 1);
      fragment.insert(1, [moved]);
      // The other goal's action is replaced by one with the same id but other words.
      const other = fragment.get(0) as Y.XmlElement;
      const objective = other.get(1) as Y.XmlElement;
      objective.delete(1, 1);
      objective.insert(1, [planBlock('planAction', { id: 'a3', status: 'planned' }, 'Repair roofs')]);
    });
    await expect.poll(where, { timeout: 20_000 }).toEqual({ 'On Train': 'a1:Train', 'On schools': 'null:null' });
  });

  it('leave a thread detached when its block is deleted for good', async () => {
    const { writer, comment, where, el, title } = await setUp();
    await comment(title(el('a2')), 'Hire');
    await comment(title(el('a1')), 'Train');
    const objective = el('a2').parent as Y.XmlElement;
    writer.doc.transact(() => objective.delete(2, 1));
    await expect.poll(where, { timeout: 20_000 }).toEqual({ 'On Hire': 'null:null', 'On Train': 'a1:Train' });
  });

  it('follow a block cut in one change and pasted in a later one, nested blocks included', async () => {
    const { writer, fragment, comment, where, el, title } = await setUp();
    await comment(title(el('a2')), 'clerks');
    await comment(title(el('a3')), 'schools');
    // Cut: action a2 alone, then the whole second goal; each a change of its own.
    const objective = el('a2').parent as Y.XmlElement;
    const cutAction = copyOf(el('a2'));
    writer.doc.transact(() => objective.delete(2, 1));
    const cutGoal = copyOf(fragment.get(1) as Y.XmlElement);
    writer.doc.transact(() => fragment.delete(1, 1));
    await expect.poll(where, { timeout: 20_000 }).toEqual({ 'On clerks': 'null:null', 'On schools': 'null:null' });
    // Pasted later, elsewhere: the goal before the first one, the action into the first objective's start.
    writer.doc.transact(() => fragment.insert(0, [cutGoal]));
    writer.doc.transact(() => objective.insert(1, [cutAction]));
    await expect.poll(where, { timeout: 20_000 }).toEqual({ 'On clerks': 'a2:clerks', 'On schools': 'a3:schools' });
  });
});
