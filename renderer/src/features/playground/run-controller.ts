import type { ChatRequest } from '@shared/ipc/domains/chat'
import type { PromptDoc, PromptMessage, RunInput, RunStatus } from '@shared/ipc/domains/history'
import { toWireError } from '@shared/ipc/errors'

import { api } from '../../api'
import { announce } from '../../lib/announce'
import { isDemoActive, isDemoRequest, noteDemoRequest } from '../../lib/demo'
import { newId } from '../../lib/doc-defaults'
import { fmtInt, fmtMs } from '../../lib/format'
import { describeError, reportError } from '../../lib/notify'
import { modelFacts, runCostUsd } from '../../lib/tokens/cost'
import { appStreamHub } from '../../stream/app-streams'
import { isFinished, type StreamMeta, type StreamText } from '../../stream/stream-hub'
import { buildRequest, sentMessages } from './build-request'
import { rememberLogprobs } from './logprobs-cache'
import { publicModels } from './model-options'
import { getPane, updatePane, usePlayground } from './playground-store'
import { loadRequestChecks, requestChecks } from './request-checks'

/**
 * Sending, stopping and finishing playground runs. A run registers with
 * the stream hub before `chat:start`, appends its answer to the pane's
 * conversation when it ends (done, failed or stopped: partial text is
 * kept), and is saved to History with everything that came back.
 *
 * A run that fails marks the prompt it sent (and any partial answer) as
 * failed: those turns stay on screen but are never sent again, until the
 * user retries the prompt or takes it back into the composer to edit.
 * An answer cut at the token limit can be continued: the continuation is
 * appended to the same answer, as chat apps' "Continue generating" does,
 * so the conversation holds one answer, not two halves and a made-up turn.
 */

export function isRunning(paneId: string): boolean {
  return !!getPane(paneId)?.liveRequestId
}

/** Send the composer text (if any) as a new user turn, then run the conversation. */
export function send(paneId: string): boolean {
  const pane = getPane(paneId)
  if (!pane || pane.liveRequestId) return false
  // Sent the moment the request's schemas are in (a send in the app's first instant: they load after its first frame).
  if (!requestChecks()) {
    whenChecked(() => send(paneId))
    return true
  }
  const text = pane.composer
  const doc: PromptDoc = text.trim() ? { ...pane.doc, messages: [...pane.doc.messages, { id: newId('msg'), role: 'user', content: text }] } : pane.doc
  const built = buildRequest(doc)
  if (!built.request) {
    updatePane(paneId, { blocked: built.issues.filter((i) => i.level === 'error') })
    return false
  }
  updatePane(paneId, { doc, composer: '', blocked: [] })
  start(paneId, built.request, doc)
  return true
}

/** Send every pane that has something to send (the split layout's "Send all"). */
export function sendAll(): number {
  const ready = usePlayground.getState().panes.filter((p) => !p.liveRequestId && (p.composer.trim() || lastIsUser(p.doc)))
  if (ready.length <= 1) return ready.filter((p) => send(p.id)).length
  // Each pane starts in its own task, so four panes never make one long task
  // (building and painting a request costs ~10 ms); they still start within a frame.
  for (const p of ready) setTimeout(() => send(p.id), 0)
  return ready.length
}

function lastIsUser(doc: PromptDoc): boolean {
  const last = sentMessages(doc).at(-1)
  return !!last && (last.role === 'user' || last.role === 'tool')
}

/** The message without its failed mark: it is sent again. */
function unfailed(m: PromptMessage): PromptMessage {
  if (!m.failed) return m
  const { failed: _failed, ...rest } = m
  return rest
}

/** Drop the last answer and ask again (a prompt that had failed is sent again too). */
export function regenerate(paneId: string): void {
  const pane = getPane(paneId)
  if (!pane || pane.liveRequestId) return
  const messages = [...pane.doc.messages]
  while (messages.length && messages[messages.length - 1].role === 'assistant') messages.pop()
  for (let i = messages.length - 1; i >= 0 && messages[i].role === 'user'; i--) messages[i] = unfailed(messages[i])
  rerun(paneId, { ...pane.doc, messages })
}

/** Replace a message's text, drop everything after it, and run again (edit-and-resend). */
export function resendFrom(paneId: string, messageId: string, content: string): void {
  const pane = getPane(paneId)
  if (!pane || pane.liveRequestId) return
  const at = pane.doc.messages.findIndex((m) => m.id === messageId)
  if (at < 0) return
  const messages = pane.doc.messages.slice(0, at + 1)
  messages[at] = { ...unfailed(messages[at]), content }
  rerun(paneId, { ...pane.doc, messages })
}

/** A failed prompt and the partial answer its run left (marked failed too, right after it). */
function takeFailedTurn(doc: PromptDoc, messageId: string): { turn: PromptMessage; messages: PromptMessage[] } | null {
  const at = doc.messages.findIndex((m) => m.id === messageId)
  const turn = doc.messages[at]
  if (!turn?.failed || turn.role !== 'user') return null
  const next = doc.messages[at + 1]
  const drop = next?.role === 'assistant' && next.failed ? 2 : 1
  return { turn, messages: [...doc.messages.slice(0, at), ...doc.messages.slice(at + drop)] }
}

