import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/**
 * Read-only without leaving the keyboard behind: the text stays focusable and
 * selectable (so a contributor can select a passage with Shift+arrows and
 * comment on it), but while `active` no change of the user's own reaches the
 * document. Changes from others, which arrive through the Yjs binding, pass.
 */
export const ReadOnlyGuard = Extension.create<{ isActive: () => boolean }>({
  name: 'readOnlyGuard',

  addOptions() {
    return { isActive: () => false };
  },

  addProseMirrorPlugins() {
    const { isActive } = this.options;
    return [
      new Plugin({
        key: new PluginKey('readOnlyGuard'),
        filterTransaction: (tr) => !tr.docChanged || !isActive() || tr.getMeta(ySyncPluginKey) !== undefined,
      }),
    ];
  },
});
