import { appStreamHub } from '@renderer/stream/app-streams'
import { Icon } from '@renderer/ui/Icon'
import { memo, useEffect, useRef } from 'react'

import { newChat, selectPane, setActivePane, usePlayground } from '../playground-store'
import { BudgetBar } from './BudgetBar'
import { Composer } from './Composer'
import { MessageList } from './MessageList'
import { RunOutcome } from './RunOutcome'
import { SystemPrompt } from './SystemPrompt'

/** One conversation: system prompt, messages, the live answer, its figures, budget and composer. */
export const ChatPane = memo(function ChatPane({ paneId, index, compact }: { paneId: string; index: number; compact: boolean }) {
  const active = usePlayground((s) => s.activePane === paneId)
  const model = usePlayground((s) => selectPane(paneId)(s)?.doc.params.model ?? '')
  const liveRequestId = usePlayground((s) => selectPane(paneId)(s)?.liveRequestId ?? null)
  const scroller = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)

  // Follow the answer as it grows, unless the user scrolled up to read.
  useEffect(() => {
    if (!liveRequestId) return
    const el = scroller.current!
    pinned.current = true
    el.scrollTop = el.scrollHeight
    let queued = false
    return appStreamHub().onText(liveRequestId, () => {
      // After every stream of this frame has painted (a microtask runs once the frame's
      // callback returns), so several panes cost one layout, not one each.
      if (!pinned.current || queued) return
      queued = true
      queueMicrotask(() => {
        queued = false
        el.scrollTop = el.scrollHeight
      })
    })
  }, [liveRequestId])

  return (
    <div
      className={`pg-pane${active && compact ? ' pg-pane-active' : ''}`}
      onFocusCapture={() => setActivePane(paneId)}
      onMouseDown={() => setActivePane(paneId)}
      data-testid={`pane-${index}`}
    >
      {compact ? (
        <div className="pg-pane-head">
          <span className="pg-pane-index">{index + 1}</span>
          <span className="mono pg-pane-model">{model}</span>
          <span className="grow" />
          <button
            className="btn ghost icon"
            title="New chat in this pane"
            aria-label="New chat in this pane"
            onClick={() => newChat(paneId)}
            disabled={!!liveRequestId}
          >
            <Icon name="plus" size={14} />
          </button>
        </div>
      ) : null}
      <div
        className="pg-scroll"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48
        }}
      >
        <SystemPrompt paneId={paneId} />
        <MessageList paneId={paneId} />
        <RunOutcome paneId={paneId} />
      </div>
      <BudgetBar paneId={paneId} />
      <Composer paneId={paneId} compact={compact} />
    </div>
  )
})
