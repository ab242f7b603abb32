import { isDemoRequest } from '@renderer/lib/demo'
import { appStreamHub } from '@renderer/stream/app-streams'
import { copyText } from '@renderer/stream/markdown/clipboard'
import { CodeBlock } from '@renderer/stream/markdown/CodeBlock'
import { StreamMarkdown } from '@renderer/stream/markdown/StreamMarkdown'
import { DemoBadge } from '@renderer/ui/DemoBadge'
import { describeFinish, FinishReasonBadge } from '@renderer/ui/FinishReason'
import { Icon } from '@renderer/ui/Icon'
import { Toolbar } from '@renderer/ui/Toolbar'
import type { PromptMessage, PromptParams } from '@shared/ipc/domains/history'
import { memo, useEffect, useMemo, useRef, useState } from 'react'

import { useJsonOutput } from '../json-output'
import { logprobsFor } from '../logprobs-cache'
import { setMessages } from '../playground-store'
import { answerToolCalls, continueAnswer, regenerate } from '../run-controller'
import { TokenLogprobs } from './TokenLogprobs'

/**
 * One answer: reasoning (collapsible, shown as it streams), the markdown
 * text, tool calls as cards, and how it ended when not normally (cut at the
 * token limit, with Continue; filtered; handed to tools). While streaming,
 * text goes from the stream hub straight to the DOM; when the run ends the
 * same component (same key) gets the saved message and keeps its DOM. A
 * saved answer being continued streams the rest into its own text.
 */

interface ToolCallView {
  id: string
  name: string
  arguments: string
}

function useLiveToolCalls(requestId: string | null): ToolCallView[] {
  const [calls, setCalls] = useState<ToolCallView[]>([])
  useEffect(() => {
    if (!requestId) return
    let shape = ''
    return appStreamHub().onText(requestId, (t) => {
      if (!t.toolCalls.length) return
      const next = t.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments }))
      const key = JSON.stringify(next)
      if (key !== shape) {
        shape = key
        setCalls(next)
      }
    })
  }, [requestId])
  return calls
}

