import type { MetricPoint } from '@shared/ipc/domains/history'
import { median } from '@shared/stats'

/** The user's own figures per model, from saved runs: what "measured by you" means. */
export interface MeasuredModel {
  model: string
  /** Runs that reported the figure. */
  runs: number
  decodeTokensPerSecP50: number | null
  ttftMsP50: number | null
  /** Newest run (epoch ms). */
  lastAt: number
  /** From runs on the demo endpoint: made-up figures, not measurements of Cerebras. */
  demo: boolean
}

/**
 * Medians per model from the runs of one endpoint: real runs normally, only
 * demo runs while the demo endpoint is on, so the two never mix.
 */
export function summarizeMeasured(points: readonly MetricPoint[], demo = false): Record<string, MeasuredModel> {
  const byModel = new Map<string, MetricPoint[]>()
  for (const p of points) {
    if ((p.demo === true) !== demo) continue
    const list = byModel.get(p.model)
    if (list) list.push(p)
    else byModel.set(p.model, [p])
  }
  const out: Record<string, MeasuredModel> = {}
  for (const [model, list] of byModel) {
    const decode = list.map((p) => p.decodeTokensPerSec)
    const ttft = list.map((p) => p.ttftMs)
    out[model] = {
      model,
      runs: list.filter((p) => p.decodeTokensPerSec !== null || p.ttftMs !== null).length,
      decodeTokensPerSecP50: median(decode),
      ttftMsP50: median(ttft),
      lastAt: Math.max(...list.map((p) => p.startedAt)),
      demo,
    }
  }
  return out
}
