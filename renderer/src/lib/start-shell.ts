import { matchesShortcut } from './shortcuts'
import { shownTheme } from './shown-theme'
import type { ScreenId, ThemeChoice } from './store'

/**
 * The start shell: the main navigation and the playground's message box, put into index.html by the build
 * (app/StartShell.tsx) and so on screen, and usable, before any of the app's code has run. Typing works at once (a
 * plain text box); what the user asks of the rest is kept for the app:
 *
 * - the page's entry watches the shell (watchStartShell): a screen picked, a theme picked, the shortcut sheet asked
 *   for, a send (the Send button or Ctrl/Cmd+Enter);
 * - once the playground's saved draft is in, the box shows its unsent text, what was typed kept after it, and from
 *   then on every keystroke goes to the first pane as well (bindStartShellText, draft-persistence.ts);
 * - in the app's first commit, the first pane's real box takes the focus, the selection and a queued send
 *   (adoptStartShellFocus, Composer.tsx), then the app takes the rest and removes the shell (takeStartShell,
 *   App.tsx). Both run in the one task that puts the app on screen, so no frame shows both or neither.
 * - the app's first render waits while an input method is composing text in the box (startShellComposed, start.tsx):
 *   taking the box over would cancel the composition.
 *
 * Should the app's code fail to load, the shell says so (showStartFailure), Send stands disabled (it, the screen
 * buttons and the shortcut sheet's say so again), and the box's text is kept in the window's session storage, which
 * the shell gives back to its box when the window is reloaded.
 */

export const START_SHELL_ID = 'start-shell'

/** What was asked of the shell's buttons before the app was up. */
export interface StartShellRequests {
  screen: ScreenId | null
  theme: ThemeChoice | null
  shortcuts: boolean
}

interface BoxState {
  text: string
  selectionStart: number
  selectionEnd: number
  focused: boolean
  scrollTop: number
}

const requests: StartShellRequests = { screen: null, theme: null, shortcuts: false }
let sendQueued = false
/** The box as it was when the app removed the shell, for a first pane that shows later (another screen first). */
let boxAtTakeover: BoxState | null = null
let focusAdopted = false
/**
 * How far the box was scrolled, kept as it scrolls: read in the app's first commit, box.scrollTop would lay out the
 * whole new page inside that task, which then runs as long as the commit and the frame's layout together.
 */
let boxScrollTop = 0
/** The app's code could not be loaded (showStartFailure): nothing the shell is asked for will be carried out. */
let loadFailed = false
/** The box's text goes to the first pane, whose draft is saved (bindStartShellText): the app keeps it, not the shell. */
let textBound = false

/** An input method is composing text in the box (its preedit is in the box, not yet committed). */
let composing = false
/** Waiting for the composition to end (startShellComposed). */
const composedWaiters: Array<() => void> = []

/** Session storage's key for the box's text after a failed load: a reload of the window brings it back. */
const UNSENT_TEXT_KEY = 'wafer.start-shell.unsent'

function shellOf(doc: Document): HTMLElement | null {
  return doc.getElementById(START_SHELL_ID)
}

function boxOf(doc: Document): HTMLTextAreaElement | null {
  return shellOf(doc)?.querySelector<HTMLTextAreaElement>('[data-testid="composer"]') ?? null
}

function stateOf(box: HTMLTextAreaElement): BoxState {
  return {
    text: box.value,
    selectionStart: box.selectionStart,
    selectionEnd: box.selectionEnd,
    focused: box.ownerDocument.activeElement === box,
    scrollTop: boxScrollTop,
  }
}

/** The page's entry: keep what the shell's buttons and keys ask for until the app takes it (takeStartShell). */
export function watchStartShell(doc: Document = document): void {
  const shell = shellOf(doc)
  if (!shell) return
  restoreUnsentText(doc)
  shell.addEventListener('click', (e) => {
    const button = (e.target as Element | null)?.closest?.('button')
    if (!button || !shell.contains(button)) return
    const testId = button.dataset.testid ?? ''
    // A theme still applies at once; what needs the app's code says again that it could not be loaded.
    if (button.dataset.themeChoice) pickTheme(doc, shell, button, button.dataset.themeChoice as ThemeChoice)
    else if (loadFailed) repeatStartFailure(doc)
    else if (testId.startsWith('nav-')) pickScreen(shell, button, testId.slice('nav-'.length) as ScreenId)
    else if (testId === 'shortcuts-button') requests.shortcuts = true
    else if (testId === 'send') sendQueued = true
  })
  const box = boxOf(doc)
  box?.addEventListener('scroll', (e) => (boxScrollTop = (e.target as HTMLTextAreaElement).scrollTop), { passive: true })
  box?.addEventListener('compositionstart', () => (composing = true))
  // Also from input events, for a composition begun before this script ran.
  box?.addEventListener('input', (e) => (composing = (e as InputEvent).isComposing))
  box?.addEventListener('compositionend', () => {
    composing = false
    for (const resolve of composedWaiters.splice(0)) resolve()
  })
  shell.addEventListener('keydown', (e) => {
    if ((e.target as Element | null)?.matches?.('[data-testid="composer"]') && matchesShortcut('send', e)) {
      e.preventDefault()
      if (loadFailed) repeatStartFailure(doc)
      else sendQueued = true
    }
  })
}

