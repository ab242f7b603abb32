/*
 * Keeping the keyboard inside a modal dialog. A modal <dialog> makes the page
 * behind it inert, but Tab from its last control still leaves for the browser's
 * own UI; these wrap it round instead. Pure, so it is tested under Node.
 */

/** What can take the keyboard focus with Tab, in document order. */
export const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]'

/** Where the focus goes first: a control marked to take it, else the first one (the dialog itself when it has none). */
export const INITIAL_FOCUS = '[data-autofocus], [autofocus]'

/**
 * Where Tab (or Shift+Tab) should move the focus among `count` controls when
 * the focus is at `index` (-1: on none of them, e.g. on the dialog itself):
 * the index to focus, or null to let the browser move it (a step that stays inside).
 */
export function wrapFocus(count: number, index: number, backwards: boolean): number | null {
  if (count === 0) return null
  if (index < 0) return backwards ? count - 1 : 0
  if (backwards && index === 0) return count - 1
  if (!backwards && index === count - 1) return 0
  return null
}