export const AssistantMessage = memo(function AssistantMessage({
  paneId,
  message,
  liveRequestId,
  isLast,
  params,
  answered,
}: {
  paneId: string
  /** The saved answer; null for a new answer still streaming. */
  message: PromptMessage | null
  /** The stream painting into this answer: a new answer, or the continuation of `message`. */
  liveRequestId: string | null
  isLast: boolean
  params: PromptParams
  /** Tool call ids that already have a result after this message. */
  answered: ReadonlySet<string>
}) {
  const live = liveRequestId !== null
  const liveCalls = useLiveToolCalls(live ? liveRequestId : null)
  const [liveHasReasoning, setLiveHasReasoning] = useState(false)
  const [showRaw, setShowRaw] = useState(false)
  const [showLogprobs, setShowLogprobs] = useState(false)
  const logprobs = useMemo(() => (message ? logprobsFor(message.id) : undefined), [message])
  const [editing, setEditing] = useState<string | null>(null)
  const details = useRef<HTMLDetailsElement>(null)
  // Open while it streams, then left as the user has it: closing it by itself when the
  // answer ends would move (and lay out again) everything below it.
  useEffect(() => {
    if (live && details.current) details.current.open = true
  }, [live])
  const hasReasoning = (live && liveHasReasoning) || !!message?.reasoning
  const toolCalls: ToolCallView[] = live
    ? liveCalls
    : (message?.toolCalls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }))

  const contentSource = useMemo(
    () => (live ? { requestId: liveRequestId!, field: 'content' as const, prefix: message?.content } : { text: message!.content }),
    [live, liveRequestId, message],
  )
  const reasoningSource = useMemo(
    () => (live ? { requestId: liveRequestId!, field: 'reasoning' as const, prefix: message?.reasoning } : { text: message!.reasoning ?? '' }),
    [live, liveRequestId, message],
  )
  const finish = !live ? describeFinish(message?.finishReason) : null

  const jsonMode = params.responseFormat !== 'text'
  const json = useJsonOutput(!live && jsonMode && message?.content ? message.content : null, params.responseFormat === 'json_schema' ? params.schemaText : null)

  return (
    <div className={`pg-msg pg-msg-assistant${live ? ' pg-live' : ''}`} data-testid={live ? 'assistant-live' : 'assistant-message'}>
      <div className="pg-msg-head">
        <span className="pg-role">Assistant</span>
        {message?.demo || (live && isDemoRequest(liveRequestId)) ? <DemoBadge label="Demo answer" testId="answer-demo-badge" /> : null}
        {live ? <span className="badge ok">{message ? 'continuing' : 'streaming'}</span> : null}
        {!live && message?.failed ? (
          <span className="badge danger" data-testid="failed-badge">
            Failed · not sent
          </span>
        ) : null}
        {finish ? <FinishReasonBadge reason={finish.reason} /> : null}
        <span className="grow" />
        {!live && logprobs ? (
          <button
            className="btn ghost pg-lp-toggle"
            title="Each token shaded by the model's probability; hover for alternatives"
            aria-pressed={showLogprobs}
            onClick={() => setShowLogprobs((v) => !v)}
            data-testid="toggle-logprobs"
          >
            Logprobs
          </button>
        ) : null}
        {!live ? (
          <Toolbar label="Answer actions" className="pg-msg-actions">
            <button className="btn ghost icon" title="Copy" aria-label="Copy answer" onClick={() => void copyText(message!.content)}>
              <Icon name="copy" size={14} />
            </button>
            <button className="btn ghost icon" title="Edit" aria-label="Edit answer" onClick={() => setEditing(message!.content)} data-testid="edit-answer">
              <Icon name="edit" size={14} />
            </button>
            {isLast ? (
              <button className="btn ghost icon" title="Regenerate" aria-label="Regenerate" onClick={() => regenerate(paneId)} data-testid="regenerate">
                <Icon name="refresh" size={14} />
              </button>
            ) : null}
            <button
              className="btn ghost icon"
              title="Delete"
              aria-label="Delete answer"
              onClick={() => setMessages(paneId, (ms) => ms.filter((m) => m.id !== message!.id))}
            >
              <Icon name="trash" size={14} />
            </button>
          </Toolbar>
        ) : null}
      </div>
      <details className="pg-reasoning" ref={details} hidden={!hasReasoning} data-testid="reasoning">
        <summary>Reasoning</summary>
        <StreamMarkdown
          source={reasoningSource}
          className="pg-reasoning-text"
          onText={live ? (has) => has && !liveHasReasoning && setLiveHasReasoning(true) : undefined}
        />
      </details>
      {json && !showRaw ? (
        <JsonAnswer pretty={json.pretty} ok={json.ok} checked={json.checked} problems={json.problems} onRaw={() => setShowRaw(true)} />
      ) : null}
      {editing !== null ? (
        <div className="pg-edit">
          <textarea className="input pg-textarea" value={editing} autoFocus onChange={(e) => setEditing(e.target.value)} data-testid="edit-answer-textarea" />
          <div className="row">
            <button
              className="btn primary"
              onClick={() => {
                const content = editing
                setMessages(paneId, (ms) => ms.map((m) => (m.id === message!.id ? { ...m, content } : m)))
                setEditing(null)
              }}
            >
              Save
            </button>
            <button className="btn ghost" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      <StreamMarkdown source={contentSource} className={`pg-md${(json && !showRaw) || editing !== null ? ' hidden' : ''}`} testId="assistant-text" />
      {finish ? <FinishNotice paneId={paneId} messageId={message!.id} reason={finish.reason} detail={finish.detail} canContinue={isLast} /> : null}
      {!live && message?.failed ? (
        <div className="pg-failed-note" data-testid="failed-note">
          <Icon name="warning" size={14} />
          <span>
            <strong>This answer failed part-way:</strong> {message.failed.message} It is kept here but not sent to the model; retry the message above it.
          </span>
        </div>
      ) : null}
      {showLogprobs && logprobs ? <TokenLogprobs tokens={logprobs} /> : null}
      {toolCalls.length ? <ToolCalls paneId={paneId} calls={toolCalls} live={live} canAnswer={!live && isLast} answered={answered} /> : null}
    </div>
  )
})

