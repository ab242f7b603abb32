import { copyText } from '@renderer/stream/markdown/clipboard'
import { Icon } from '@renderer/ui/Icon'
import type { PromptMessage } from '@shared/ipc/domains/history'
import { memo, useMemo, useState } from 'react'

import { selectPane, setMessages, usePlayground } from '../playground-store'
import { resendFrom } from '../run-controller'
import { AssistantMessage } from './AssistantMessage'

/**
 * The conversation of one pane. Re-renders only when its messages change
 * (an edit, a run ending), never while text streams: the live answer
 * paints itself.
 */
export const MessageList = memo(function MessageList({ paneId }: { paneId: string }) {
  const messages = usePlayground((s) => selectPane(paneId)(s)?.doc.messages)
  const params = usePlayground((s) => selectPane(paneId)(s)?.doc.params)
  const liveRequestId = usePlayground((s) => selectPane(paneId)(s)?.liveRequestId ?? null)
  const answered = useMemo(() => new Set((messages ?? []).filter((m) => m.role === 'tool').map((m) => m.toolCallId ?? '')), [messages])
  if (!messages || !params) return null
  const lastAssistant = [...messages].reverse().find((m) => m.role === 'assistant')
  return (
    <div className="pg-messages" data-testid="messages">
      {messages.map((m, i) =>
        m.role === 'assistant' ? (
          <AssistantMessage
            key={m.id}
            paneId={paneId}
            message={m}
            liveRequestId={null}
            isLast={!liveRequestId && m === lastAssistant && i === messages.length - 1}
            params={params}
            answered={answered}
          />
        ) : (
          <TurnMessage key={m.id} paneId={paneId} message={m} running={!!liveRequestId} />
        ),
      )}
      {liveRequestId ? (
        <AssistantMessage key={liveRequestId} paneId={paneId} message={null} liveRequestId={liveRequestId} isLast params={params} answered={answered} />
      ) : null}
    </div>
  )
})

const TurnMessage = memo(function TurnMessage({ paneId, message, running }: { paneId: string; message: PromptMessage; running: boolean }) {
  const [editing, setEditing] = useState<string | null>(null)
  const isTool = message.role === 'tool'
  const save = (resend: boolean) => {
    if (editing === null) return
    if (resend) resendFrom(paneId, message.id, editing)
    else setMessages(paneId, (ms) => ms.map((m) => (m.id === message.id ? { ...m, content: editing } : m)))
    setEditing(null)
  }
  return (
    <div className={`pg-msg pg-msg-${message.role}`} data-testid={`${message.role}-message`}>
      <div className="pg-msg-head">
        <span className="pg-role">{isTool ? `Tool result · ${message.toolCallId ?? ''}` : 'User'}</span>
        <span className="grow" />
        {editing === null ? (
          <>
            <button className="btn ghost icon" title="Copy" aria-label="Copy message" onClick={() => void copyText(message.content)}>
              <Icon name="copy" size={14} />
            </button>
            <button
              className="btn ghost icon"
              title="Edit"
              aria-label="Edit message"
              disabled={running}
              onClick={() => setEditing(message.content)}
              data-testid="edit-message"
            >
              <Icon name="edit" size={14} />
            </button>
            <button
              className="btn ghost icon"
              title="Delete"
              aria-label="Delete message"
              disabled={running}
              onClick={() => setMessages(paneId, (ms) => ms.filter((m) => m.id !== message.id))}
            >
              <Icon name="trash" size={14} />
            </button>
          </>
        ) : null}
      </div>
      {editing === null ? (
        <div className="pg-msg-text">{message.content}</div>
      ) : (
        <div className="pg-edit">
          <textarea
            className="input pg-textarea"
            value={editing}
            autoFocus
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault()
                save(true)
              } else if (e.key === 'Escape') {
                e.stopPropagation()
                setEditing(null)
              }
            }}
            data-testid="edit-textarea"
          />
          <div className="row">
            {!isTool ? (
              <button className="btn primary" onClick={() => save(true)} data-testid="save-and-resend">
                Save and resend
              </button>
            ) : null}
            <button className="btn" onClick={() => save(false)}>
              Save
            </button>
            <button className="btn ghost" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  )
})
