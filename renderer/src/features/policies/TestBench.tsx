import { type ChainResult, decidingPolicyIndex, type Finding, ranAfterBlock } from '@shared/policy'
import { Fragment, memo, useEffect, useRef, useState } from 'react'
import { useStore } from 'zustand'

import { fmtMs, plural } from '../../lib/format'
import { Dialog } from '../../ui/Dialog'
import { downloadText } from '../../ui/download'
import { Icon } from '../../ui/Icon'
import { AttackSuite } from './AttackSuite'
import { compileForBench, findingsOf, parseSamplesJsonl, runSamples, type Sample, type SampleResult, samplesToJsonl, segments } from './bench-core'
import { addSample, benchStore, defaultSamples, loadBench, removeSample, setSamples, updateMessage } from './bench-store'
import { BenchLlmControls, SampleLlmCheck } from './BenchLlmCheck'
import { docStore } from './doc-store'
import { verdictClass } from './verdict-style'

/**
 * Sample prompts run through the chain being edited, a moment after every
 * edit of the policy or of a sample: the verdict per policy with its time,
 * findings highlighted in the text, and the text as it would be sent.
 */

const RUN_DELAY_MS = 150
const SHOWN_MAX = 200

function useBenchResults(): { results: Map<string, SampleResult>; error: string | null; lintErrors: number; ms: number | null } {
  const lint = useStore(docStore, (s) => s.lint)
  const samples = useStore(benchStore, (s) => s.samples)
  const [state, setState] = useState<{ results: Map<string, SampleResult>; error: string | null; lintErrors: number; ms: number | null }>({
    results: new Map(),
    error: null,
    lintErrors: 0,
    ms: null,
  })
  useEffect(() => {
    const t = setTimeout(() => {
      const started = performance.now()
      const bench = compileForBench(lint)
      if (!bench.chain) {
        setState({ results: new Map(), error: bench.error, lintErrors: lint.errors, ms: null })
        return
      }
      const results = runSamples(bench.chain, samples.slice(0, SHOWN_MAX))
      setState({ results: new Map(results.map((r) => [r.key, r])), error: null, lintErrors: lint.errors, ms: performance.now() - started })
    }, RUN_DELAY_MS)
    return () => clearTimeout(t)
  }, [lint, samples])
  return state
}

export function Highlighted({ text, findings, testId }: { text: string; findings: readonly Finding[]; testId?: string }) {
  return (
    <div className="pol-highlighted" data-testid={testId}>
      {segments(text, findings).map((seg, i) =>
        seg.findings.length ? (
          <mark
            key={i}
            className={`pol-mark pol-mark-${seg.findings[0].policy}`}
            title={seg.findings.map((f) => `${f.entity} · ${f.policy} · score ${f.score}${f.encoding ? ` · in ${f.encoding}` : ''}`).join('\n')}
            data-entity={seg.findings[0].entity}
          >
            {seg.text}
          </mark>
        ) : (
          <span key={i}>{seg.text}</span>
        ),
      )}
    </div>
  )
}

/**
 * Every policy of the chain with its verdict and findings. The bench runs
 * them all (report mode), even after a block; the policy that decided is
 * marked, and those after a block say that enforcement never runs them.
 */