/** Under an answer that did not end normally: what happened, and Continue for one cut at the token limit. */
function FinishNotice({
  paneId,
  messageId,
  reason,
  detail,
  canContinue,
}: {
  paneId: string
  messageId: string
  reason: string
  detail: string
  canContinue: boolean
}) {
  return (
    <div
      className={`pg-finish-note pg-finish-${reason === 'length' ? 'warn' : reason === 'content_filter' ? 'danger' : 'info'}`}
      data-testid="finish-note"
      data-reason={reason}
    >
      <span className="grow">
        {detail} <span className="pg-finish-code mono">finish_reason: {reason}</span>
      </span>
      {reason === 'length' && canContinue ? (
        <button
          className="btn"
          onClick={() => continueAnswer(paneId, messageId)}
          title="Send the conversation with this answer and ask the model to go on; the rest is appended here"
          data-testid="continue-answer"
        >
          <Icon name="send" size={14} /> Continue
        </button>
      ) : null}
    </div>
  )
}

function JsonAnswer({ pretty, ok, checked, problems, onRaw }: { pretty: string | null; ok: boolean; checked: boolean; problems: string[]; onRaw: () => void }) {
  return (
    <div className="pg-json" data-testid="json-answer">
      <div className="row">
        {ok ? (
          <span className="badge ok">{checked ? 'Valid JSON, matches the schema' : 'Valid JSON'}</span>
        ) : (
          <span className="badge danger">{pretty ? 'Does not match the schema' : 'Not valid JSON'}</span>
        )}
        <span className="grow" />
        <button className="btn ghost" onClick={onRaw}>
          Show raw
        </button>
      </div>
      {problems.length ? (
        <ul className="pg-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {pretty ? <CodeBlock className="md" code={pretty} lang="json" /> : null}
    </div>
  )
}

function ToolCalls({
  paneId,
  calls,
  live,
  canAnswer,
  answered,
}: {
  paneId: string
  calls: ToolCallView[]
  live: boolean
  canAnswer: boolean
  answered: ReadonlySet<string>
}) {
  const pending = calls.filter((c) => !answered.has(c.id))
  const [results, setResults] = useState<Record<string, string>>({})
  return (
    <div className="pg-tools" data-testid="tool-calls">
      {calls.map((c) => (
        <div key={c.id || c.name} className="pg-tool-card">
          <div className="pg-tool-head">
            <Icon name="code" size={14} />
            <span className="mono">{c.name || '…'}</span>
            <span className="pg-dim mono">{c.id}</span>
            {answered.has(c.id) ? <span className="badge ok">answered</span> : null}
          </div>
          <pre className="pg-tool-args">{prettyArgs(c.arguments)}</pre>
          {canAnswer && !answered.has(c.id) ? (
            <textarea
              className="input pg-textarea mono"
              placeholder={`Result of ${c.name} (what the tool returned)`}
              value={results[c.id] ?? ''}
              onChange={(e) => setResults((r) => ({ ...r, [c.id]: e.target.value }))}
              data-testid="tool-result-input"
            />
          ) : null}
        </div>
      ))}
      {canAnswer && pending.length ? (
        <button
          className="btn primary"
          disabled={live || pending.some((c) => !(results[c.id] ?? '').trim())}
          onClick={() =>
            answerToolCalls(
              paneId,
              pending.map((c) => ({ toolCallId: c.id, content: results[c.id] ?? '' })),
            )
          }
          data-testid="send-tool-results"
        >
          <Icon name="send" size={14} /> Send {pending.length === 1 ? 'result' : 'results'} and continue
        </button>
      ) : null}
    </div>
  )
}

function prettyArgs(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2)
  } catch {
    return args
  }
}
