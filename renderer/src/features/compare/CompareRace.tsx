import { useEffect, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'

import { setBlindMask } from '../../lib/blind-mask'
import { useCatalogStore } from '../../lib/catalog-store'
import { matchesShortcut, shortcutLabel } from '../../lib/shortcuts'
import { useStableByKey } from '../../lib/use-stable-by-key'
import { isFinished } from '../../stream/stream-hub'
import { Icon } from '../../ui/Icon'
import { BLIND_LABELS } from './blind'
import { BlindVote } from './BlindVote'
import { type DiffSide, DiffView } from './DiffView'
import { aggregateRuns, bestByChip, CHIP_KEYS, type ChipKey, type LaneAggregate, type RunFigures } from './lane-metrics'
import { LaneColumn } from './LaneColumn'
import { type CompareSetup, LANE_COLORS, type LaneConfig, MAX_LANES, MAX_REPEAT, newLane } from './lanes'
import { RaceChart, type RaceLane } from './RaceChart'
import { type RepeatRow, RepeatStats } from './RepeatStats'
import { clearConversation, startTurn, stopLane, stopTurn } from './run-turn'
import { isTurnRunning, type LaneTurn, useCompareSession } from './session-store'
import { updateSetup } from './setup-store'

function finishedRuns(l: LaneTurn | undefined) {
  return (l?.runs ?? []).filter((r) => isFinished(r.status) && r.status !== 'error')
}

/** Lanes side by side on one shared input, with the race chart, figures, repeat statistics, diff and blind vote. */
export function CompareRace({ setup }: { setup: CompareSetup }) {
  const turns = useCompareSession((s) => s.turns)
  const [input, setInput] = useState('')
  const [showSystem, setShowSystem] = useState(setup.system.length > 0)
  const latest = turns.at(-1)
  const running = isTurnRunning(latest)
  const blindTurn = latest?.blind ?? null
  const hidden = !!blindTurn && !blindTurn.vote
  // Nothing outside the lanes may name a model before the vote (the status bar shows the latest response's model).
  useEffect(() => {
    setBlindMask(hidden)
    return () => setBlindMask(false)
  }, [hidden])

  // Lanes in the order shown: a blind turn's shuffled order, else the setup's.
  const shown = useMemo(() => {
    const byId = new Map(setup.lanes.map((l, i) => [l.id, { lane: l, color: LANE_COLORS[i % LANE_COLORS.length] }]))
    if (!blindTurn) return setup.lanes.map((l) => byId.get(l.id)!)
    const ordered = blindTurn.order.map((id) => byId.get(id)).filter((x): x is { lane: LaneConfig; color: string } => !!x)
    return [...ordered, ...setup.lanes.filter((l) => !blindTurn.order.includes(l.id)).map((l) => byId.get(l.id)!)]
  }, [setup.lanes, blindTurn])

  const labelOf = (laneId: string, index: number) => {
    if (blindTurn?.order.includes(laneId)) {
      const letter = BLIND_LABELS[blindTurn.order.indexOf(laneId)]
      return hidden ? `Model ${letter}` : `${letter} · ${latest?.lanes[laneId]?.model ?? ''}`
    }
    return `Lane ${index + 1}`
  }

  const aggregates = useMemo(() => {
    const out = new Map<string, LaneAggregate>()
    for (const { lane } of shown) {
      const runs = finishedRuns(latest?.lanes[lane.id])
      if (runs.length) out.set(lane.id, aggregateRuns(runs.map((r) => ({ figures: r.figures, content: r.content }))))
    }
    return out
  }, [shown, latest])

  const best = useMemo(() => {
    const figures: RunFigures[] = shown.map(
      ({ lane }) => aggregates.get(lane.id)?.chips ?? { ttftMs: null, decodeTokensPerSec: null, totalMs: null, tokens: null, costUsd: null },
    )
    const byChip = bestByChip(figures)
    return shown.map((_, i) => Object.fromEntries(CHIP_KEYS.map((k) => [k, byChip[k].has(i)])) as Record<ChipKey, boolean>)
  }, [shown, aggregates])

  // The chart subscribes to its lanes' streams: it gets a new lane list only when a lane, its run or its label changes.
  const lanesNow = shown
    .map(({ lane, color }, i) => {
      const run = latest?.lanes[lane.id]?.runs.at(-1)
      // Blind lanes go by their letter (and, once revealed, "A · model"); others by model.
      return run ? { key: lane.id, label: blindTurn ? labelOf(lane.id, i) : run.model, color, requestId: run.requestId } : null
    })
    .filter((x): x is RaceLane => !!x)
  const raceLanes: RaceLane[] = useStableByKey(lanesNow.map((l) => `${l.key}\u0000${l.label}\u0000${l.color}\u0000${l.requestId}`).join('\n'), () => lanesNow)

  const repeatRows: RepeatRow[] = shown
    .filter(({ lane }) => (latest?.lanes[lane.id]?.planned ?? 1) > 1 && aggregates.has(lane.id))
    .map(({ lane, color }) => ({
      key: lane.id,
      label: hidden
        ? labelOf(
            lane.id,
            shown.findIndex((s) => s.lane.id === lane.id),
          )
        : latest!.lanes[lane.id].model,
      color,
      aggregate: aggregates.get(lane.id)!,
    }))

  const diffSides: DiffSide[] = shown.map(({ lane }, i) => ({
    key: lane.id,
    label: hidden ? labelOf(lane.id, i) : `${labelOf(lane.id, i)}${blindTurn ? '' : ` · ${lane.model}`}`,
    text: latest?.lanes[lane.id]?.runs.find((r) => r.content)?.content ?? null,
  }))

  const run = () => {
    if (running) return
    if (setup.blind && setup.lanes.length === 2) clearConversation()
    if (startTurn(setup, input)) setInput('')
  }

  const setLane = (next: LaneConfig) => updateSetup((s) => ({ ...s, lanes: s.lanes.map((l) => (l.id === next.id ? next : l)) }))
  const blindAllowed = setup.lanes.length === 2

  return (
    <>
      <div className="compare-toolbar">
        <button className={`btn ghost${showSystem ? ' active' : ''}`} onClick={() => setShowSystem((s) => !s)} aria-pressed={showSystem}>
          System prompt{setup.system.trim() ? ' •' : ''}
        </button>
        <label className="row repeat-field" title="Run the same input N times per lane, then compare p50 / p95 and how much the answers vary">
          <span className="muted">Repeat</span>
          <input
            className="input mono"
            type="number"
            min={1}
            max={MAX_REPEAT}
            value={setup.repeat}
            disabled={running}
            onChange={(e) => updateSetup((s) => ({ ...s, repeat: Math.min(MAX_REPEAT, Math.max(1, Math.round(Number(e.target.value) || 1))) }))}
            data-testid="repeat-input"
            aria-label="Repeat runs per lane"
          />
        </label>
        <label className="switch" title={blindAllowed ? 'Hide and shuffle the two models, then vote' : 'Blind mode compares exactly two lanes'}>
          <input
            type="checkbox"
            checked={setup.blind && blindAllowed}
            disabled={!blindAllowed || running}
            onChange={(e) => updateSetup((s) => ({ ...s, blind: e.target.checked }))}
            data-testid="blind-toggle"
          />
          Blind
        </label>
        <div className="segmented" role="group" aria-label="Layout">
          <button aria-pressed={setup.layout === 'columns'} onClick={() => updateSetup((s) => ({ ...s, layout: 'columns' }))} data-testid="layout-columns">
            Side by side
          </button>
          <button aria-pressed={setup.layout === 'rows'} onClick={() => updateSetup((s) => ({ ...s, layout: 'rows' }))} data-testid="layout-rows">
            Stacked
          </button>
        </div>
        <span className="grow" />
        <button
          className="btn"
          disabled={setup.lanes.length >= MAX_LANES || running}
          onClick={() => updateSetup((s) => ({ ...s, lanes: [...s.lanes, newLane(s.lanes.at(-1)?.model ?? '')], blind: false }))}
          data-testid="add-lane"
        >
          <Icon name="plus" size={14} /> Lane
        </button>
      </div>
      {showSystem ? (
        <textarea
          className="input system-prompt"
          placeholder="System prompt shared by every lane"
          value={setup.system}
          onChange={(e) => updateSetup((s) => ({ ...s, system: e.target.value }))}
          aria-label="System prompt"
        />
      ) : null}
      <div className="composer">
        <textarea
          className="input"
          placeholder={turns.length && !setup.blind ? 'Continue the conversation in every lane…' : 'One input for every lane…'}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => {
            if (matchesShortcut('compareRun', e)) {
              e.preventDefault()
              run()
            }
          }}
          aria-label="Input"
          data-testid="compare-input"
        />
        <div className="composer-actions">
          {running ? (
            <button className="btn danger" onClick={() => latest && stopTurn(latest)} data-testid="compare-stop">
              <Icon name="stop" size={14} /> Stop all
            </button>
          ) : (
            <button className="btn primary" onClick={run} disabled={!input.trim()} data-testid="compare-run" title={`Run (${shortcutLabel('compareRun')})`}>
              <Icon name="play" size={14} /> Run{setup.repeat > 1 ? ` ×${setup.repeat}` : ''}
            </button>
          )}
          <button className="btn ghost" onClick={clearConversation} disabled={running || turns.length === 0} title="Start over; runs stay in History">
            New conversation
          </button>
        </div>
      </div>
      <datalist id="compare-model-options">
        <ModelOptions />
      </datalist>
      {blindTurn && latest ? <BlindVote turn={latest} finished={!running} /> : null}
      <div className={`lanes layout-${setup.layout}`} style={{ ['--lane-count' as string]: shown.length }} data-testid="lanes">
        {shown.map(({ lane, color }, i) => (
          <LaneColumn
            key={lane.id}
            lane={lane}
            label={labelOf(lane.id, i)}
            color={color}
            hidden={hidden && !!blindTurn?.order.includes(lane.id)}
            turns={turns}
            figures={aggregates.get(lane.id)?.chips ?? null}
            best={best[i]}
            chipPrefix={(latest?.lanes[lane.id]?.planned ?? 1) > 1 ? 'p50' : undefined}
            running={latest?.lanes[lane.id]?.status === 'running'}
            canRemove={setup.lanes.length > 2}
            locked={running}
            onChange={setLane}
            onRemove={() => updateSetup((s) => ({ ...s, lanes: s.lanes.filter((l) => l.id !== lane.id) }))}
            onStop={() => latest && stopLane(latest, lane.id)}
          />
        ))}
      </div>
      {latest && !hidden ? (
        <div className="card race-card">
          <h2>Race</h2>
          <p className="card-sub">Tokens received over time, per lane (estimated from text while streaming, the server’s count once done).</p>
          <RaceChart lanes={raceLanes} />
        </div>
      ) : null}
      {repeatRows.length && !hidden ? <RepeatStats rows={repeatRows} /> : null}
      {latest && !running && !hidden && diffSides.filter((s) => s.text !== null).length >= 2 ? <DiffView key={latest.id} sides={diffSides} /> : null}
    </>
  )
}

function ModelOptions() {
  const models = useCatalogStore(useShallow((s) => s.catalog.models.filter((m) => m.deprecation?.state !== 'retired' && !m.dedicatedOnly).map((m) => m.id)))
  return (
    <>
      {models.map((id) => (
        <option key={id} value={id} />
      ))}
    </>
  )
}
