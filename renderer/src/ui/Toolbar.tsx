import { type KeyboardEvent, type ReactNode, useLayoutEffect, useRef } from 'react'

import { nextTabIndex } from './ViewTabs'

const ITEMS = 'button:not([disabled])'

/**
 * A row of related buttons (a message's Copy, Edit, Regenerate, Delete) as
 * one Tab stop: role="toolbar", the arrow keys, Home and End move inside it,
 * and the last button used keeps the stop (roving tabindex).
 */
export function Toolbar({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null)
  const current = useRef(0)

  // After every render (buttons come and go): exactly one enabled button is in the Tab order.
  useLayoutEffect(() => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(ITEMS) ?? [])]
    if (current.current >= items.length) current.current = Math.max(0, items.length - 1)
    items.forEach((b, i) => (b.tabIndex = i === current.current ? 0 : -1))
  })

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>(ITEMS)]
    const at = items.indexOf(document.activeElement as HTMLElement)
    const key = e.key === 'ArrowUp' || e.key === 'ArrowDown' ? '' : e.key
    const next = at < 0 ? null : nextTabIndex(key, at, items.length)
    if (next === null) return
    e.preventDefault()
    focusItem(items, next)
  }

  const focusItem = (items: HTMLElement[], i: number) => {
    current.current = i
    items.forEach((b, j) => (b.tabIndex = j === i ? 0 : -1))
    items[i].focus()
  }

  return (
    <div
      ref={ref}
      role="toolbar"
      aria-label={label}
      aria-orientation="horizontal"
      className={className}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const items = [...e.currentTarget.querySelectorAll<HTMLElement>(ITEMS)]
        const at = items.indexOf(e.target as HTMLElement)
        if (at >= 0 && at !== current.current) focusItem(items, at)
      }}
    >
      {children}
    </div>
  )
}