function PolicyRows({ result }: { result: ChainResult }) {
  const decided = decidingPolicyIndex(result)
  return (
    <table className="pol-verdicts">
      <thead>
        <tr>
          <th>Policy</th>
          <th>Verdict</th>
          <th>Findings</th>
          <th className="num">Time</th>
        </tr>
      </thead>
      <tbody>
        {result.policies.map((p, i) => {
          const after = ranAfterBlock(result, i)
          return (
            <tr
              key={`${p.policy}-${i}`}
              data-policy={p.policy}
              data-decided={i === decided ? 'true' : undefined}
              data-after-block={after ? 'true' : undefined}
              className={i === decided ? 'pol-decided' : after ? 'pol-after-block' : undefined}
            >
              <td className="mono">
                {p.policy}
                {i === decided ? (
                  <span className="pol-decided-tag" title="This policy's verdict is the chain's: the first to give it, in chain order">
                    decided
                  </span>
                ) : null}
                {after ? (
                  <span className="pol-after-tag" title="Runs here only to report its findings: enforcement (the gateway, the app) stops at the block above">
                    after the block
                  </span>
                ) : null}
              </td>
              <td>
                {p.status === 'ran' ? (
                  <span className={`badge ${verdictClass(p.verdict)}`}>{p.verdict}</span>
                ) : (
                  <span className="pol-dim">{p.status === 'skipped' ? 'skipped' : 'not enforced'}</span>
                )}
              </td>
              <td title={p.message}>
                {p.findings.length ? (
                  [...new Set(p.findings.map((f) => f.entity))].map((entity, k) => (
                    <Fragment key={entity}>
                      {k ? ', ' : null}
                      <span className="pol-entity">{entity}</span>
                    </Fragment>
                  ))
                ) : (
                  <span className="pol-dim">—</span>
                )}
              </td>
              <td className="num mono">{p.status === 'ran' ? fmtMs(p.time_ms) : ''}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

const SampleCard = memo(function SampleCard({ sample, index, result }: { sample: Sample; index: number; result: SampleResult | undefined }) {
  const r: ChainResult | undefined = result?.result
  return (
    <li className="pol-sample" data-testid={`sample-${index}`} data-verdict={r?.verdict ?? ''}>
      <div className="pol-sample-head">
        <span className="mono pol-dim">{sample.id !== undefined ? String(sample.id) : `#${index + 1}`}</span>
        {r ? (
          <span className={`badge ${verdictClass(r.verdict)}`} data-testid="sample-verdict">
            {r.verdict}
          </span>
        ) : null}
        {r?.policy ? <span className="mono">{r.policy}</span> : null}
        {r?.blocked ? <span className="pol-dim pol-ellipsis">{r.blocked.message}</span> : null}
        <span className="grow" />
        {r ? <span className="mono pol-dim">{fmtMs(r.time_ms)}</span> : null}
        <button type="button" className="btn icon ghost" aria-label={`Remove sample ${index + 1}`} onClick={() => removeSample(sample.key)}>
          <Icon name="trash" size={14} />
        </button>
      </div>
      <div className="pol-sample-body">
        <div className="pol-sample-input">
          {sample.messages.map((m, i) => (
            <div key={i} className="pol-sample-msg">
              <span className="pol-role">{m.role}</span>
              <textarea
                className="input pol-textarea"
                value={m.content}
                rows={Math.min(6, Math.max(2, Math.ceil(m.content.length / 70)))}
                aria-label={`Sample ${index + 1} ${m.role} message`}
                onChange={(e) => updateMessage(sample.key, i, e.target.value)}
                data-testid={`sample-${index}-text-${i}`}
                spellCheck={false}
              />
              {r && findingsOf(r, i).length ? (
                <div className="pol-sample-view">
                  <div className="pol-caption">Findings</div>
                  <Highlighted text={m.content} findings={findingsOf(r, i)} testId={`sample-${index}-highlight-${i}`} />
                </div>
              ) : null}
              {r && r.redactions.some((x) => x.message_index === i) ? (
                <div className="pol-sample-view">
                  <div className="pol-caption">Sent as</div>
                  <div className="pol-redacted mono" data-testid={`sample-${index}-redacted-${i}`}>
                    {r.messages[i].content}
                  </div>
                </div>
              ) : null}
            </div>
          ))}
          {result?.error ? <div className="callout danger">{result.error}</div> : null}
        </div>
        <div className="pol-sample-result">
          {r ? <PolicyRows result={r} /> : null}
          <SampleLlmCheck sample={sample} index={index} />
        </div>
      </div>
    </li>
  )
})

function ImportDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('')
  const fileRef = useRef<HTMLInputElement>(null)
  const parsed = text.trim() ? parseSamplesJsonl(text) : null
  const apply = (replace: boolean) => {
    if (!parsed?.samples.length) return
    setSamples(replace ? parsed.samples : [...benchStore.getState().samples, ...parsed.samples])
    onClose()
  }
  return (
    <Dialog title="Import sample prompts (JSONL)" onClose={onClose} testId="import-dialog" className="pol-dialog-wide">
      <p className="pol-hint">
        One JSON object per line, as for <code>wafer policy test</code>: <code>{'{"id": "a", "prompt": "…"}'}</code> or{' '}
        <code>{'{"id": "b", "messages": [{"role": "user", "content": "…"}]}'}</code>.
      </p>
      <div className="row">
        <button type="button" className="btn" onClick={() => fileRef.current?.click()}>
          <Icon name="upload" size={14} /> Choose a file…
        </button>
        <input
          ref={fileRef}
          type="file"
          accept=".jsonl,.ndjson,.json,.txt"
          hidden
          onChange={async (e) => {
            const f = e.target.files?.[0]
            if (f) setText(await f.text())
          }}
        />
        <span className="pol-dim">or paste below</span>
      </div>
      <textarea
        className="input pol-import-text mono"
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={8}
        data-testid="import-text"
        spellCheck={false}
      />
      {parsed ? (
        <div className="pol-import-summary" data-testid="import-summary">
          {plural(parsed.samples.length, 'sample')} read
          {parsed.errors.length ? `, ${plural(parsed.errors.length, 'line')} skipped:` : '.'}
          {parsed.errors.length ? (
            <ul>
              {parsed.errors.slice(0, 8).map((e) => (
                <li key={e.line}>
                  line {e.line}: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="row pol-dialog-actions">
        <span className="grow" />
        <button type="button" className="btn ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn" disabled={!parsed?.samples.length} onClick={() => apply(false)} data-testid="import-append">
          Add to the list
        </button>
        <button type="button" className="btn primary" disabled={!parsed?.samples.length} onClick={() => apply(true)} data-testid="import-replace">
          Replace the list
        </button>
      </div>
    </Dialog>
  )
}

export function TestBench() {
  const samples = useStore(benchStore, (s) => s.samples)
  const { results, error, lintErrors, ms } = useBenchResults()
  const [importing, setImporting] = useState(false)
  useEffect(() => void loadBench(), [])
  const counts = { block: 0, redact: 0, log: 0, allow: 0 }
  for (const r of results.values()) if (r.result) counts[r.result.verdict]++
  return (
    <section className="card pol-bench" aria-labelledby="pol-bench-title" data-testid="test-bench">
      <div className="pol-section-head">
        <h2 id="pol-bench-title">Test bench</h2>
        <span className="pol-dim" data-testid="bench-summary">
          {plural(samples.length, 'sample')}
          {results.size ? ` · ${counts.block} blocked · ${counts.redact} redacted · ${counts.log} logged · ${counts.allow} allowed` : ''}
          {ms !== null ? ` · ${fmtMs(ms)} in all` : ''}
        </span>
        <span className="grow" />
        <button type="button" className="btn pol-small" onClick={addSample} data-testid="add-sample">
          <Icon name="plus" size={13} /> Sample
        </button>
        <button type="button" className="btn pol-small" onClick={() => setImporting(true)} data-testid="import-samples">
          <Icon name="upload" size={13} /> Import JSONL
        </button>
        <button
          type="button"
          className="btn pol-small"
          disabled={!samples.length}
          onClick={() => downloadText('policy-samples.jsonl', samplesToJsonl(samples), 'application/x-ndjson')}
        >
          <Icon name="download" size={13} /> Export
        </button>
        <button type="button" className="btn pol-small ghost" onClick={() => setSamples(defaultSamples())}>
          Reset
        </button>
      </div>
      <p className="pol-hint">
        Runs the chain in the editor over these prompts on every change, here in the window (the same engine main enforces with). Every policy runs, even after
        one blocks, so you see all they find; the one that <em>decided</em> is marked, as the gateway stops there.
      </p>
      {error ? (
        <div className="callout danger" role="status" data-testid="bench-error">
          <Icon name="warning" />
          <span>The policy cannot run yet: {error}</span>
        </div>
      ) : lintErrors ? (
        <div className="callout warn" role="status">
          <Icon name="warning" />
          <span>
            The file has {plural(lintErrors, 'lint error')}; these results show what the engine does with it, but the app will not apply it until they are
            fixed.
          </span>
        </div>
      ) : null}
      <BenchLlmControls />
      <AttackSuite />
      <ol className="pol-samples">
        {samples.slice(0, SHOWN_MAX).map((s, i) => (
          <SampleCard key={s.key} sample={s} index={i} result={results.get(s.key)} />
        ))}
      </ol>
      {samples.length > SHOWN_MAX ? (
        <p className="pol-hint">
          Showing the first {SHOWN_MAX} of {samples.length} samples.
        </p>
      ) : null}
      {importing ? <ImportDialog onClose={() => setImporting(false)} /> : null}
    </section>
  )
}
