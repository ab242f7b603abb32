import { matchesShortcut } from '@renderer/lib/shortcuts'
import { copyText } from '@renderer/stream/markdown/clipboard'
import { Icon } from '@renderer/ui/Icon'
import { Toolbar } from '@renderer/ui/Toolbar'
import type { PromptMessage } from '@shared/ipc/domains/history'
import { memo, useMemo, useState } from 'react'

import { selectPane, setMessages, usePlayground } from '../playground-store'
import { editFailed, resendFrom, retryFailed } from '../run-controller'
import { AssistantMessage } from './AssistantMessage'

/**
 * The conversation of one pane. Re-renders only when its messages change
 * (an edit, a run ending), never while text streams: the live answer
 * paints itself. An answer being continued streams in its own place.
 */
export const MessageList = memo(function MessageList({ paneId }: { paneId: string }) {
  const messages = usePlayground((s) => selectPane(paneId)(s)?.doc.messages)
  const params = usePlayground((s) => selectPane(paneId)(s)?.doc.params)
  const liveRequestId = usePlayground((s) => selectPane(paneId)(s)?.liveRequestId ?? null)
  const continuing = usePlayground((s) => selectPane(paneId)(s)?.continuing ?? null)
  const answered = useMemo(() => new Set((messages ?? []).filter((m) => m.role === 'tool').map((m) => m.toolCallId ?? '')), [messages])
  if (!messages || !params) return null
  // The last turn that is sent (failed turns are not): Regenerate and Continue belong to it.
  const lastSent = [...messages].reverse().find((m) => !m.failed)
  return (
    // Busy while an answer streams: assistive technology waits for it to settle (the announcer says when it is complete).
    <div className="pg-messages" data-testid="messages" aria-busy={liveRequestId ? true : undefined}>
      {[
        ...messages.map((m) =>
          m.role === 'assistant' ? (
            <AssistantMessage
              key={m.id}
              paneId={paneId}
              message={m}
              liveRequestId={continuing === m.id ? liveRequestId : null}
              isLast={!liveRequestId && m === lastSent}
              params={params}
              answered={answered}
            />
          ) : (
            <TurnMessage key={m.id} paneId={paneId} message={m} running={!!liveRequestId} />
          ),
        ),
        // In the same list as the saved messages: when the run is saved under the same id (the
        // request id), React keeps this component and its DOM instead of mounting the answer again.
        liveRequestId && !continuing ? (
          <AssistantMessage key={liveRequestId} paneId={paneId} message={null} liveRequestId={liveRequestId} isLast params={params} answered={answered} />
        ) : null,
      ]}
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
  const failedNote = message.failed ? `${message.id}-failed` : undefined
  return (
    <div
      className={`pg-msg pg-msg-${message.role}${message.failed ? ' pg-msg-failed' : ''}`}
      data-testid={`${message.role}-message`}
      data-failed={message.failed ? 'true' : undefined}
    >
      <div className="pg-msg-head">
        <span className="pg-role">{isTool ? `Tool result · ${message.toolCallId ?? ''}` : 'User'}</span>
        {message.failed ? (
          <span className="badge danger" data-testid="failed-badge">
            Failed · not sent
          </span>
        ) : null}
        <span className="grow" />
        {editing === null ? (
          <Toolbar label={isTool ? 'Tool result actions' : 'Message actions'} className="pg-msg-actions">
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
          </Toolbar>
        ) : null}
      </div>
      {editing === null ? (
        <div className="pg-msg-text" aria-describedby={failedNote}>
          {message.content}
        </div>
      ) : (
        <div className="pg-edit">
          <textarea
            className="input pg-textarea"
            value={editing}
            autoFocus
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => {
              if (matchesShortcut('saveEdit', e)) {
                e.preventDefault()
                save(true)
              } else if (matchesShortcut('cancelEdit', e)) {
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
      {message.failed && editing === null ? <FailedTurnNote paneId={paneId} message={message} id={failedNote!} running={running} /> : null}
    </div>
  )
})

/** Why a prompt failed, that it is left out of what is sent, and the two ways on: Retry or Edit. */
function FailedTurnNote({ paneId, message, id, running }: { paneId: string; message: PromptMessage; id: string; running: boolean }) {
  const canRetry = message.role === 'user'
  return (
    <div className="pg-failed-note" id={id} data-testid="failed-note">
      <Icon name="warning" size={14} />
      <span className="grow">
        <strong>This message failed:</strong> {message.failed!.message} It is left out of what is sent to the model: retry it, or edit it in the message box.
      </span>
      {canRetry ? (
        <>
          <button className="btn" disabled={running} onClick={() => retryFailed(paneId, message.id)} data-testid="retry-failed">
            <Icon name="refresh" size={14} /> Retry
          </button>
          <button
            className="btn ghost"
            disabled={running}
            onClick={(e) => {
              const composer = e.currentTarget.closest('.pg-pane')?.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')
              editFailed(paneId, message.id)
              // The prompt is in the composer now: put the caret at its end there.
              requestAnimationFrame(() => {
                if (!composer) return
                composer.focus()
                composer.setSelectionRange(composer.value.length, composer.value.length)
              })
            }}
            data-testid="edit-failed"
          >
            <Icon name="edit" size={14} /> Edit
          </button>
        </>
      ) : null}
    </div>
  )
}
