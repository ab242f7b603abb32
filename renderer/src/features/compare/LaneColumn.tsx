import { memo, useRef, useState } from 'react'

import { useMergedModel } from '../../lib/catalog-store'
import { isDemoRequest } from '../../lib/demo'
import { DeprecationWarning } from '../../ui/DeprecationWarning'
import { describeFinish, FinishReasonBadge } from '../../ui/FinishReason'
import { Icon } from '../../ui/Icon'
import { RunPolicyNotice } from '../../ui/RunPolicyNotice'
import { TabPanel, ViewTabs } from '../../ui/ViewTabs'
import { Chips } from './Chips'
import type { ChipKey, RunFigures } from './lane-metrics'
import type { LaneConfig } from './lanes'
import { LaneSettingsEditor } from './LaneSettingsEditor'
import { RunOutput } from './RunOutput'
import type { RunRecord, Turn } from './session-store'

export interface LaneColumnProps {
  lane: LaneConfig
  label: string
  color: string
  /** Blind mode before the vote: the model's name and figures are hidden. */
  hidden: boolean
  turns: Turn[]
  figures: RunFigures | null
  best: Partial<Record<ChipKey, boolean>>
  chipPrefix?: string
  running: boolean
  canRemove: boolean
  locked: boolean
  onChange: (lane: LaneConfig) => void
  onRemove: () => void
  onStop: () => void
}

export const LaneColumn = memo(function LaneColumn(p: LaneColumnProps) {
  const { lane } = p
  const [showParams, setShowParams] = useState(false)
  const tokensRef = useRef<HTMLSpanElement>(null)
  const model = useMergedModel(lane.model.trim() || null)
  const reasoning = model?.capabilities?.value.includes('reasoning') ?? false
  const latest = p.turns.at(-1)
  const latestLane = latest?.lanes[lane.id]

  return (
    <section
      className={`lane${p.running ? ' running' : ''}`}
      data-testid="lane"
      data-lane={lane.id}
      data-model={p.hidden ? undefined : lane.model}
      aria-label={p.label}
    >
      <header className="lane-head" style={{ borderTopColor: p.color }}>
        <span className="lane-label">
          <span className="swatch" style={{ background: p.color }} />
          {p.label}
        </span>
        {p.hidden ? (
          <span className="muted hidden-model" data-testid="hidden-model">
            Model hidden until you vote
          </span>
        ) : (
          <input
            className="input mono lane-model"
            list="compare-model-options"
            value={lane.model}
            disabled={p.locked}
            aria-label={`Model for ${p.label}`}
            placeholder="model id"
            onChange={(e) => p.onChange({ ...lane, model: e.target.value })}
            data-testid="lane-model"
          />
        )}
        {!p.hidden ? (
          <button
            className={`btn icon ghost${showParams ? ' active' : ''}`}
            title="Parameters"
            aria-pressed={showParams}
            onClick={() => setShowParams((s) => !s)}
          >
            <Icon name="settings" size={14} />
          </button>
        ) : null}
        {p.running ? (
          <button className="btn icon ghost" title="Stop this lane" onClick={p.onStop} data-testid="lane-stop">
            <Icon name="stop" size={14} />
          </button>
        ) : p.canRemove ? (
          <button className="btn icon ghost" title="Remove this lane" onClick={p.onRemove} disabled={p.locked}>
            <Icon name="close" size={14} />
          </button>
        ) : null}
      </header>
      {!p.hidden ? <DeprecationWarning model={lane.model} compact onReplace={(m) => p.onChange({ ...lane, model: m })} /> : null}
      {showParams && !p.hidden ? <LaneSettingsEditor value={lane.params} reasoning={reasoning} onChange={(params) => p.onChange({ ...lane, params })} /> : null}
      <div className="lane-body">
        {p.turns.map((t) => {
          const lt = t.lanes[lane.id]
          if (!lt) return null
          return (
            <TurnOutput
              key={t.id}
              turn={t}
              runs={lt.runs}
              planned={lt.planned}
              isLatest={t === latest}
              tokensRef={t === latest ? tokensRef : undefined}
              onUseModel={(m) => p.onChange({ ...lane, model: m })}
              locked={p.locked}
            />
          )
        })}
        {p.turns.length === 0 ? <div className="lane-empty muted">Answers appear here.</div> : null}
      </div>
      {latestLane ? (
        <footer className="lane-foot">
          <span className="lane-status muted small">
            <span ref={tokensRef} data-testid="lane-tokens" />
            {p.running ? ' · streaming' : ''}
            {latestLane.planned > 1 ? ` · run ${Math.min(latestLane.runs.length, latestLane.planned)} of ${latestLane.planned}` : ''}
          </span>
          {p.figures && !p.hidden ? (
            <Chips figures={p.figures} best={p.best} prefix={p.chipPrefix} demo={latestLane.runs.some((r) => isDemoRequest(r.requestId))} />
          ) : null}
        </footer>
      ) : null}
    </section>
  )
})

