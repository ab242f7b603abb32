import { completionKeymap, startCompletion } from '@codemirror/autocomplete'
import { allShortcuts } from '@renderer/app/shortcuts'
import {
  chordKeys,
  codeMirrorKeys,
  type KeyChord,
  type KeyPress,
  matchesChord,
  matchesShortcut,
  type ShortcutId,
  shortcutLabel,
  SHORTCUTS,
} from '@renderer/lib/shortcuts'
import { describe, expect, it } from 'vitest'

/*
 * The one shortcut table (renderer/src/lib/shortcuts.ts): what the key
 * handlers match, what the shortcut sheet and the tooltips show, and the YAML
 * editor's keymap, Cmd on a Mac and Ctrl elsewhere.
 */

const ids = Object.keys(SHORTCUTS) as ShortcutId[]

/** The key event a person makes pressing `chord` on that platform. */
function press(chord: KeyChord, mac: boolean): KeyPress {
  return {
    key: chord.shift && chord.key.length === 1 ? chord.key.toUpperCase() : chord.key,
    metaKey: !!chord.mod && mac,
    ctrlKey: (!!chord.mod && !mac) || !!chord.ctrl,
    shiftKey: !!chord.shift,
    altKey: !!chord.alt,
  }
}
const ev = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
})

describe('the shortcut table', () => {
  it.each([false, true])('matches each shortcut pressed as shown (mac: %s), and not with a modifier missing or added', (mac) => {
    for (const id of ids) {
      for (const chord of SHORTCUTS[id].keys) {
        const e = press(chord, mac)
        expect(matchesShortcut(id, e, mac), `${id} ${chordKeys(chord, mac).join('+')}`).toBe(true)
        if (chord.mod) expect(matchesChord(chord, { ...e, metaKey: false, ctrlKey: false }, mac)).toBe(false)
        // The other platform's modifier is not this one's: Ctrl+S on a Mac, Meta+S elsewhere.
        if (chord.mod) expect(matchesChord(chord, { ...e, metaKey: !mac, ctrlKey: mac }, mac)).toBe(false)
        expect(matchesChord(chord, { ...e, altKey: !e.altKey }, mac)).toBe(false)
      }
    }
  })

  it('tells Save from Save as, Undo from Redo, and plain Esc from a modified one', () => {
    expect(matchesShortcut('save', ev('s', { ctrlKey: true }), false)).toBe(true)
    expect(matchesShortcut('save', ev('S', { ctrlKey: true, shiftKey: true }), false)).toBe(false)
    expect(matchesShortcut('saveAs', ev('S', { ctrlKey: true, shiftKey: true }), false)).toBe(true)
    expect(matchesShortcut('undo', ev('Z', { metaKey: true, shiftKey: true }), true)).toBe(false)
    expect(matchesShortcut('redo', ev('Z', { metaKey: true, shiftKey: true }), true)).toBe(true)
    expect(matchesShortcut('redo', ev('y', { ctrlKey: true }), false)).toBe(true)
    expect(matchesShortcut('stop', ev('Escape'), false)).toBe(true)
    expect(matchesShortcut('stop', ev('Escape', { ctrlKey: true }), false)).toBe(false)
    expect(matchesShortcut('send', ev('Enter'), false)).toBe(false)
    // A symbol may need Shift on the keyboard at hand: Ctrl+? and Ctrl+Shift+/ both open the sheet.
    expect(matchesShortcut('showShortcuts', ev('?', { ctrlKey: true, shiftKey: true }), false)).toBe(true)
    expect(matchesShortcut('showShortcuts', ev('/', { metaKey: true }), true)).toBe(true)
  })

  it('names the keys Cmd on a Mac and Ctrl elsewhere', () => {
    expect(shortcutLabel('send', false)).toBe('Ctrl+Enter')
    expect(shortcutLabel('send', true)).toBe('Cmd+Enter')
    expect(shortcutLabel('save', true)).toBe('Cmd+S')
    expect(shortcutLabel('saveAs', false)).toBe('Ctrl+Shift+S')
    expect(shortcutLabel('redo', true)).toBe('Cmd+Shift+Z or Cmd+Y')
    expect(shortcutLabel('stop', true)).toBe('Esc')
    expect(shortcutLabel('leaveEditor', false)).toBe('Esc, then Tab')
    expect(shortcutLabel('moveUp', true)).toBe('Option+↑')
    // CodeMirror completes with Ctrl+Space on a Mac too.
    expect(shortcutLabel('complete', true)).toBe('Ctrl+Space')
  })

  it('gives the YAML editor its keymap, and agrees with CodeMirror on the completion key', () => {
    expect(codeMirrorKeys('save')).toEqual(['Mod-s'])
    expect(codeMirrorKeys('undo')).toEqual(['Mod-z'])
    expect(codeMirrorKeys('redo')).toEqual(['Mod-Shift-z', 'Mod-y'])
    expect(codeMirrorKeys('leaveEditor')).toEqual(['Escape'])
    const codeMirrorCompletes = completionKeymap.filter((b) => b.run === startCompletion && b.key).map((b) => b.key)
    expect(codeMirrorCompletes).toEqual(codeMirrorKeys('complete'))
  })
})

describe('the shortcut sheet', () => {
  it('lists going to every screen and every shortcut the handlers use, the ones once missing included', () => {
    const all = allShortcuts()
    const listed = (mac: boolean) => all.map((s) => `${s.area}: ${s.action} = ${s.keys.map((k) => chordKeys(k, mac).join('+')).join(' / ')}`)
    for (const s of Object.values(SHORTCUTS)) expect(all).toContainEqual(s)
    expect(listed(false)).toEqual(
      expect.arrayContaining([
        'Everywhere: Go to Playground = Ctrl+1',
        'Everywhere: Show keyboard shortcuts = Ctrl+/ / Ctrl+?',
        'Everywhere: Close a dialog or menu = Esc',
        'Playground: Send the message = Ctrl+Enter',
        'Playground: Stop the answer = Esc',
        'Compare: Run the input in every lane = Ctrl+Enter',
        'Policies: Save the policy file = Ctrl+S',
      ]),
    )
    expect(listed(true)).toContain('Policies: Save the policy file = Cmd+S')
    expect(all.filter((s) => s.action.startsWith('Go to '))).toHaveLength(7)
  })
})
