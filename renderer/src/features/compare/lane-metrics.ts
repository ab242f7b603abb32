import type { ChatDone } from '@shared/ipc/domains/chat'
import { honestFigures, type Withheld } from '@shared/metrics/honest-figures'
import { bestIndices, type Better, type OutputVariability, outputVariability, summarize, type Summary } from '@shared/stats'

import { usdAsShown } from '../../lib/format'

/** The figures a lane's chips show for one run. Null: not measured. */
export interface RunFigures {
  ttftMs: number | null
  decodeTokensPerSec: number | null
  totalMs: number | null
  tokens: number | null
  costUsd: number | null
  /** Figures shown as "—" by the honesty rule (shared/metrics/honest-figures.ts), with why. */
  withheld?: Partial<Record<ChipKey, Withheld>>
}

export const CHIP_KEYS = ['ttftMs', 'decodeTokensPerSec', 'totalMs', 'tokens', 'costUsd'] as const
export type ChipKey = (typeof CHIP_KEYS)[number]

/** Lower is better for time, tokens (shorter for the same answer) and cost; higher for speed. */
export const BETTER: Record<ChipKey, Better> = {
  ttftMs: 'lower',
  decodeTokensPerSec: 'higher',
  totalMs: 'lower',
  tokens: 'lower',
  costUsd: 'lower',
}

export function runFigures(done: ChatDone | null, costUsd: number | null): RunFigures {
  if (!done) return { ttftMs: null, decodeTokensPerSec: null, totalMs: null, tokens: null, costUsd: null }
  const m = done.metrics
  const honest = honestFigures(m, done.usage)
  // The server's own decode speed; the client's figure (TTFT included) only when the server sent no time_info.
  const server = honest.serverDecodeTokensPerSec
  const decode = server.value !== null || server.withheld ? server : honest.clientTokensPerSec
  return {
    ttftMs: m.ttftMs,
    decodeTokensPerSec: decode.value,
    totalMs: m.clientTotalMs,
    tokens: done.usage?.completion_tokens ?? null,
    costUsd,
    ...(decode.withheld ? { withheld: { decodeTokensPerSec: decode.withheld } } : {}),
  }
}

/** One lane's figures over its repeat runs: the median for each chip, plus p50/p95 and output variability. */
export interface LaneAggregate {
  runs: number
  chips: RunFigures
  ttft: Summary | null
  decode: Summary | null
  total: Summary | null
  variability: OutputVariability | null
}

export function aggregateRuns(runs: readonly { figures: RunFigures; content: string | null }[]): LaneAggregate {
  const pick = (k: ChipKey) => summarize(runs.map((r) => r.figures[k]))
  const ttft = pick('ttftMs')
  const decode = pick('decodeTokensPerSec')
  const total = pick('totalMs')
  const outputs = runs.map((r) => r.content).filter((c): c is string => c !== null)
  const chips: RunFigures = {
    ttftMs: ttft?.p50 ?? null,
    decodeTokensPerSec: decode?.p50 ?? null,
    totalMs: total?.p50 ?? null,
    tokens: pick('tokens')?.p50 ?? null,
    costUsd: pick('costUsd')?.p50 ?? null,
  }
  // A chip no run could honestly fill says why, with the latest run's reason.
  const withheld: Partial<Record<ChipKey, Withheld>> = {}
  for (const k of CHIP_KEYS) {
    const why = chips[k] === null ? runs.findLast((r) => r.figures.withheld?.[k])?.figures.withheld?.[k] : undefined
    if (why) withheld[k] = why
  }
  if (Object.keys(withheld).length) chips.withheld = withheld
  return {
    runs: runs.length,
    chips,
    ttft,
    decode,
    total,
    variability: outputVariability(outputs),
  }
}

/** For each chip, which lanes have the best figure. */
export function bestByChip(lanes: readonly RunFigures[]): Record<ChipKey, Set<number>> {
  const out = {} as Record<ChipKey, Set<number>>
  for (const k of CHIP_KEYS)
    out[k] = new Set(
      bestIndices(
        lanes.map((l) => shown(k, l[k])),
        BETTER[k],
      ),
    )
  return out
}

/**
 * Figures as the chips show them (whole ms, whole tokens/s), so two lanes
 * that both read "85 ms" tie instead of one winning by a fraction nobody sees.
 */
function shown(key: ChipKey, v: number | null): number | null {
  if (v === null) return null
  return key === 'costUsd' ? usdAsShown(v) : Math.round(v)
}
