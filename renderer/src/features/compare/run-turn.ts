import { usageCostUsd } from '@shared/catalog/usage-cost'
import type { ChatRequest } from '@shared/ipc/domains/chat'
import type { RunInput } from '@shared/ipc/domains/history'
import { toWireError, WaferError } from '@shared/ipc/errors'

import { api } from '../../api'
import { mergedModel } from '../../lib/catalog-store'
import { isDemoActive, isDemoRequest, noteDemoRequest } from '../../lib/demo'
import { describeError, reportError } from '../../lib/notify'
import { useAppStore } from '../../lib/store'
import { appStreamHub } from '../../stream/app-streams'
import { isFinished, type StreamHub, type StreamMeta } from '../../stream/stream-hub'
import { shuffled } from './blind'
import { runFigures } from './lane-metrics'
import { type CompareSetup, type LaneConfig, laneRequest } from './lanes'
import { laneHistory, type LaneTurn, patchLaneTurn, patchRun, type Turn, useCompareSession } from './session-store'

/**
 * Runs one turn of the comparison: every lane at once, each with its own
 * history, streaming through the shared stream hub. With repeat N a lane
 * runs N times in a row (never in parallel, so runs do not slow each other
 * down). Every run is saved to history with the turn's group id.
 */

const stopped = new Set<string>()

function randomId(): string {
  const buf = new Uint8Array(5)
  crypto.getRandomValues(buf)
  return Array.from(buf, (b) => b.toString(36).padStart(2, '0'))
    .join('')
    .slice(0, 8)
}

export function startTurn(setup: CompareSetup, input: string): Turn | null {
  const text = input.trim()
  if (!text) return null
  const lanes = setup.lanes.filter((l) => l.model.trim())
  if (lanes.length < 2) {
    useAppStore.getState().notify('warning', 'Pick a model in at least two lanes.')
    return null
  }
  const previous = useCompareSession.getState().turns
  const id = randomId()
  const turn: Turn = {
    id,
    groupId: `cmp-${Date.now().toString(36)}-${id}`,
    input: text,
    startedAt: Date.now(),
    lanes: Object.fromEntries(
      lanes.map((l): [string, LaneTurn] => [l.id, { laneId: l.id, model: l.model.trim(), runs: [], planned: setup.repeat, status: 'running' }]),
    ),
    blind: setup.blind && lanes.length === 2 ? { order: shuffled(lanes.map((l) => l.id)), vote: null, pair: null } : null,
  }
  useCompareSession.setState({ turns: [...previous, turn] })
  const hub = appStreamHub()
  for (const lane of lanes) {
    const request = laneRequest(lane, setup.system, laneHistory(previous, lane.id), text)
    void runLane(hub, turn, lane, request, setup.repeat)
  }
  return turn
}

async function runLane(hub: StreamHub, turn: Turn, lane: LaneConfig, request: ChatRequest, repeat: number): Promise<void> {
  const key = `${turn.id}/${lane.id}`
  for (let index = 0; index < repeat && !stopped.has(key); index++) {
    const requestId = `${turn.groupId}-${lane.id}-${index}`
    // Its figures will say "Demo" (main records the run as a demo run too).
    if (isDemoActive()) noteDemoRequest(requestId)
    hub.begin(requestId, request.model)
    patchLaneTurn(turn.id, lane.id, (l) => ({
      ...l,
      runs: [...l.runs, { requestId, model: request.model, index, status: 'waiting', content: null, done: null, error: null, figures: runFigures(null, null) }],
    }))
    try {
      await api.chatStart({ requestId, request })
    } catch (err) {
      hub.failToStart(requestId, toWireError(err instanceof WaferError ? err : new WaferError('internal', describeError(err))))
    }
    const meta = await waitForEnd(hub, requestId)
    const text = hub.text(requestId)
    const content = text?.content ?? ''
    const model = mergedModel(request.model)
    const usage = meta.done?.usage ?? null
    const costUsd =
      model && usage ? usageCostUsd({ inputPer1M: model.pricing.input?.value ?? null, outputPer1M: model.pricing.output?.value ?? null }, usage) : null
    patchRun(turn.id, lane.id, requestId, {
      status: meta.status,
      content: content || (meta.status === 'done' ? '' : null),
      done: meta.done,
      error: meta.error,
      figures: runFigures(meta.done, costUsd),
    })
    void saveToHistory(turn, requestId, request, meta, hub, costUsd)
    // A lane whose model is gone will not do better on the next repeat.
    if (meta.status === 'error' && meta.error?.error.code !== 'rate_limited') break
  }
  stopped.delete(key)
  patchLaneTurn(turn.id, lane.id, (l) => ({
    ...l,
    status: l.runs.some((r) => r.status === 'aborted') || l.runs.length < l.planned ? 'stopped' : 'done',
  }))
}

function waitForEnd(hub: StreamHub, requestId: string): Promise<StreamMeta> {
  return new Promise((resolve) => {
    let unsubscribe: (() => void) | null = null
    const check = () => {
      const meta = hub.meta(requestId)
      if (meta && isFinished(meta.status)) {
        unsubscribe?.()
        unsubscribe = null
        resolve(meta)
        return true
      }
      return false
    }
    if (!check()) unsubscribe = hub.store.subscribe(() => void check())
  })
}

/** Stop one lane: its running request ends (its text is kept) and no further repeats start. */
export function stopLane(turn: Turn, laneId: string): void {
  stopped.add(`${turn.id}/${laneId}`)
  const run = turn.lanes[laneId]?.runs.at(-1)
  if (run && !isFinished(run.status)) void api.chatAbort({ requestId: run.requestId }).catch(() => {})
}

export function stopTurn(turn: Turn): void {
  for (const laneId of Object.keys(turn.lanes)) if (turn.lanes[laneId].status === 'running') stopLane(turn, laneId)
}

/** Start a new conversation; the old runs stay in history. */
export function clearConversation(): void {
  const hub = appStreamHub()
  for (const t of useCompareSession.getState().turns) {
    for (const l of Object.values(t.lanes)) for (const r of l.runs) if (isFinished(r.status)) hub.release(r.requestId)
  }
  useCompareSession.setState({ turns: [] })
}

let historyWarned = false

async function saveToHistory(turn: Turn, requestId: string, request: ChatRequest, meta: StreamMeta, hub: StreamHub, costUsd: number | null): Promise<void> {
  const text = hub.text(requestId)
  const metrics = meta.done?.metrics ?? meta.error?.metrics ?? null
  const run: RunInput = {
    id: requestId,
    source: 'compare',
    groupId: turn.groupId,
    startedAt: Math.round(meta.startedAt),
    request,
    prompt: null,
    response: {
      content: text?.content ?? '',
      reasoning: text?.reasoning ? text.reasoning : null,
      toolCalls: (text?.toolCalls ?? []).map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
      finishReason: meta.done?.finishReason ?? null,
      completionId: meta.done?.completionId ?? null,
    },
    usage: meta.done?.usage ?? null,
    timeInfo: meta.done?.timeInfo ?? null,
    metrics,
    error: meta.error?.error ?? null,
    status: meta.status === 'done' ? 'ok' : meta.status === 'aborted' ? 'aborted' : 'error',
    costUsd,
    ...(isDemoRequest(requestId) ? { demo: true as const } : {}),
  }
  try {
    await api.historySave({ run })
  } catch (err) {
    if (historyWarned) return
    historyWarned = true
    reportError('A compare run could not be saved to History', err, { level: 'warning' })
  }
}
