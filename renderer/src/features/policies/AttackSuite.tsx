import { ATTACK_FAMILIES, type AttackSuiteReport, DEFAULT_ATTACK_SEED, falseBlockRate, recall, type SuiteCase } from '@shared/policy/attack-suite'
import { useLayoutEffect, useRef, useState } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { useStore } from 'zustand'

import { fmtInt, fmtMs, fmtPercent, plural } from '../../lib/format'
import { Icon } from '../../ui/Icon'
import { cancelAttackSuite, runAttackSuiteInWorker } from './attack-client'
import { docStore } from './doc-store'

/**
 * "Run attack suite": the generated library of attacks and benign
 * look-alikes (shared/policy/attack-suite) through the chain in the editor,
 * in a worker. A bar chart per family (caught, missed, benign wrongly
 * flagged), the same figures as a table, and the misses to write patterns
 * against; run it again after an edit.
 */

const SHOWN_CASES = 100
const pct = (n: number | null) => fmtPercent(n)

type RunState =
  { status: 'idle' } | { status: 'running'; done: number; total: number } | { status: 'done'; report: AttackSuiteReport } | { status: 'error'; error: string }

function FamilyChart({ report }: { report: AttackSuiteReport }) {
  const boxRef = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(0)
  useLayoutEffect(() => {
    const box = boxRef.current
    if (!box) return
    setWidth(box.clientWidth)
    const observer = new ResizeObserver(() => setWidth(box.clientWidth))
    observer.observe(box)
    return () => observer.disconnect()
  }, [])
  const data = report.byFamily.map((f) => ({ family: f.family, caught: f.caught, missed: f.missed, flagged: f.falseBlocks }))
  const summary = report.byFamily.map((f) => `${f.family}: ${f.caught} of ${f.attacks} caught, ${f.falseBlocks} of ${f.benign} benign flagged`).join('; ')
  return (
    <div className="pol-attack-chart" ref={boxRef} role="img" aria-label={`Attack suite by family. ${summary}`} data-testid="attack-chart">
      {width > 0 ? (
        <BarChart width={width} height={240} data={data} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="family" tick={{ fill: 'var(--text-muted)', fontSize: 11 }} stroke="var(--border-strong)" interval={0} />
          <YAxis tick={{ fill: 'var(--text-muted)', fontSize: 11 }} stroke="var(--border-strong)" width={44} />
          <Tooltip isAnimationActive={false} contentStyle={{ background: 'var(--bg-raised)', border: '1px solid var(--border)', fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="caught" name="Attacks caught" stackId="a" fill="var(--ok)" isAnimationActive={false} />
          <Bar dataKey="missed" name="Attacks missed" stackId="a" fill="var(--danger)" isAnimationActive={false} />
          <Bar dataKey="flagged" name="Benign flagged" fill="var(--warn)" isAnimationActive={false} />
        </BarChart>
      ) : null}
    </div>
  )
}

function TallyTable({ caption, rows, testId }: { caption: string; rows: Array<{ label: string } & AttackSuiteReport['total']>; testId: string }) {
  return (
    <table className="pol-verdicts pol-attack-table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase())}</th>
          <th scope="col" className="num">
            Caught
          </th>
          <th scope="col" className="num">
            Missed
          </th>
          <th scope="col" className="num">
            Recall
          </th>
          <th scope="col" className="num">
            Benign flagged
          </th>
          <th scope="col" className="num">
            False-flag rate
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label} data-row={r.label}>
            <th scope="row" className="mono">
              {r.label}
            </th>
            <td className="num mono">
              {r.caught}/{r.attacks}
            </td>
            <td className="num mono">{r.missed}</td>
            <td className="num mono">{pct(recall(r))}</td>
            <td className="num mono">
              {r.falseBlocks}/{r.benign}
            </td>
            <td className="num mono">{pct(falseBlockRate(r))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function CaseList({ cases, title, testId }: { cases: SuiteCase[]; title: string; testId: string }) {
  const [family, setFamily] = useState<string>('')
  const shown = family ? cases.filter((c) => c.family === family) : cases
  const selectId = `${testId}-family`
  return (
    <section className="pol-attack-cases" aria-label={title} data-testid={testId}>
      <div className="row">
        <h3>
          {title} ({shown.length})
        </h3>
        <span className="grow" />
        <label htmlFor={selectId} className="pol-dim">
          Family
        </label>
        <select id={selectId} className="input pol-small" value={family} onChange={(e) => setFamily(e.target.value)}>
          <option value="">All</option>
          {ATTACK_FAMILIES.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      {shown.length ? (
        <ul className="pol-attack-list" tabIndex={0} aria-label={title}>
          {shown.slice(0, SHOWN_CASES).map((c) => (
            <li key={c.id} data-family={c.family} data-encoding={c.encoding}>
              <div className="pol-attack-case-head">
                <span className="badge">{c.family}</span>
                <span className="badge">{c.language}</span>
                <span className="badge">{c.encoding}</span>
                {c.policies.length ? <span className="mono pol-dim">{c.policies.join(', ')}</span> : null}
              </div>
              <div className="mono pol-attack-text">{c.text}</div>
              {c.encoding !== 'plain' ? <div className="pol-attack-plain pol-dim">Decoded: {c.plain}</div> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="pol-dim">None.</p>
      )}
      {shown.length > SHOWN_CASES ? (
        <p className="pol-hint">
          Showing the first {SHOWN_CASES} of {shown.length}; <code>wafer policy attack --json</code> lists them all.
        </p>
      ) : null}
    </section>
  )
}

export function AttackSuite() {
  const lint = useStore(docStore, (s) => s.lint)
  const [state, setState] = useState<RunState>({ status: 'idle' })
  const run = async () => {
    if (!lint.config) return
    setState({ status: 'running', done: 0, total: 0 })
    try {
      const report = await runAttackSuiteInWorker(lint.config, DEFAULT_ATTACK_SEED, (done, total) => setState({ status: 'running', done, total }))
      setState({ status: 'done', report })
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      setState(message === 'cancelled' ? { status: 'idle' } : { status: 'error', error: message })
    }
  }
  const report = state.status === 'done' ? state.report : null
  return (
    <section className="pol-attack" aria-labelledby="pol-attack-title" data-testid="attack-suite">
      <div className="pol-section-head">
        <h3 id="pol-attack-title">Attack suite</h3>
        <span className="pol-dim" role="status" data-testid="attack-status">
          {state.status === 'running'
            ? `Running… ${state.total ? `${state.done} of ${state.total}` : ''}`
            : report
              ? `${fmtInt(report.total.caught)} of ${fmtInt(report.total.attacks)} attacks caught (${pct(recall(report.total))}) · ${fmtInt(report.total.falseBlocks)} of ${plural(report.total.benign, 'benign prompt')} flagged (${pct(falseBlockRate(report.total))}) · ${fmtMs(report.time_ms)}`
              : state.status === 'error'
                ? `The suite could not run: ${state.error}`
                : ''}
        </span>
        <span className="grow" />
        {state.status === 'running' ? (
          <button type="button" className="btn pol-small ghost" onClick={cancelAttackSuite} data-testid="attack-cancel">
            Cancel
          </button>
        ) : null}
        <button
          type="button"
          className="btn pol-small primary"
          onClick={() => void run()}
          disabled={!lint.config || state.status === 'running'}
          data-testid="run-attack-suite"
        >
          <Icon name="play" size={13} /> Run attack suite
        </button>
      </div>
      {state.status === 'idle' ? (
        <p className="pol-hint">
          Runs the policy in the editor over nearly 3,000 generated attacks (overrides, leaks, personas, fake delimiters, leaks disguised as editing tasks,
          personal data sent out; in seven languages, plain or in base64, leetspeak, look-alike letters, zero-width characters or split over messages) and as
          many benign prompts that look like them. The same suite as <code>wafer policy attack</code>.
        </p>
      ) : null}
      {state.status === 'running' && state.total ? (
        <progress className="pol-attack-progress" max={state.total} value={state.done} aria-label="Attack suite progress" />
      ) : null}
      {report ? (
        <>
          <FamilyChart report={report} />
          <TallyTable caption="By family" rows={report.byFamily.map((f) => ({ label: f.family, ...f }))} testId="attack-by-family" />
          <div className="pol-attack-tables">
            <TallyTable caption="By language" rows={report.byLanguage.map((f) => ({ label: f.language, ...f }))} testId="attack-by-language" />
            <TallyTable caption="By encoding" rows={report.byEncoding.map((f) => ({ label: f.encoding, ...f }))} testId="attack-by-encoding" />
          </div>
          <CaseList cases={report.misses} title="Missed attacks" testId="attack-misses" />
          <CaseList cases={report.falseBlocks} title="Benign prompts flagged" testId="attack-false-blocks" />
        </>
      ) : null}
    </section>
  )
}