/**
 * Resolves when no input method is composing text in the shell's box: at once, mostly; else when the composition
 * ends (committed, cancelled, or the box left). The app's first render waits for it: the commit that takes the box
 * over moves the focus to the app's own box, which cancels a composition, and the candidate the user was choosing
 * would be gone.
 */
export function startShellComposed(): Promise<void> {
  if (!composing) return Promise.resolve()
  return new Promise((resolve) => composedWaiters.push(resolve))
}

/** After a failed load (showStartFailure), the alert put back in the page: screen readers announce it again. */
function repeatStartFailure(doc: Document): void {
  const note = doc.querySelector('[data-testid="start-failure"]')
  note?.parentNode?.insertBefore(note, note.nextSibling)
}

/** A screen button: marked current at once; the playground's box stays in the page, hidden, with what was typed. */
function pickScreen(shell: HTMLElement, button: HTMLElement, screen: ScreenId): void {
  requests.screen = screen
  for (const b of shell.querySelectorAll('[data-testid^="nav-"]')) b.removeAttribute('aria-current')
  button.setAttribute('aria-current', 'page')
  const main = shell.querySelector<HTMLElement>('main')
  const playground = main?.firstElementChild as HTMLElement | null | undefined
  if (!main || !playground) return
  // Not `hidden`: the screen's own display rule would win over it.
  playground.style.display = screen === 'playground' ? '' : 'none'
  main.setAttribute('aria-busy', String(screen !== 'playground'))
  let status = main.querySelector<HTMLElement>('[data-start-shell-status]')
  if (!status) {
    status = shell.ownerDocument.createElement('p')
    status.className = 'sr-only'
    status.setAttribute('role', 'status')
    status.dataset.startShellStatus = ''
    main.append(status)
  }
  status.textContent = screen === 'playground' ? '' : `Loading ${button.querySelector('.label')?.textContent ?? screen}…`
}

/** A theme button: shown at once (the choice is saved once the app is up). */
function pickTheme(doc: Document, shell: HTMLElement, button: HTMLElement, theme: ThemeChoice): void {
  requests.theme = theme
  for (const b of shell.querySelectorAll('[data-theme-choice]')) b.setAttribute('aria-pressed', String(b === button))
  doc.documentElement.dataset.theme = shownTheme(theme, !!doc.defaultView?.matchMedia('(prefers-color-scheme: dark)').matches)
}

/**
 * The first pane's text while the shell is up: `saved` (the pane's unsent text from the draft) goes into the box
 * before whatever was typed there, and `onText` hears the box's text now and after every change, until the app
 * removes the shell. Without a shell (the app already took it over), `onText` hears the saved text joined with what
 * the box held then, if anything.
 */
export function bindStartShellText(saved: string, onText: (text: string) => void, doc: Document = document): void {
  const box = boxOf(doc)
  // The first pane has the box's text from here on, saved with the draft: no longer the shell's to keep.
  keepUnsentText(doc, '')
  if (!box) {
    if (boxAtTakeover?.text) {
      const joined = joinTexts(saved, boxAtTakeover.text)
      boxAtTakeover.selectionStart += joined.offset
      boxAtTakeover.selectionEnd += joined.offset
      boxAtTakeover.text = joined.text
      onText(joined.text)
    }
    return
  }
  if (saved) putBeforeTyped(box, saved)
  if (saved || box.value) onText(box.value)
  box.addEventListener('input', () => onText(box.value))
  textBound = true
}

