import { fmtInt, fmtMs, fmtRate, fmtUsd } from '../../lib/format'
import { whyWithheld } from '../../lib/withheld'
import { DemoBadge } from '../../ui/DemoBadge'
import { WhyWithheld } from '../../ui/WhyWithheld'
import { CHIP_KEYS, type ChipKey, type RunFigures } from './lane-metrics'

const LABEL: Record<ChipKey, string> = {
  ttftMs: 'TTFT',
  decodeTokensPerSec: 'Decode',
  totalMs: 'Total',
  tokens: 'Tokens',
  costUsd: 'Cost',
}

const TITLE: Record<ChipKey, string> = {
  ttftMs: 'Time to first token, measured by the app from sending to the first text',
  decodeTokensPerSec: "Output tokens per second during generation, from Cerebras's own time_info",
  totalMs: 'From sending to the last byte',
  tokens: 'Completion tokens, as the server counted them',
  costUsd: 'At the catalog price (or your own price for this model)',
}

function show(key: ChipKey, v: number | null): string {
  switch (key) {
    case 'ttftMs':
    case 'totalMs':
      return fmtMs(v)
    case 'decodeTokensPerSec':
      return fmtRate(v)
    case 'tokens':
      return fmtInt(v)
    case 'costUsd':
      return fmtUsd(v)
  }
}

/** A lane's figures; the best lane for each figure is highlighted. */
export function Chips({
  figures,
  best,
  prefix,
  demo = false,
}: {
  figures: RunFigures
  best: Partial<Record<ChipKey, boolean>>
  prefix?: string
  demo?: boolean
}) {
  return (
    <div className="chips" data-testid="lane-chips" data-demo={demo ? 'true' : undefined}>
      {demo ? <DemoBadge label="Demo figures" testId="lane-demo-badge" /> : null}
      {CHIP_KEYS.map((k) => {
        const withheld = figures.withheld?.[k]
        const why = withheld ? whyWithheld(withheld) : null
        return (
          <span
            key={k}
            className={`chip${best[k] ? ' best' : ''}${why ? ' has-why' : ''}`}
            title={why ? `${TITLE[k]}\n${why}` : TITLE[k]}
            data-chip={k}
            data-best={best[k] ? 'true' : 'false'}
            data-withheld={why ? 'true' : undefined}
            tabIndex={why ? 0 : undefined}
          >
            <span className="chip-label">
              {prefix ? `${prefix} ` : ''}
              {LABEL[k]}
            </span>
            <span className="chip-value">{show(k, figures[k])}</span>
            {why ? <WhyWithheld why={why} /> : null}
          </span>
        )
      })}
    </div>
  )
}
