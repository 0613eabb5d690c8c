import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fragmentName } from '../shared/collab.ts';
import type { DocumentContent } from '../shared/document-content.ts';
import { addMember, createDocument, registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { writePlan } from './helpers/plan.ts';

/**
 * GET /api/documents/:id/content: the text the document page shows before the
 * editor's code has arrived. Written through a real y-websocket client, read
 * back over HTTP as members, a stranger and nobody.
 */

let s: TestServer;
let owner: TestUser;
let observer: TestUser;
let documentId: string;

function element(name: string, text: string, attrs: Record<string, string> = {}): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.insert(0, [new Y.XmlText(text)]);
  return el;
}

beforeAll(async () => {
  s = await startServer();
  const created = await createDocument(s.url);
  owner = created.owner;
  documentId = created.document.id;
  observer = await addMember(s.url, owner, created.consultation.id, 'observer');
  const client = connectYjs(s.wsUrl, documentId, { cookie: owner.cookie });
  await client.synced;
  const body = client.doc.getXmlFragment(fragmentName);
  client.doc.transact(() => {
    body.push([element('heading', 'Introduction', { level: '2' }), element('paragraph', 'We, the people <b>of</b> Kenya.')]);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    item.insert(0, [element('paragraph', 'First promise')]);
    list.insert(0, [item]);
    body.push([list]);
  });
  writePlan(body, [
    { id: 'g1', title: 'Access to justice', description: 'Everyone can reach a court.', objectives: [{ id: 'o1', title: 'Faster trials', actions: [{ id: 'a1', title: 'Train magistrates', attrs: { lead: 'Ministry of Justice' } }] }] },
  ]);
  // The server has the edits once another client sees them.
  const reader = connectYjs(s.wsUrl, documentId, { cookie: owner.cookie });
  await reader.synced;
  await eventually(() => reader.doc.getXmlFragment(fragmentName).length === 4, 'the edits on the server');
});

describe('document content for the first view', () => {
  it('gives a member the text as it is now: headings, paragraphs, list items and the plan with its numbers', async () => {
    const res = await observer.call<DocumentContent>('GET', `/documents/${documentId}/content`);
    expect(res.status).toBe(200);
    expect(res.body.blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Introduction' },
      // Text stays text: markup typed into the document is not interpreted.
      { kind: 'paragraph', text: 'We, the people <b>of</b> Kenya.' },
      { kind: 'item', text: 'First promise' },
      { kind: 'heading', level: 1, text: '1 Access to justice' },
      { kind: 'paragraph', text: 'Everyone can reach a court.' },
      { kind: 'heading', level: 2, text: '1.1 Faster trials' },
      { kind: 'heading', level: 3, text: '1.1.1 Train magistrates' },
    ]);
  });

  it('follows live edits in the open room', async () => {
    const client = connectYjs(s.wsUrl, documentId, { cookie: owner.cookie });
    await client.synced;
    client.doc.getXmlFragment(fragmentName).push([element('paragraph', 'Added just now')]);
    await eventually(async () => {
      const res = await owner.call<DocumentContent>('GET', `/documents/${documentId}/content`);
      const last = res.body.blocks.at(-1);
      return last?.kind === 'paragraph' && last.text === 'Added just now';
    }, 'the new paragraph in the content');
  });

  it('tells a non-member and an anonymous caller nothing', async () => {
    const stranger = await registerUser(s.url, 'Stranger');
    expect((await stranger.call('GET', `/documents/${documentId}/content`)).status).toBe(404);
    const anonymous = await fetch(`${s.url}/api/documents/${documentId}/content`);
    expect(anonymous.status).toBe(401);
  });
});
