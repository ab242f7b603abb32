import type { AuditInfo, AuditKind, AuditProofs, AuditRecord, AuditVerifyResult } from '@shared/audit/types'
import { useCallback, useEffect, useEffectEvent, useState } from 'react'

import { api } from '../../api'
import { fmtDateTime, fmtInt, fmtMs, plural } from '../../lib/format'
import { describeError } from '../../lib/notify'
import { downloadText } from '../../ui/download'
import { Icon } from '../../ui/Icon'
import { VerdictBadge } from './VerdictBadge'

const KINDS: Array<AuditKind | 'all' | 'unfinished'> = [
  'all',
  'request_started',
  'unfinished',
  'request_completed',
  'request',
  'policy_failure',
  'access',
  'prune',
  'lifecycle',
  'decision',
]
const VERDICTS = ['all', 'allow', 'redact', 'block', 'escalate'] as const
const PAGE = 100

/** Browse, filter, verify and export the tamper-evident audit log. */
export function AuditPanel() {
  const [info, setInfo] = useState<{ info: AuditInfo | null; file: string } | null>(null)
  const [records, setRecords] = useState<AuditRecord[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [text, setText] = useState('')
  const [kind, setKind] = useState<AuditKind | 'all' | 'unfinished'>('all')
  const [verdict, setVerdict] = useState<(typeof VERDICTS)[number]>('all')
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const filter = useCallback(
    () => ({
      ...(text.trim() ? { text: text.trim() } : {}),
      ...(kind === 'unfinished' ? { unfinished: true } : kind !== 'all' ? { kind } : {}),
      ...(verdict !== 'all' ? { verdict } : {}),
    }),
    [text, kind, verdict],
  )

  const load = useCallback(
    async (more: boolean) => {
      setError(null)
      try {
        const page = await api.auditQuery({ ...filter(), limit: PAGE, ...(more && cursor ? { cursor } : {}) })
        setRecords((r) => (more ? [...r, ...page.records] : page.records))
        setCursor(page.nextCursor)
        setInfo(await api.auditInfo({}))
      } catch (err) {
        setError(describeError(err))
      }
    },
    [filter, cursor],
  )

  // A new kind or verdict filter reloads the first page (the text filter waits for Search).
  const loadFirstPage = useEffectEvent(() => void load(false))
  useEffect(() => loadFirstPage(), [kind, verdict])

  const runVerify = async () => {
    setBusy(true)
    setError(null)
    try {
      setVerify(await api.auditVerify({}))
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const exportAll = async () => {
    try {
      const { jsonl, records: n } = await api.auditExport({ filter: filter() })
      downloadText(`wafer-audit-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.jsonl`, jsonl, 'application/x-ndjson')
      setError(n === 0 ? 'No records matched; the export is empty.' : null)
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <div className="card" data-testid="audit-panel">
      <div className="row" style={{ justifyContent: 'space-between', alignItems: 'flex-start' }}>
        <div>
          <h2>Audit log</h2>
          <p className="card-sub">
            Append-only and hash-chained: every request and decision, findings stored as keyed hashes, never raw values (the key is kept in the log&apos;s key
            file, not in the log). <code data-testid="audit-location">{info?.file ?? '…'}</code> (choose the log in Settings)
          </p>
        </div>
        <div className="row">
          <button className="btn" onClick={() => void runVerify()} disabled={busy || !info?.info} data-testid="audit-verify">
            <Icon name="shield" /> Verify chain
          </button>
          <button className="btn" onClick={() => void exportAll()} disabled={!info?.info} data-testid="audit-export">
            Export JSONL
          </button>
        </div>
      </div>
      {info && !info.info ? (
        <div className="callout info">
          No audit log yet. Start the gateway with <code>audit-logger</code> in the policy chain.
        </div>
      ) : null}
      {info?.info ? (
        <dl className="kv gw-audit-info">
          <dt>Records</dt>
          <dd data-testid="audit-count">{fmtInt(info.info.records)}</dd>
          <dt>Head</dt>
          <dd className="mono">
            #{info.info.head.seq} {info.info.head.hash.slice(0, 16)}…
          </dd>
          <dt>Retention</dt>
          <dd>
            {info.info.retentionDays} days{info.info.logAllAccess ? ' · every read is logged' : ''}
          </dd>
          <dt>Last checkpoint</dt>
          <dd data-testid="audit-checkpoint">
            {info.info.lastCheckpoint
              ? `#${info.info.lastCheckpoint.seq} at ${fmtDateTime(info.info.lastCheckpoint.time)} · ${info.info.lastCheckpoint.signed ? 'signed (Ed25519)' : 'not signed'}`
              : info.info.formatVersion === 1
                ? 'none: this log predates signed checkpoints'
                : 'none yet'}
          </dd>
          <dt>Witness</dt>
          <dd data-testid="audit-witness">
            {info.info.witness ? (
              <>
                <code>{info.info.witness.file}</code>
                {info.info.witness.problem
                  ? ` · ${info.info.witness.problem}`
                  : info.info.witness.lastSeq === null
                    ? ' · holds no head of this log yet'
                    : ` · last head #${info.info.witness.lastSeq} at ${fmtDateTime(info.info.witness.lastTime)}`}
              </>
            ) : (
              'none: checkpoint heads are kept only inside the log (wafer gateway run --witness FILE keeps a copy elsewhere)'
            )}
          </dd>
        </dl>
      ) : null}
      {verify ? (
        verify.ok ? (
          <div className="callout info" data-testid="audit-verify-ok">
            {/* Retention's checkpoints (where pruned segments were), not the signed ones, which the proof lines count. */}
            <Icon name="check" /> Intact: {plural(verify.records, 'record')}
            {verify.checkpoints ? ` and ${plural(verify.checkpoints, 'retention checkpoint')}` : ''} verified up to #{verify.head.seq}.
            {verify.proofs ? <ProofLines proofs={verify.proofs} /> : null}
          </div>
        ) : (
          <div className="callout danger" role="alert" data-testid="audit-verify-failed">
            <Icon name="warning" /> Verification failed at record #{verify.firstBadSeq}: {verify.reason}
            {verify.proofs ? <ProofLines proofs={verify.proofs} /> : null}
          </div>
        )
      ) : null}
      {error ? (
        <div className="callout warn" role="alert">
          <Icon name="warning" /> {error}
        </div>
      ) : null}
      <form
        className="row gw-filters"
        onSubmit={(e) => {
          e.preventDefault()
          void load(false)
        }}
      >
        <input
          className="input"
          placeholder="Search request id, client, model, entity… or an exact value"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Search the audit log"
          data-testid="audit-search"
        />
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value as AuditKind | 'all' | 'unfinished')} aria-label="Kind">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k === 'all' ? 'All kinds' : k === 'unfinished' ? 'started, not finished' : k}
            </option>
          ))}
        </select>
        <select className="input" value={verdict} onChange={(e) => setVerdict(e.target.value as (typeof VERDICTS)[number])} aria-label="Verdict">
          {VERDICTS.map((v) => (
            <option key={v} value={v}>
              {v === 'all' ? 'All verdicts' : v}
            </option>
          ))}
        </select>
        <button className="btn" type="submit">
          Search
        </button>
      </form>
      <div className="gw-table-wrap">
        <table className="gw-table" data-testid="audit-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Time</th>
              <th>Kind</th>
              <th>Request</th>
              <th>Model / target</th>
              <th>Verdicts</th>
              <th>Findings</th>
              <th className="num">Status</th>
              <th className="num">Latency</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.seq} title={`hash ${r.hash}\nprev ${r.prevHash}`}>
                <td className="num mono">{r.seq}</td>
                <td className="mono">{fmtDateTime(r.time, { seconds: true })}</td>
                <td>
                  {r.kind}
                  {r.finished === false ? (
                    <span className="gw-unfinished" title="No completion record: the request is still running, or a crash interrupted it">
                      {' '}
                      not finished
                    </span>
                  ) : null}
                </td>
                <td className="mono gw-ellipsis">{r.requestId ?? '—'}</td>
                <td>
                  {r.model ?? '—'}
                  {r.target ? <span className="gw-policy">via {r.target}</span> : null}
                </td>
                <td>
                  {r.verdicts.length ? r.verdicts.filter((v) => v.verdict !== 'allow').map((v) => <VerdictBadge key={v.policy} verdict={v.verdict} />) : '—'}
                  {r.verdicts.length && r.verdicts.every((v) => v.verdict === 'allow') ? <VerdictBadge verdict="allow" /> : null}
                </td>
                <td>{r.findings.length ? r.findings.map((f) => f.entity).join(', ') : '—'}</td>
                <td className="num">{r.status ?? '—'}</td>
                <td className="num">{fmtMs(r.latencyMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor ? (
        <button className="btn ghost" onClick={() => void load(true)}>
          Load older records
        </button>
      ) : null}
    </div>
  )
}

/** What verification proved beyond the hash chain, and what it did not. */
function ProofLines({ proofs }: { proofs: AuditProofs }) {
  const mac =
    proofs.mac === 'checked'
      ? 'MAC chain checked with the key file'
      : proofs.mac === 'not_checked'
        ? 'MAC chain NOT checked: the key file is not beside the log'
        : 'no MAC chain (a log from before format 2)'
  return (
    <ul className="gw-proofs" data-testid="audit-proofs">
      <li>{mac}</li>
      <li>{plural(proofs.signedCheckpoints, 'signed checkpoint')} verified</li>
      {proofs.witnessHeads !== null ? <li>{plural(proofs.witnessHeads, 'witness head')} still extended by the log</li> : null}
      {proofs.unfinished ? <li>{plural(proofs.unfinished, 'request')} started but not finished (still running, or interrupted by a crash)</li> : null}
      {proofs.notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  )
}
