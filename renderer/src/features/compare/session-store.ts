import type { ChatDone, ChatError, ChatMessage } from '@shared/ipc/domains/chat'
import type { PairSummary, VoteVerdict } from '@shared/ipc/domains/compare'
import { create } from 'zustand'

import type { StreamStatus } from '../../stream/stream-hub'
import type { RunFigures } from './lane-metrics'

/*
 * The conversation on the Compare screen: turns, and for each turn each
 * lane's runs (one, or N with repeat). Only low-frequency facts live here
 * (a run started, finished, failed); streaming text stays in the stream hub.
 */

export interface RunRecord {
  requestId: string
  model: string
  index: number
  status: StreamStatus
  /** Final text, set when the run ends. */
  content: string | null
  done: ChatDone | null
  error: ChatError | null
  figures: RunFigures
}

export interface LaneTurn {
  laneId: string
  model: string
  runs: RunRecord[]
  /** How many runs were asked for. */
  planned: number
  status: 'running' | 'done' | 'stopped'
}

export interface BlindState {
  /** Lane ids in the order shown (A, B, …). */
  order: string[]
  vote: VoteVerdict | null
  pair: PairSummary | null
}

export interface Turn {
  id: string
  groupId: string
  input: string
  startedAt: number
  lanes: Record<string, LaneTurn>
  blind: BlindState | null
}

interface SessionState {
  turns: Turn[]
}

export const useCompareSession = create<SessionState>()(() => ({ turns: [] }))

export function patchTurn(turnId: string, change: (t: Turn) => Turn): void {
  useCompareSession.setState((s) => ({ turns: s.turns.map((t) => (t.id === turnId ? change(t) : t)) }))
}

export function patchLaneTurn(turnId: string, laneId: string, change: (l: LaneTurn) => LaneTurn): void {
  patchTurn(turnId, (t) => (t.lanes[laneId] ? { ...t, lanes: { ...t.lanes, [laneId]: change(t.lanes[laneId]) } } : t))
}

export function patchRun(turnId: string, laneId: string, requestId: string, patch: Partial<RunRecord>): void {
  patchLaneTurn(turnId, laneId, (l) => ({ ...l, runs: l.runs.map((r) => (r.requestId === requestId ? { ...r, ...patch } : r)) }))
}

export const isTurnRunning = (t: Turn | undefined): boolean => !!t && Object.values(t.lanes).some((l) => l.status === 'running')

/** A run that ended with text to show (done, or stopped/failed part-way). */
export const lastRun = (l: LaneTurn | undefined): RunRecord | undefined => l?.runs[l.runs.length - 1]

/**
 * The lane's side of the conversation so far: each earlier input and this
 * lane's first answer to it. A lane that failed a turn still sees the input,
 * so every lane answers the same questions.
 */
export function laneHistory(turns: readonly Turn[], laneId: string): ChatMessage[] {
  const out: ChatMessage[] = []
  for (const t of turns) {
    out.push({ role: 'user', content: t.input })
    const answer = t.lanes[laneId]?.runs.find((r) => r.content)?.content
    if (answer) out.push({ role: 'assistant', content: answer })
  }
  return out
}
