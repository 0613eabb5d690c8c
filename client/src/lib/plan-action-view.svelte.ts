import { mount, unmount } from 'svelte';
import type { NodeViewRendererProps } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import type { NodeView } from '@tiptap/pm/view';
import ActionPanel from '../components/plan/ActionPanel.svelte';
import type { EditorState, Transaction } from '@tiptap/pm/state';
import { checkPlanAttributes, planNodeNames, type PlanActionAttrs } from '../../../shared/plan.ts';

/**
 * An action as the editor shows it: its text (title, then description) is
 * ProseMirror's to edit, and beside it a small form for its fields, which
 * ProseMirror leaves alone (events and DOM changes inside it are the form's).
 * The form writes through `updateActionAttrs`, checked with the shared schema.
 */
export function createActionView({ node, view, getPos, editor, extension }: NodeViewRendererProps): NodeView {
  const dom = document.createElement('section');
  dom.className = 'plan-block plan-planAction';
  dom.dataset.plan = 'planAction';
  const contentDOM = document.createElement('div');
  contentDOM.className = 'plan-content';
  const panel = document.createElement('div');
  panel.className = 'plan-panel';
  panel.contentEditable = 'false';
  dom.append(contentDOM, panel);

  /** Read-only text keeps the editor editable (for selecting and commenting): the guard's word decides. */
  const readOnly = () => !editor.isEditable || (editor.extensionManager.extensions.find((e) => e.name === 'readOnlyGuard')?.options.isActive?.() ?? false);
  /** Whether the links may be changed (`plan.link`), asked again like `readOnly`. */
  const canLink = () => !readOnly() && ((extension.options as { canLink?: () => boolean }).canLink?.() ?? true);
  const props = $state({
    attrs: node.attrs as PlanActionAttrs,
    readOnly: readOnly(),
    consultationId: (extension.options as { consultationId: string | null }).consultationId,
    linksReadOnly: !canLink(),
    onchange: (changes: Partial<PlanActionAttrs>): string | null => {
      const pos = getPos();
      if (typeof pos !== 'number') return 'gone';
      if (readOnly()) return 'read-only';
      return updateActionAttrs(view, pos, changes);
    },
  });
  const component = mount(ActionPanel, { target: panel, props });
  // Whether the text is read-only changes live (role, phase, lock): looked at again whenever the form is used.
  panel.addEventListener('focusin', () => {
    props.readOnly = readOnly();
    props.linksReadOnly = !canLink();
  });

  return {
    dom,
    contentDOM,
    update(next: ProseMirrorNode) {
      if (next.type !== node.type) return false;
      node = next;
      props.attrs = next.attrs as PlanActionAttrs;
      props.linksReadOnly = !canLink();
      return true;
    },
    stopEvent: (event) => panel.contains(event.target as globalThis.Node),
    ignoreMutation: (mutation) => panel.contains(mutation.target),
    destroy() {
      void unmount(component);
    },
  };
}

/**
 * Changes an action's attributes after checking the result with the shared
 * schema; returns the problem instead when there is one (and changes nothing).
 */
export function updateActionAttrs(
  view: { state: EditorState; dispatch: (tr: Transaction) => void },
  pos: number,
  changes: Partial<PlanActionAttrs>,
): string | null {
  const node = view.state.doc.nodeAt(pos);
  if (!node || node.type.name !== planNodeNames.action) return 'gone';
  const attrs = { ...node.attrs, ...changes };
  const problem = checkPlanAttributes('planAction', attrs);
  if (problem) return problem;
  view.dispatch(view.state.tr.setNodeMarkup(pos, undefined, attrs));
  return null;
}

