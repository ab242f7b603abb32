import './dialog.css'

import { type KeyboardEvent, type MouseEvent, type ReactNode, useEffect, useId, useLayoutEffect, useRef } from 'react'

import { matchesShortcut } from '../lib/shortcuts'
import { FOCUSABLE, INITIAL_FOCUS, wrapFocus } from './dialog-focus'
import { offerOverlayHost } from './overlay-host'

interface Props {
  /** Shown as the heading and names the dialog for assistive technology. */
  title: string
  /** Esc, a click on the backdrop, or the dialog's own buttons; the caller stops rendering it. */
  onClose: () => void
  children: ReactNode
  /** Extra classes for the box, e.g. a wider width. */
  className?: string
  testId?: string
}

/**
 * The app's one modal dialog: a native <dialog> opened with showModal(), so
 * the page behind is inert. The focus moves in (to a `data-autofocus` control,
 * else the first one), Tab and Shift+Tab stay inside, Esc closes, and the focus
 * returns to the control that opened it. Render it while open; unmounting closes it.
 */
export function Dialog({ title, onClose, children, className, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const close = useRef(onClose)
  close.current = onClose
  const overlay = useRef<HTMLDivElement>(null)

  // Toasts and announcements move in here while it is open: the page behind is inert and under the top layer.
  useLayoutEffect(() => (overlay.current ? offerOverlayHost(overlay.current) : undefined), [])

  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    const first = dialog.querySelector<HTMLElement>(INITIAL_FOCUS) ?? dialog.querySelector<HTMLElement>(FOCUSABLE)
    ;(first ?? dialog).focus()
    return () => {
      if (dialog.open) dialog.close()
      // Back to where the keyboard was, if that control is still there.
      if (opener && opener.isConnected) opener.focus()
    }
  }, [])

  // Closing from outside (e.g. the browser's own close request) goes through the caller too.
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const onCancel = (e: Event) => {
      e.preventDefault()
      close.current()
    }
    dialog.addEventListener('cancel', onCancel)
    return () => dialog.removeEventListener('cancel', onCancel)
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (matchesShortcut('closeDialog', e)) {
      // Ours alone: the screen behind must not also act on it (e.g. stop a stream).
      e.preventDefault()
      e.stopPropagation()
      close.current()
      return
    }
    if (e.key !== 'Tab') return
    const controls = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0)
    const next = wrapFocus(controls.length, controls.indexOf(document.activeElement as HTMLElement), e.shiftKey)
    if (next === null) {
      if (controls.length === 0) e.preventDefault()
      return
    }
    e.preventDefault()
    controls[next].focus()
  }

  // A press that starts on the backdrop closes it (the backdrop's events land on the <dialog>, outside its box).
  const onMouseDown = (e: MouseEvent<HTMLDialogElement>) => {
    if (e.target !== e.currentTarget) return
    const box = e.currentTarget.getBoundingClientRect()
    const inside = e.clientX >= box.left && e.clientX <= box.right && e.clientY >= box.top && e.clientY <= box.bottom
    if (!inside) close.current()
  }

  return (
    <dialog
      ref={ref}
      className={`dialog${className ? ` ${className}` : ''}`}
      aria-modal="true"
      aria-labelledby={titleId}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onMouseDown={onMouseDown}
    >
      <div className="dialog-body">
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
      <div ref={overlay} className="dialog-overlay-host" />
    </dialog>
  )
}