function TurnOutput({
  turn,
  runs,
  planned,
  isLatest,
  tokensRef,
  onUseModel,
  locked,
}: {
  turn: Turn
  runs: RunRecord[]
  planned: number
  isLatest: boolean
  tokensRef?: React.RefObject<HTMLSpanElement | null>
  onUseModel: (model: string) => void
  locked: boolean
}) {
  const [picked, setPicked] = useState<number | null>(null)
  const run = picked !== null ? runs[picked] : runs.at(-1)
  // Unique in the page: a lane's turns each have their own runs.
  const tabsPrefix = `runs-${runs[0]?.requestId ?? turn.id}-`
  return (
    <div className={`turn${isLatest ? ' latest' : ''}`}>
      <div className="turn-input" title={turn.input}>
        {turn.input}
      </div>
      {planned > 1 && runs.length > 1 ? (
        <ViewTabs
          label="Runs"
          className="run-tabs"
          tabs={runs.map((_, i) => [String(i), String(i + 1)] as const)}
          value={String(run ? runs.indexOf(run) : runs.length - 1)}
          onChange={(id) => setPicked(Number(id) === runs.length - 1 ? null : Number(id))}
          testIdPrefix={tabsPrefix}
          tabClassName={(id) => `run-tab ${runs[Number(id)].status}`}
        />
      ) : null}
      {run ? (
        <TabPanel testIdPrefix={tabsPrefix} value={String(runs.indexOf(run))}>
          <RunOutput requestId={run.requestId} fallback={run.content} tokensRef={run === runs.at(-1) ? tokensRef : undefined} />
          <RunStatus run={run} onUseModel={onUseModel} locked={locked} />
          <RunPolicyNotice requestId={run.requestId} />
        </TabPanel>
      ) : null}
    </div>
  )
}

function RunStatus({ run, onUseModel, locked }: { run: RunRecord; onUseModel: (model: string) => void; locked: boolean }) {
  if (run.status === 'waiting') return <div className="run-note muted">Waiting for the first token…</div>
  if (run.status === 'retrying') return <div className="run-note muted">Retrying…</div>
  if (run.status === 'aborted') return <div className="run-note muted">Stopped; the text received is kept.</div>
  if (run.status === 'done' && describeFinish(run.done?.finishReason)) {
    return (
      <div className="run-note">
        <FinishReasonBadge reason={run.done?.finishReason} testId="lane-finish-reason" />
      </div>
    )
  }
  if (run.status !== 'error' || !run.error) return null
  const err = run.error.error
  if (err.code === 'policy_blocked') return null // RunPolicyNotice shows the policy and the finding
  const hint = (err.details?.hint ?? null) as { suggestedReplacement?: string | null; availableModels?: string[] | null } | null
  const suggestion = hint?.suggestedReplacement ?? null
  return (
    <div className="callout danger run-error" role="alert" data-testid="lane-error" data-code={err.code}>
      <Icon name="warning" />
      <div className="grow">
        <div>{err.message}</div>
        {suggestion && !locked ? (
          <button className="btn" onClick={() => onUseModel(suggestion)} data-testid="use-suggestion">
            Use {suggestion} in this lane
          </button>
        ) : null}
      </div>
    </div>
  )
}
