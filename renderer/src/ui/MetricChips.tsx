import './metric-chips.css'

import type { ResponseMetrics, Usage } from '@shared/ipc/domains/chat'
import { memo } from 'react'

import { chipsFor } from './chip-figures'
import { DemoBadge } from './DemoBadge'
import { WhyWithheld } from './WhyWithheld'

/** A finished run's figures as pills (chip-figures.ts says where each comes from). */
export const MetricChips = memo(function MetricChips({
  metrics,
  usage,
  costUsd,
  demo = false,
}: {
  metrics: ResponseMetrics
  usage: Usage | null
  costUsd: number | null
  /** Made on the demo endpoint: every figure below is made up. */
  demo?: boolean
}) {
  const chips = chipsFor(metrics, usage, costUsd)
  return (
    <div className={`pg-chips${demo ? ' pg-chips-demo' : ''}`} data-testid="metric-chips" data-demo={demo ? 'true' : undefined}>
      {demo ? <DemoBadge label="Demo figures" testId="chips-demo-badge" /> : null}
      {chips.map((c) => (
        <span
          key={c.id}
          className={`pg-chip${c.why ? ' has-why' : ''}`}
          title={c.why ? `${c.title}\n${c.why}` : c.title}
          data-chip={c.id}
          data-withheld={c.why ? 'true' : undefined}
          tabIndex={c.why ? 0 : undefined}
        >
          <span className="pg-chip-label">{c.label}</span>
          <span className="pg-chip-value">{c.value}</span>
          {c.why ? <WhyWithheld why={c.why} /> : null}
        </span>
      ))}
      {metrics.attempts > 1 ? (
        <span className="pg-chip" title="Retries before the answer" data-chip="attempts">
          <span className="pg-chip-label">Attempts</span>
          <span className="pg-chip-value">{metrics.attempts}</span>
        </span>
      ) : null}
    </div>
  )
})
