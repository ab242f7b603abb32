import { type RunSummary, SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/ipc/domains/history'
import { useVirtualizer } from '@tanstack/react-virtual'
import { type KeyboardEvent, memo, useCallback, useEffect, useId, useRef, useState } from 'react'

import { fmtDateTime, fmtMs, fmtRate, fmtUsd } from '../../lib/format'
import { DemoBadge } from '../../ui/DemoBadge'
import { EndpointBadge } from './EndpointBadge'
import type { LoadedRuns } from './loaded-runs'

/**
 * The saved runs as a listbox that renders only the rows in view (and a few
 * either side), so a history of 100,000 runs keeps the page small. Scrolling
 * near the end of what is loaded asks for the next page. Keyboard: arrows,
 * Page Up/Down, Home and End move through the rows, Enter or Space opens one.
 */

/**
 * Every row is this tall (history.css, .hi-row), so nothing is measured while
 * scrolling: a measured row would relayout the list behind it.
 */
const ROW_HEIGHT = 116
const ROW_GAP = 6
/** Ask for the next page when the last row in view is this close to the end of what is loaded. */
const LOAD_AHEAD = 20

const HIT = new RegExp(`${SNIPPET_OPEN}([^${SNIPPET_CLOSE}]*)${SNIPPET_CLOSE}`, 'g')
const MATCHED_IN: Record<NonNullable<RunSummary['matchedIn']>, string> = {
  prompt: 'Matched in its prompt',
  answer: 'Matched in its answer',
  earlier: 'Matched in an earlier turn',
}

/** What a search matched: where, and the passage with each hit highlighted. */
function Snippet({ text, where }: { text: string; where: RunSummary['matchedIn'] }) {
  // split with one capture group: even indexes are plain text, odd ones the hits.
  const parts = text.split(HIT)
  return (
    <>
      {where ? <span className="hi-matched">{MATCHED_IN[where]}: </span> : null}
      {parts.map((p, i) => (i % 2 ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>))}
    </>
  )
}

/** A row's content: the same run renders nothing new when the list renders again for a scroll. */
const RunRow = memo(function RunRow({ run: r }: { run: RunSummary }) {
  return (
    <>
      <div className="hi-row-top">
        <span className={`dot ${r.status === 'ok' ? 'ok' : r.status === 'aborted' ? 'warn' : 'danger'}`} title={r.status} />
        <span className="mono hi-model">{r.model}</span>
        {r.source !== 'playground' ? <span className="badge">{r.source}</span> : null}
        {r.demo ? <DemoBadge testId="history-row-demo" /> : null}
        <EndpointBadge endpoint={r.endpoint} testId="history-row-endpoint" />
        {r.errorCode ? <span className={`badge ${r.status === 'aborted' ? 'warn' : 'danger'}`}>{r.errorCode}</span> : null}
        <span className="grow" />
        <span className="hi-dim">{fmtDateTime(r.startedAt)}</span>
      </div>
      <div className="hi-prompt">{r.promptPreview || '—'}</div>
      <div className="hi-output" data-testid={r.snippet ? 'history-row-snippet' : undefined} data-matched-in={r.matchedIn ?? undefined}>
        {r.snippet ? <Snippet text={r.snippet} where={r.matchedIn} /> : r.outputPreview || (r.errorCode ? r.errorCode : '—')}
      </div>
      {r.ttftMs !== null || r.completionTokens !== null ? (
        <div className="hi-figures">
          <span>TTFT {fmtMs(r.ttftMs)}</span>
          <span>{fmtRate(r.decodeTokensPerSec)}</span>
          <span>
            {r.promptTokens ?? '—'} → {r.completionTokens ?? '—'} tok
          </span>
          <span>{fmtUsd(r.costUsd)}</span>
        </div>
      ) : null}
    </>
  )
})

export interface RunListProps {
  /** The loaded runs; pages are appended to the store in place, so only the first `count` are this render's. */
  runs: LoadedRuns
  count: number
  /** Another page can be asked for. */
  hasMore: boolean
  loading: boolean
  selected: string | null
  onOpen: (id: string) => void
  onNeedMore: () => void
}

export function RunList({ runs, count, hasMore, loading, selected, onOpen, onNeedMore }: RunListProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const idPrefix = useId()
  const [active, setActive] = useState(0)
  // The same function for the whole list (a page arriving appends to the same store): the virtualizer lays out every row again (100,000 at the end of a long history) whenever getItemKey is a new function, which an inline one is on every render.
  const getItemKey = useCallback((i: number) => runs.ids[i], [runs])
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey,
    overscan: 4,
    gap: ROW_GAP,
    // Scroll updates render with React's batching instead of synchronously inside each scroll event.
    useFlushSync: false,
  })
  const items = virtualizer.getVirtualItems()
  const lastInView = items.length ? items[items.length - 1].index : -1

  useEffect(() => {
    if (hasMore && !loading && lastInView >= count - LOAD_AHEAD) onNeedMore()
  }, [hasMore, loading, lastInView, count, onNeedMore])

  // A new list (other filters, a search) starts at its first row.
  const first = runs.ids[0]
  useEffect(() => setActive(0), [first])

  const current = Math.max(0, Math.min(active, count - 1))
  const optionId = (i: number) => `${idPrefix}-run-${i}`
  const rendered = items.some((v) => v.index === current)

  const moveTo = (i: number) => {
    const next = Math.max(0, Math.min(i, count - 1))
    setActive(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return
    const perPage = Math.max(1, items.length - 2 * 4 - 1)
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(current - 1),
      PageDown: () => moveTo(current + perPage),
      PageUp: () => moveTo(current - perPage),
      Home: () => moveTo(0),
      End: () => moveTo(count - 1),
      Enter: () => onOpen(runs.ids[current]),
      ' ': () => onOpen(runs.ids[current]),
    }
    const act = keys[e.key]
    if (!act || e.altKey || e.ctrlKey || e.metaKey) return
    e.preventDefault()
    act()
  }

  if (count === 0) return null
  return (
    <div
      ref={scroller}
      className="hi-list"
      role="listbox"
      aria-label="Saved runs"
      tabIndex={0}
      aria-activedescendant={rendered ? optionId(current) : undefined}
      aria-busy={loading}
      onKeyDown={onKeyDown}
      data-testid="history-list"
      data-count={count}
    >
      <div className="hi-list-space" role="presentation" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((v) => {
          const r = runs.at(v.index)
          return (
            <div
              key={v.key}
              id={optionId(v.index)}
              data-index={v.index}
              role="option"
              aria-selected={selected === r.id}
              // The total is known only once the last page is in.
              aria-setsize={hasMore ? -1 : count}
              aria-posinset={v.index + 1}
              className={`hi-row${selected === r.id ? ' selected' : ''}${v.index === current ? ' active' : ''}`}
              style={{ transform: `translateY(${v.start}px)` }}
              onClick={() => {
                setActive(v.index)
                onOpen(r.id)
              }}
              data-testid="history-row"
              data-run-id={r.id}
            >
              <RunRow run={r} />
            </div>
          )
        })}
      </div>
    </div>
  )
}
