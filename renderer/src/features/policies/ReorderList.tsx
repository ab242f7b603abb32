import { type ReactNode, useEffect, useRef, useState } from 'react'

import { matchesShortcut } from '../../lib/shortcuts'

/**
 * A list the user reorders by dragging a row, or from the keyboard: focus a
 * row and press Alt+↑ / Alt+↓ (the up/down buttons do the same). The move
 * is announced, and focus stays on the moved row.
 */

export interface ReorderListProps<T> {
  items: readonly T[]
  /** Stable identity of an item across moves. */
  keyOf: (item: T, index: number) => string
  /** Spoken name of an item, for the announcement. */
  nameOf: (item: T) => string
  label: string
  onMove: (from: number, to: number) => void
  render: (item: T, index: number) => ReactNode
  testId?: string
}

export function ReorderList<T>({ items, keyOf, nameOf, label, onMove, render, testId }: ReorderListProps<T>) {
  const [dragFrom, setDragFrom] = useState<number | null>(null)
  const [dropAt, setDropAt] = useState<number | null>(null)
  const [announce, setAnnounce] = useState('')
  const focusKey = useRef<string | null>(null)
  const listRef = useRef<HTMLOListElement>(null)

  useEffect(() => {
    if (!focusKey.current || !listRef.current) return
    const el = listRef.current.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey.current)}"]`)
    focusKey.current = null
    el?.focus()
  })

  const move = (from: number, to: number) => {
    if (to < 0 || to >= items.length || from === to) return
    const item = items[from]
    focusKey.current = keyOf(item, from)
    onMove(from, to)
    setAnnounce(`${nameOf(item)} moved to position ${to + 1} of ${items.length}`)
  }

  return (
    <>
      <ol className="pol-reorder" aria-label={label} ref={listRef} data-testid={testId}>
        {items.map((item, i) => {
          const key = keyOf(item, i)
          const marker = dropAt === i && dragFrom !== null && dragFrom !== i ? (dragFrom < i ? ' drop-after' : ' drop-before') : ''
          return (
            <li
              key={key}
              data-key={key}
              className={`pol-reorder-item${dragFrom === i ? ' dragging' : ''}${marker}`}
              tabIndex={0}
              aria-label={`${nameOf(item)}, position ${i + 1} of ${items.length}. Alt+Up or Alt+Down to move.`}
              draggable
              onDragStart={(e) => {
                setDragFrom(i)
                e.dataTransfer.effectAllowed = 'move'
                e.dataTransfer.setData('text/plain', String(i))
              }}
              onDragOver={(e) => {
                if (dragFrom === null) return
                e.preventDefault()
                e.dataTransfer.dropEffect = 'move'
                if (dropAt !== i) setDropAt(i)
              }}
              onDragLeave={() => setDropAt((d) => (d === i ? null : d))}
              onDrop={(e) => {
                e.preventDefault()
                const from = dragFrom ?? Number(e.dataTransfer.getData('text/plain'))
                setDragFrom(null)
                setDropAt(null)
                if (Number.isInteger(from)) move(from, i)
              }}
              onDragEnd={() => {
                setDragFrom(null)
                setDropAt(null)
              }}
              onKeyDown={(e) => {
                if (e.target !== e.currentTarget) return
                if (matchesShortcut('moveUp', e)) {
                  e.preventDefault()
                  move(i, i - 1)
                } else if (matchesShortcut('moveDown', e)) {
                  e.preventDefault()
                  move(i, i + 1)
                }
              }}
            >
              <span className="pol-grip" aria-hidden="true" title="Drag to reorder">
                ⋮⋮
              </span>
              <div className="pol-reorder-body">{render(item, i)}</div>
              <span className="pol-reorder-buttons">
                <button
                  type="button"
                  className="btn icon ghost"
                  disabled={i === 0}
                  onClick={() => move(i, i - 1)}
                  aria-label={`Move ${nameOf(item)} up`}
                  tabIndex={-1}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="btn icon ghost"
                  disabled={i === items.length - 1}
                  onClick={() => move(i, i + 1)}
                  aria-label={`Move ${nameOf(item)} down`}
                  tabIndex={-1}
                >
                  ↓
                </button>
              </span>
            </li>
          )
        })}
      </ol>
      <div className="pol-sr-only" aria-live="polite" data-testid={testId ? `${testId}-announce` : undefined}>
        {announce}
      </div>
    </>
  )
}
