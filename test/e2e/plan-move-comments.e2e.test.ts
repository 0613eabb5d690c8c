import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs, eventually } from '../helpers/yjs.ts';
import { connectSocket } from '../helpers/socket.ts';
import { anchorOn } from '../helpers/comments.ts';
import { findChromium, launchBrowser, openPage, connected } from '../helpers/browser.ts';
import { writePlan } from '../helpers/plan.ts';
import { fragmentName } from '../../shared/collab.ts';
import { findActionElement, actionOfAnchor } from '../../shared/plan-read.ts';
import { resolveRange } from '../../shared/anchors.ts';
import type { Thread } from '../../shared/comments.ts';

const chromiumPath = findChromium();

/** Per action in document order: its title and the commented words highlighted in it. */
const actions = (page: Page) =>
  page.locator('[data-testid="editor"] .plan-planAction > .plan-title, [data-testid="editor"] .plan-planAction .plan-title').evaluateAll((all) =>
    [...new Set(all)].map((el) => `${el.textContent} [${[...el.querySelectorAll('.comment-highlight')].map((h) => h.textContent).join(',')}]`),
  );

describe.skipIf(!chromiumPath)('comments on an action that is moved', () => {
  it('stay on the words they were made on, in the same action, for every client', async () => {
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
              { id: 'a1', title: 'Train magistrates', description: 'Two sessions a year' },
              { id: 'a2', title: 'Hire clerks', description: 'In every region' },
              { id: 'a3', title: 'Open night courts' },
            ],
          },
        ],
      },
    ]);
    const titleText = (id: string) => (findActionElement(fragment, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const descText = (id: string) => (findActionElement(fragment, id)!.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    const socket = await connectSocket(s.url, owner.cookie);
    await eventually(async () => (await owner.call('GET', `/documents/${document.id}/threads`)).status === 200, 'the document');
    const create = async (anchor: ReturnType<typeof anchorOn>, body: string) => {
      const reply = await socket.emitWithAck('thread:create', { documentId: document.id, anchor: { start: anchor.start, end: anchor.end }, body });
      expect(reply.ok).toBe(true);
    };
    // Wait until the server holds the plan before anchoring in it.
    await eventually(() => [...s.server.rooms.loaded()].some((r) => r.docId === document.id && findActionElement(r.doc.getXmlFragment(fragmentName), 'a2') !== null), 'the plan on the server');
    await create(anchorOn(titleText('a1'), 'Train'), 'Which courts?');
    await create(anchorOn(descText('a1'), 'sessions'), 'How long?');
    await create(anchorOn(titleText('a2'), 'clerks'), 'How many?');

    const browser = await launchBrowser(chromiumPath!);
    const page = await openPage(browser, `${s.url}/#/d/${document.id}`, { cookie: owner.cookie });
    await connected(page);
    await expect.poll(() => actions(page)).toEqual(['Train magistrates [Train]', 'Hire clerks [clerks]', 'Open night courts []']);

    // Move the first action down twice, with the keyboard, from inside its title.
    await page.locator('[data-testid="editor"] .plan-title', { hasText: 'Train magistrates' }).click();
    await page.keyboard.press('Alt+Shift+ArrowDown');
    await expect.poll(() => actions(page)).toEqual(['Hire clerks [clerks]', 'Train magistrates [Train]', 'Open night courts []']);
    await page.keyboard.press('Alt+Shift+ArrowDown');
    await expect.poll(() => actions(page)).toEqual(['Hire clerks [clerks]', 'Open night courts []', 'Train magistrates [Train]']);

    // Every client (here a plain Yjs one) finds each thread on its words, inside the action it was made in.
    const where = async () => {
      const threads = (await owner.call<{ threads: Thread[] }>('GET', `/documents/${document.id}/threads`)).body.threads;
      return threads
        .map((t) => {
          const range = resolveRange(t.anchor, writer.doc);
          const text = range ? (range.type as Y.XmlText).toString().slice(range.from, range.to) : null;
          return `${actionOfAnchor(t.anchor, writer.doc)}:${text}`;
        })
        .sort();
    };
    await expect.poll(where, { timeout: 30_000 }).toEqual(['a1:Train', 'a1:sessions', 'a2:clerks']);
    await expect.poll(() => page.locator('.plan-planAction p:not(.plan-title) .comment-highlight').allInnerTexts()).toEqual(['sessions']);
  });
});
