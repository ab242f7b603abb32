import { useStore } from 'zustand'

import { fmtMs, fmtTimeOfDay, plural } from '../../lib/format'
import { gatewayStore } from './gateway-store'
import { VerdictBadge } from './VerdictBadge'

const time = (ms: number) => fmtTimeOfDay(ms, { seconds: true })

/** The live request log: newest first. */
export function RequestLogTable() {
  const entries = useStore(gatewayStore, (s) => s.entries)
  if (!entries.length) {
    return <p className="card-sub">No requests yet. They appear here as clients call the gateway.</p>
  }
  const rows = [...entries].reverse()
  return (
    <div className="gw-table-wrap">
      <table className="gw-table" data-testid="gateway-log">
        <thead>
          <tr>
            <th>Time</th>
            <th>Client</th>
            <th>Model</th>
            <th>Verdict</th>
            <th>Target</th>
            <th className="num">Status</th>
            <th>Reason</th>
            <th className="num">Latency</th>
            <th className="num">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr
              key={e.requestId}
              title={[e.verdicts.map((v) => `${v.stage} ${v.policy}: ${v.verdict}`).join(', '), e.attempts.map((a) => `${a.target}: ${a.outcome}`).join(' → ')]
                .filter(Boolean)
                .join('\n')}
            >
              <td className="mono">{time(e.time)}</td>
              <td className="mono">{e.client}</td>
              <td>
                <span className="gw-id" title={e.model ?? undefined}>
                  {e.model ?? '—'}
                </span>
              </td>
              <td>
                <VerdictBadge verdict={e.verdict} />
                {e.verdicts
                  .filter((v) => v.verdict === 'block' || v.verdict === 'redact' || v.verdict === 'error')
                  .map((v) => (
                    <span key={`${v.stage}${v.policy}`} className="gw-policy">
                      {v.policy}
                    </span>
                  ))}
              </td>
              <td>
                <span className="gw-id" title={e.target ?? undefined}>
                  {e.target ?? '—'}
                </span>
                {e.attempts.length > 1 ? <span className="gw-policy">after {plural(e.attempts.length - 1, 'fallback')}</span> : null}
              </td>
              <td className={`num ${e.status >= 400 ? 'bad' : ''}`}>{e.status || '—'}</td>
              {/* Why a request failed (the error's code, then what it said), or what went wrong after its answer began. */}
              <td data-testid="gateway-log-reason">{e.error ?? '—'}</td>
              <td className="num">{fmtMs(e.latencyMs)}</td>
              <td className="num">{e.usage ? `${e.usage.promptTokens} → ${e.usage.completionTokens}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
