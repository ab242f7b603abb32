import type { RunInput } from '@shared/ipc/domains/history'

import type { FinishedRun } from './batch-runner'

/**
 * A finished batch cell as a history run (source `batch`, grouped by the
 * batch id), so batch answers are searchable next to playground runs.
 */
export function batchRunToHistory(run: FinishedRun, costUsd: number | null): RunInput {
  const { terminal, content, reasoning, toolCalls } = run.outcome
  const done = terminal.kind === 'done' ? terminal.event : null
  const failed = terminal.kind === 'error' ? terminal.event : null
  return {
    id: run.requestId,
    source: 'batch',
    groupId: run.batchId,
    startedAt: Math.max(0, Math.round(run.startedAt)),
    request: run.request,
    prompt: null,
    response: {
      content,
      reasoning: reasoning || null,
      toolCalls: toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { ...c.function } })),
      finishReason: done?.finishReason ?? null,
      completionId: done?.completionId ?? null,
    },
    usage: done?.usage ?? null,
    timeInfo: done?.timeInfo ?? null,
    metrics: terminal.event.metrics,
    error: failed?.error ?? null,
    status: done ? 'ok' : failed?.error.code === 'aborted' ? 'aborted' : 'error',
    costUsd,
  }
}
