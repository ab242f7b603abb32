import { api } from '@renderer/api'
import { describeError, reportError } from '@renderer/lib/notify'
import { Assertion, type BatchCell, type BatchProgress, type BatchSnapshot } from '@shared/ipc/domains/compare'
import { z } from 'zod'
import { create } from 'zustand'

import { apiParams, type LaneConfig } from '../lanes'
import { type ParsedInputs, parseInputs } from './parse-inputs'

/**
 * The Batch tab: inputs (kept in memory), the prompt template, assertions
 * and concurrency (saved as a draft in main), and the batch that is running
 * or last ran, kept current from batch:progress events.
 */

export const BatchDraft = z.object({
  template: z.string().max(200_000).default(''),
  assertions: z.array(Assertion).max(20).default([]),
  concurrency: z.int().min(1).max(16).default(4),
})
export type BatchDraft = z.infer<typeof BatchDraft>

const DRAFT_KEY = 'compare.batch-draft'

export interface RunningBatch {
  batchId: string
  inputs: Record<string, string>[]
  snapshot: BatchSnapshot
}

interface BatchState {
  inputText: string
  fileName: string | null
  parsed: ParsedInputs | null
  draft: BatchDraft
  draftLoaded: boolean
  current: RunningBatch | null
  starting: boolean
  startError: string | null
}

export const useBatch = create<BatchState>()(() => ({
  inputText: '',
  fileName: null,
  parsed: null,
  draft: BatchDraft.parse({}),
  draftLoaded: false,
  current: null,
  starting: false,
  startError: null,
}))

let listening = false
let saveTimer: ReturnType<typeof setTimeout> | null = null

export async function initBatch(): Promise<void> {
  if (!listening) {
    listening = true
    api.on('batch:progress', ({ batchId, cells, progress }) => applyProgress(batchId, cells, progress))
    api.on('batch:done', ({ batchId, progress }) => applyProgress(batchId, [], progress))
  }
  if (useBatch.getState().draftLoaded) return
  try {
    const { value } = await api.stateGet({ key: DRAFT_KEY })
    const parsed = BatchDraft.safeParse(value ?? {})
    useBatch.setState({ draft: parsed.success ? parsed.data : BatchDraft.parse({}), draftLoaded: true })
  } catch {
    useBatch.setState({ draftLoaded: true })
  }
}

function applyProgress(batchId: string, cells: BatchCell[], progress: BatchProgress): void {
  const current = useBatch.getState().current
  if (!current || current.batchId !== batchId) return
  const all = current.snapshot.cells.slice()
  for (const c of cells) {
    const i = all.findIndex((x) => x.row === c.row && x.laneId === c.laneId)
    if (i >= 0) all[i] = c
    else all.push(c)
  }
  useBatch.setState({ current: { ...current, snapshot: { ...current.snapshot, cells: all, progress } } })
}

export function setInputs(text: string, fileName: string | null = null): void {
  const parsed = text.trim() ? parseInputs(text, fileName ?? undefined) : null
  const { draft } = useBatch.getState()
  // A fresh table with no template yet: start from its first column.
  const template = !draft.template.trim() && parsed?.columns.length ? `{{${parsed.columns[0]}}}` : draft.template
  useBatch.setState({ inputText: text, fileName, parsed })
  if (template !== draft.template) updateDraft((d) => ({ ...d, template }))
}

export function updateDraft(change: (d: BatchDraft) => BatchDraft): void {
  const draft = change(useBatch.getState().draft)
  useBatch.setState({ draft })
  if (saveTimer) clearTimeout(saveTimer)
  saveTimer = setTimeout(flushDraftSave, 500)
}

/** Save a pending draft change now. */
export function flushDraftSave(): void {
  if (!saveTimer) return
  clearTimeout(saveTimer)
  saveTimer = null
  api.stateSet({ key: DRAFT_KEY, value: useBatch.getState().draft }).catch(() => {})
}

export async function startBatch(lanes: readonly LaneConfig[], system: string): Promise<void> {
  const { parsed, draft } = useBatch.getState()
  if (!parsed || parsed.rows.length === 0) return
  useBatch.setState({ starting: true, startError: null })
  const columns = lanes.filter((l) => l.model.trim()).map((l) => ({ laneId: l.id, model: l.model.trim(), params: apiParams(l.params) }))
  const assertions = draft.assertions.filter((a) => !a.laneId || columns.some((c) => c.laneId === a.laneId))
  const batchId = `batch-${Date.now().toString(36)}`
  const inputs = parsed.rows
  // Registered before the call so no progress event is missed.
  useBatch.setState({
    current: {
      batchId,
      inputs,
      snapshot: {
        batchId,
        lanes: columns.map((c) => ({ laneId: c.laneId, model: c.model })),
        rowCount: inputs.length,
        assertions,
        cells: [],
        progress: {
          status: 'running',
          total: inputs.length * columns.length,
          done: 0,
          failed: 0,
          cancelled: 0,
          running: 0,
          queued: inputs.length * columns.length,
          startedAt: Date.now(),
          etaMs: null,
          pausedUntil: null,
          concurrency: draft.concurrency,
          rateLimitWaits: 0,
          reason: null,
        },
      },
    },
  })
  try {
    await api.batchStart({
      batchId,
      rows: inputs,
      template: { user: draft.template, ...(system.trim() ? { system } : {}) },
      lanes: columns,
      assertions,
      concurrency: draft.concurrency,
    })
  } catch (err) {
    useBatch.setState({ current: null, startError: describeError(err) })
  } finally {
    useBatch.setState({ starting: false })
  }
}

export async function cancelBatch(): Promise<void> {
  const current = useBatch.getState().current
  if (!current) return
  try {
    await api.batchCancel({ batchId: current.batchId })
  } catch (err) {
    reportError('Could not cancel the batch', err)
  }
}
