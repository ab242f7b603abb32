import { isMac, modKeyName } from './platform'

/**
 * Every keyboard shortcut of the app, in one table: the key handlers ask it
 * whether a key press is theirs (matchesShortcut), the buttons' tooltips and
 * the shortcut sheet (Ctrl/Cmd+/) show it (shortcutLabel), and the YAML
 * editor's keymap is made from it (codeMirrorKeys). So the sheet lists what
 * the keys do, and cannot drift from it. Going to a screen (Ctrl/Cmd+1…) is
 * added by the app shell, which knows the screens.
 */

export interface KeyChord {
  /** KeyboardEvent.key: 'Enter', 'Escape', 's', '/', ' ', 'ArrowUp'… */
  key: string
  /** Cmd on macOS, Ctrl elsewhere. */
  mod?: boolean
  /** Ctrl on every platform (CodeMirror's completion key). */
  ctrl?: boolean
  shift?: boolean
  alt?: boolean
}

export type ShortcutArea = 'Everywhere' | 'Playground' | 'Compare' | 'Policies'

export interface Shortcut {
  /** Alternatives: any of them does it. */
  keys: readonly KeyChord[]
  /** A key pressed after the chord (Esc, then Tab). */
  then?: KeyChord
  action: string
  area: ShortcutArea
}

const mod = (key: string, more: Partial<KeyChord> = {}): KeyChord => ({ key, mod: true, ...more })
const plain = (key: string, more: Partial<KeyChord> = {}): KeyChord => ({ key, ...more })

export const SHORTCUTS = {
  showShortcuts: { keys: [mod('/'), mod('?')], action: 'Show keyboard shortcuts', area: 'Everywhere' },
  openSettings: { keys: [mod(',')], action: 'Open Settings', area: 'Everywhere' },
  closeDialog: { keys: [plain('Escape')], action: 'Close a dialog or menu', area: 'Everywhere' },
  send: { keys: [mod('Enter')], action: 'Send the message', area: 'Playground' },
  stop: { keys: [plain('Escape')], action: 'Stop the answer', area: 'Playground' },
  saveEdit: { keys: [mod('Enter')], action: 'Save an edited message and resend', area: 'Playground' },
  cancelEdit: { keys: [plain('Escape')], action: 'Cancel editing a message', area: 'Playground' },
  compareRun: { keys: [mod('Enter')], action: 'Run the input in every lane', area: 'Compare' },
  save: { keys: [mod('s')], action: 'Save the policy file', area: 'Policies' },
  saveAs: { keys: [mod('s', { shift: true })], action: 'Save the policy file as…', area: 'Policies' },
  open: { keys: [mod('o')], action: 'Open a policy file', area: 'Policies' },
  undo: { keys: [mod('z')], action: 'Undo', area: 'Policies' },
  redo: { keys: [mod('z', { shift: true }), mod('y')], action: 'Redo', area: 'Policies' },
  complete: { keys: [plain(' ', { ctrl: true })], action: 'Complete a key or value in the YAML editor', area: 'Policies' },
  leaveEditor: { keys: [plain('Escape')], then: plain('Tab'), action: 'Leave the YAML editor', area: 'Policies' },
  moveUp: { keys: [plain('ArrowUp', { alt: true })], action: 'Move the focused chain entry or target up', area: 'Policies' },
  moveDown: { keys: [plain('ArrowDown', { alt: true })], action: 'Move the focused chain entry or target down', area: 'Policies' },
} satisfies Record<string, Shortcut>

export type ShortcutId = keyof typeof SHORTCUTS

/** The key event fields a match reads. */
export type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>

/** A symbol ('/', '?', ',') needs Shift on some layouts and not on others, so Shift is not asked of it. */
const isSymbol = (key: string) => key.length === 1 && !/[\p{L}\p{N} ]/u.test(key)

export function matchesChord(chord: KeyChord, e: KeyPress, mac: boolean = isMac): boolean {
  if (e.key.length === 1 ? e.key.toLowerCase() !== chord.key.toLowerCase() : e.key !== chord.key) return false
  const wantMeta = !!chord.mod && mac
  const wantCtrl = (!!chord.mod && !mac) || !!chord.ctrl
  if (e.metaKey !== wantMeta || e.ctrlKey !== wantCtrl || e.altKey !== !!chord.alt) return false
  return isSymbol(chord.key) || e.shiftKey === !!chord.shift
}

/** Whether a key press is this shortcut (its first chord, for Esc-then-Tab). */
export function matchesShortcut(id: ShortcutId, e: KeyPress, mac: boolean = isMac): boolean {
  return (SHORTCUTS[id] as Shortcut).keys.some((k) => matchesChord(k, e, mac))
}

const KEY_NAMES: Record<string, string> = { Escape: 'Esc', ' ': 'Space', ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→' }

/** The keys of a chord as shown, one per <kbd>: ['Cmd', 'Shift', 'S'] on a Mac, ['Ctrl', 'Shift', 'S'] elsewhere. */
export function chordKeys(chord: KeyChord, mac: boolean = isMac): string[] {
  const out: string[] = []
  if (chord.ctrl) out.push('Ctrl')
  if (chord.mod) out.push(modKeyName(mac))
  if (chord.alt) out.push(mac ? 'Option' : 'Alt')
  if (chord.shift) out.push('Shift')
  out.push(KEY_NAMES[chord.key] ?? (chord.key.length === 1 ? chord.key.toUpperCase() : chord.key))
  return out
}

/** A shortcut in words, for tooltips: "Ctrl+Shift+S", "Ctrl+/ or Ctrl+?", "Esc, then Tab". */
export function shortcutLabel(id: ShortcutId, mac: boolean = isMac): string {
  const s = SHORTCUTS[id] as Shortcut
  const first = s.keys.map((k) => chordKeys(k, mac).join('+')).join(' or ')
  return s.then ? `${first}, then ${chordKeys(s.then, mac).join('+')}` : first
}

/** CodeMirror key names for a shortcut's chords ('Mod-s', 'Mod-Shift-z'): the YAML editor's keymap. */
export function codeMirrorKeys(id: ShortcutId): string[] {
  return (SHORTCUTS[id] as Shortcut).keys.map((k) =>
    [k.ctrl ? 'Ctrl' : null, k.mod ? 'Mod' : null, k.alt ? 'Alt' : null, k.shift ? 'Shift' : null, k.key === ' ' ? 'Space' : k.key].filter(Boolean).join('-'),
  )
}
