import { ReadOnlyGuard } from './read-only-guard.ts';
import { Editor } from '@tiptap/core';
import type { DecorationAttrs } from '@tiptap/pm/view';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { groupColours } from '../../../shared/groups.ts';
import { CommentHighlights, type CommentHighlightsOptions } from './comments-highlights.ts';
import { participantLabel, readAwarenessUser, type CollabSession } from './collab.svelte.ts';
import { isAllowedLink } from './links.ts';
import { PlanAction, PlanStructure, planExtensions } from './plan-nodes.ts';
import type { PublishedUser } from './people.ts';

const fallbackUser: PublishedUser = { name: '?', group: 'other', color: groupColours.other };

/** Remote carets: names are written as text (never HTML) and colours come from the group. */
function renderCaret(raw: Record<string, unknown>): HTMLElement {
  const user = readAwarenessUser(raw) ?? fallbackUser;
  const caret = document.createElement('span');
  caret.className = 'collaboration-carets__caret';
  caret.style.borderColor = user.color;
  caret.setAttribute('aria-hidden', 'true'); // the people list says who is here; keep the text clean for screen readers
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = user.color;
  label.dir = 'auto';
  label.textContent = participantLabel(user);
  caret.append(label);
  return caret;
}

function renderSelection(raw: Record<string, unknown>): DecorationAttrs {
  const user = readAwarenessUser(raw) ?? fallbackUser;
  return { nodeName: 'span', class: 'collaboration-carets__selection', style: `background-color: ${user.color}33` };
}

export interface CollabEditorOptions {
  element: HTMLElement;
  session: CollabSession;
  editable: boolean;
  /** Whether the text is read-only now (selectable, but the user's own changes are refused). */
  readOnly: () => boolean;
  attributes: Record<string, string>;
  onTransaction: () => void;
  /** Comment highlights: which threads to place, and what to do when one is clicked. */
  comments: CommentHighlightsOptions;
  /** The document's consultation: actions link to its recommendations. */
  consultationId: string;
  /** Whether the user may add, remove and move the plan's blocks now (`plan.structure`). */
  canStructure: () => boolean;
  /** Whether the user may change what actions link to now (`plan.link`). */
  canLink: () => boolean;
}

/** A Tiptap editor bound to the session's Y.XmlFragment, with carets for everyone else. */
export function createCollabEditor({
  element,
  session,
  editable,
  readOnly,
  attributes,
  onTransaction,
  comments,
  consultationId,
  canStructure,
  canLink,
}: CollabEditorOptions): Editor {
  return new Editor({
    element,
    editable,
    injectCSS: false, // styles live in app.css, so a strict Content-Security-Policy needs no inline <style>
    textDirection: 'auto', // each paragraph follows its own script: Arabic right to left, French left to right
    editorProps: { attributes },
    extensions: [
      StarterKit.configure({
        undoRedo: false, // Collaboration brings its own undo that only reverts your own edits
        heading: { levels: [1, 2, 3] },
        link: {
          openOnClick: false,
          autolink: true,
          defaultProtocol: 'https',
          isAllowedUri: (url) => isAllowedLink(url),
          HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
        },
        blockquote: false,
        code: false,
        codeBlock: false,
        strike: false,
        underline: false,
        horizontalRule: false,
        gapcursor: false,
      }),
      Collaboration.configure({ fragment: session.fragment }),
      // Only the cursor is published: the server puts each person's name (or alias), group and colour beside it.
      CollaborationCaret.configure({ provider: session.provider, user: {}, render: renderCaret, selectionRender: renderSelection }),
      CommentHighlights.configure(comments),
      ReadOnlyGuard.configure({ isActive: readOnly }),
      // Goals, objectives and actions: typed blocks in the same text, so comments, undo and permissions apply to them.
      // What the plan's blocks allow follows the permission table: reshaping it (plan.structure), linking (plan.link).
      ...planExtensions.map((e) =>
        e.name === 'planAction' ? PlanAction.configure({ consultationId, canLink }) : e.name === 'plan' ? PlanStructure.configure({ canStructure }) : e,
      ),
    ],
    onTransaction,
  });
}

export { fallbackUser };