/** Send a failed prompt again, as the newest turn of the conversation as it is now. */
export function retryFailed(paneId: string, messageId: string): void {
  const pane = getPane(paneId)
  if (!pane || pane.liveRequestId) return
  const taken = takeFailedTurn(pane.doc, messageId)
  if (!taken) return
  rerun(paneId, { ...pane.doc, messages: [...taken.messages, unfailed(taken.turn)] })
}

/**
 * Take a failed prompt out of the conversation and back into the composer
 * to edit; text already in the composer stays, after it.
 */
export function editFailed(paneId: string, messageId: string): void {
  const pane = getPane(paneId)
  if (!pane || pane.liveRequestId) return
  const taken = takeFailedTurn(pane.doc, messageId)
  if (!taken) return
  const draft = pane.composer.trim() ? `${taken.turn.content}\n\n${pane.composer}` : taken.turn.content
  // The failed run's error went with its prompt; the figures of an earlier run stay.
  const lastFailed = !!pane.lastRequestId && appStreamHub().store.getState().streams[pane.lastRequestId]?.status === 'error'
  updatePane(paneId, {
    doc: { ...pane.doc, messages: taken.messages },
    composer: draft,
    blocked: [],
    ...(lastFailed ? { lastRequestId: null, lastRequest: null } : {}),
  })
}

/** Ask for the rest of the last answer, cut at the token limit; it grows in place. */
export function continueAnswer(paneId: string, messageId: string): void {
  const pane = getPane(paneId)
  if (!pane || pane.liveRequestId) return
  const last = sentMessages(pane.doc).at(-1)
  if (!last || last.id !== messageId || last.role !== 'assistant') return
  if (!requestChecks()) return whenChecked(() => continueAnswer(paneId, messageId))
  const built = buildRequest(pane.doc, { continueAnswer: true })
  if (!built.request) {
    updatePane(paneId, { blocked: built.issues.filter((i) => i.level === 'error') })
    return
  }
  updatePane(paneId, { blocked: [] })
  start(paneId, built.request, pane.doc, messageId)
}

/** Add the typed results of an answer's tool calls and continue the conversation. */
export function answerToolCalls(paneId: string, results: { toolCallId: string; content: string }[]): void {
  const pane = getPane(paneId)
  if (!pane || pane.liveRequestId) return
  const tools: PromptMessage[] = results.map((r) => ({ id: newId('msg'), role: 'tool', content: r.content, toolCallId: r.toolCallId }))
  rerun(paneId, { ...pane.doc, messages: [...pane.doc.messages, ...tools] })
}

/** Runs `act` once the request's schemas are in (request-checks.ts); a failed load is reported, nothing is sent, and what was typed stays. */
function whenChecked(act: () => void): void {
  loadRequestChecks().then(act, (err: unknown) => reportError('The request could not be checked, so it was not sent', err, { then: 'Try again.' }))
}

function rerun(paneId: string, doc: PromptDoc): void {
  if (!requestChecks()) return whenChecked(() => rerun(paneId, doc))
  const built = buildRequest(doc)
  if (!built.request) {
    updatePane(paneId, { doc, blocked: built.issues.filter((i) => i.level === 'error') })
    return
  }
  updatePane(paneId, { doc, blocked: [] })
  start(paneId, built.request, doc)
}

export async function stop(paneId: string): Promise<void> {
  const requestId = getPane(paneId)?.liveRequestId
  if (!requestId) return
  try {
    const { aborted } = await api.chatAbort({ requestId })
    if (!aborted) appStreamHub().failToStart(requestId, { code: 'aborted', message: 'Stopped. The text received so far is kept.' })
  } catch (err) {
    // Main could not be asked; end the run here so the pane is usable again.
    appStreamHub().failToStart(requestId, { code: 'aborted', message: `Stopped here (main did not answer: ${describeError(err)}).` })
  }
}

export function stopAll(): void {
  for (const p of usePlayground.getState().panes) if (p.liveRequestId) void stop(p.id)
}

function start(paneId: string, request: ChatRequest, doc: PromptDoc, continues: string | null = null): void {
  const hub = appStreamHub()
  const requestId = newId('pg')
  // Its answer and figures will say "Demo" (main records the run as a demo run too).
  if (isDemoActive()) noteDemoRequest(requestId)
  const previous = getPane(paneId)?.lastRequestId
  if (previous) hub.release(previous)
  hub.begin(requestId, request.model)
  updatePane(paneId, { liveRequestId: requestId, continuing: continues, lastRequestId: requestId, lastRequest: request })

  const unsubscribe = hub.store.subscribe((s) => {
    const m = s.streams[requestId]
    if (!m || !isFinished(m.status)) return
    unsubscribe()
    // In a task of its own: the last paint and the figures render first, the
    // conversation update and the save follow without stretching that task.
    setTimeout(() => finish(paneId, requestId, request, doc, m, hub.text(requestId), continues), 0)
  })
  api.chatStart({ requestId, request }).catch((err: unknown) => hub.failToStart(requestId, toWireError(err)))
}