/** `text` into the box before what was typed there (joinTexts): the typed text keeps its caret; an untouched box gets it at the end. */
function putBeforeTyped(box: HTMLTextAreaElement, text: string): void {
  const before = stateOf(box)
  const joined = joinTexts(text, before.text)
  box.value = joined.text
  if (before.text) box.setSelectionRange(before.selectionStart + joined.offset, before.selectionEnd + joined.offset)
  else box.setSelectionRange(joined.text.length, joined.text.length)
}

/** The saved text, then (on a line of its own) the typed text; `offset`: where the typed text now starts. */
function joinTexts(saved: string, typed: string): { text: string; offset: number } {
  if (!saved) return { text: typed, offset: 0 }
  if (!typed) return { text: saved, offset: saved.length }
  const prefix = saved.endsWith('\n') ? saved : `${saved}\n`
  return { text: prefix + typed, offset: prefix.length }
}

/**
 * The first pane's box, in the app's first commit that shows it: takes the shell box's focus, selection and scroll
 * (its text is the pane's already: bindStartShellText), once. Says whether a send was asked for meanwhile.
 */
export function adoptStartShellFocus(target: HTMLTextAreaElement, doc: Document = document): { sendQueued: boolean } {
  if (focusAdopted) return { sendQueued: false }
  const box = boxOf(doc)
  const state = box ? stateOf(box) : boxAtTakeover
  if (!state) return { sendQueued: false }
  focusAdopted = true
  if (state.focused) {
    target.focus({ preventScroll: true })
    const end = target.value.length
    target.setSelectionRange(Math.min(state.selectionStart, end), Math.min(state.selectionEnd, end))
    // Set only when it was scrolled: like reading it, setting it lays the page out at once.
    if (state.scrollTop) target.scrollTop = state.scrollTop
  }
  const queued = sendQueued
  sendQueued = false
  return { sendQueued: queued }
}

/**
 * The app's code could not be loaded: the shell says so, under the screen's title, and how to try again; Send stands
 * disabled; the box's text, now and as it is edited, is kept in the window's session storage, so that the reload it
 * asks for loses none of it (restoreUnsentText). Without a shell (the app is up), nothing: the app's own error
 * reporting has it.
 */
export function showStartFailure(err: unknown, doc: Document = document): void {
  const shell = shellOf(doc)
  // Under the screen's title, where the playground's own notices go: the screen's column makes room for it.
  const header = shell?.querySelector('main .screen-header')
  if (!shell || !header) return
  loadFailed = true
  sendQueued = false
  shell.querySelector('[data-testid="send"]')?.setAttribute('aria-disabled', 'true')
  const box = boxOf(doc)
  if (box && !textBound) {
    keepUnsentText(doc, box.value)
    box.addEventListener('input', () => keepUnsentText(doc, box.value))
  }
  const note = doc.createElement('div')
  note.className = 'callout danger'
  note.setAttribute('role', 'alert')
  note.dataset.testid = 'start-failure'
  const why = err instanceof Error ? err.message : String(err)
  note.textContent = `Wafer Console could not load its code (${why}). Reload the window (Ctrl+R or Cmd+R) to try again: what you typed stays in the box, and is there again after the reload.`
  header.after(note)
}

/** The window's session storage, or null where the page may not use it (then a reload cannot bring text back). */
function sessionStore(doc: Document): Storage | null {
  try {
    return doc.defaultView?.sessionStorage ?? null
  } catch {
    return null
  }
}

function keepUnsentText(doc: Document, text: string): void {
  try {
    if (text) sessionStore(doc)?.setItem(UNSENT_TEXT_KEY, text)
    else sessionStore(doc)?.removeItem(UNSENT_TEXT_KEY)
  } catch {
    // Full or refused: the text is still in the box.
  }
}

/**
 * The text kept after a failed load (showStartFailure), back in the box, before anything typed since this load
 * began. It stays kept until the first pane has it (bindStartShellText), in case this load fails too.
 */
function restoreUnsentText(doc: Document): void {
  const box = boxOf(doc)
  const kept = sessionStore(doc)?.getItem(UNSENT_TEXT_KEY)
  if (box && kept) putBeforeTyped(box, kept)
}

/** The app's first commit: removes the shell and returns what its buttons were asked for (null: no shell, or taken). */
export function takeStartShell(doc: Document = document): StartShellRequests | null {
  const shell = shellOf(doc)
  if (!shell) return null
  const box = boxOf(doc)
  if (box && !focusAdopted) boxAtTakeover = stateOf(box)
  // A send asked for on the playground is not made behind another screen the user went on to.
  if (requests.screen && requests.screen !== 'playground') sendQueued = false
  shell.remove()
  return { ...requests }
}