/** What the live region says when an answer ends: how it ended, the model, the tokens and the time (— when unknown). */
export function answerSummary(model: string, status: RunStatus, tokens: number | null, totalMs: number | null, error?: string): string {
  const figures = `${model}, ${fmtInt(tokens)} tokens, ${fmtMs(totalMs)}`
  if (status === 'ok') return `Answer complete: ${figures}.`
  if (status === 'aborted') return `Answer stopped: ${figures}.`
  return `Answer failed: ${error ?? 'unknown error'} (${model}).`
}

/** The prompt turns a run sent last: the user turns at the end of what was sent. */
function promptIds(doc: PromptDoc): Set<string> {
  const ids = new Set<string>()
  const sent = sentMessages(doc)
  for (let i = sent.length - 1; i >= 0 && sent[i].role === 'user'; i--) ids.add(sent[i].id)
  return ids
}

/** A cut-off answer with its continuation appended: one answer, ending as the continuation ended. */
function continued(
  base: PromptMessage,
  more: { content: string; reasoning: string; toolCalls: PromptMessage['toolCalls']; finishReason?: string; done: boolean },
): PromptMessage {
  const { finishReason: _previous, ...rest } = base
  const reasoning = base.reasoning && more.reasoning ? `${base.reasoning}\n\n${more.reasoning}` : base.reasoning || more.reasoning
  // Stopped or failed part-way, it is still cut off: Continue stays on offer.
  const finishReason = more.done ? more.finishReason : base.finishReason
  return {
    ...rest,
    content: base.content + more.content,
    ...(reasoning ? { reasoning } : {}),
    ...(more.toolCalls?.length ? { toolCalls: more.toolCalls } : {}),
    ...(finishReason ? { finishReason } : {}),
  }
}

function finish(
  paneId: string,
  requestId: string,
  request: ChatRequest,
  doc: PromptDoc,
  meta: StreamMeta,
  text: StreamText | undefined,
  continues: string | null,
): void {
  const content = text?.content ?? ''
  const reasoning = text?.reasoning ?? ''
  const toolCalls = (text?.toolCalls ?? []).map((c) => ({
    id: c.id || `call_${c.index}`,
    type: 'function' as const,
    function: { name: c.name, arguments: c.arguments },
  }))
  const demo = isDemoRequest(requestId)
  const ended = meta.done?.finishReason && meta.done.finishReason !== 'stop' ? meta.done.finishReason : undefined
  const failure = meta.status === 'error' && meta.error ? { code: meta.error.error.code, message: meta.error.error.message } : undefined
  const answer: PromptMessage | null =
    content || reasoning || toolCalls.length
      ? {
          id: requestId,
          role: 'assistant',
          content,
          ...(reasoning ? { reasoning } : {}),
          ...(toolCalls.length ? { toolCalls } : {}),
          ...(demo ? { demo: true as const } : {}),
          ...(ended ? { finishReason: ended } : {}),
          ...(failure ? { failed: failure } : {}),
        }
      : null
  if (answer && text?.logprobs.length && !continues) rememberLogprobs(answer.id, text.logprobs)
  const prompts = failure && !continues ? promptIds(doc) : null
  updatePane(paneId, (p) => {
    if (p.liveRequestId !== requestId) return {}
    let messages = p.doc.messages
    if (continues) {
      const more = { content, reasoning, toolCalls, finishReason: ended, done: meta.status === 'done' }
      messages = messages.map((m) => (m.id === continues ? continued(m, more) : m))
    } else {
      if (prompts && failure) messages = messages.map((m) => (prompts.has(m.id) ? { ...m, failed: failure } : m))
      if (answer) messages = [...messages, answer]
    }
    return { liveRequestId: null, continuing: null, doc: messages === p.doc.messages ? p.doc : { ...p.doc, messages } }
  })

  const done = meta.done
  const failed = meta.error
  const status: RunStatus = meta.status === 'done' ? 'ok' : meta.status === 'aborted' ? 'aborted' : 'error'
  const usage = done?.usage ?? null
  announce(answerSummary(request.model, status, usage?.completion_tokens ?? null, done?.metrics.clientTotalMs ?? null, failure?.message))
  const run: RunInput = {
    id: requestId,
    source: 'playground',
    groupId: null,
    startedAt: Math.round(meta.startedAt),
    request,
    prompt: doc,
    response: {
      content,
      reasoning: reasoning || null,
      toolCalls,
      finishReason: done?.finishReason ?? null,
      completionId: done?.completionId ?? null,
    },
    usage,
    timeInfo: done?.timeInfo ?? null,
    metrics: done?.metrics ?? failed?.metrics ?? null,
    error: failed?.error ?? null,
    status,
    costUsd: runCostUsd(modelFacts(request.model, publicModels()), usage),
    ...(demo ? { demo: true as const } : {}),
  }
  setTimeout(() => {
    api.historySave({ run }).catch((err: unknown) => {
      reportError('This run was not saved to History', err, { level: 'warning' })
    })
  }, 0)
}
