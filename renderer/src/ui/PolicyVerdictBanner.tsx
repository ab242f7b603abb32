import './policy-verdict.css'

import type { PolicyBlockedDetails, PolicyOutcome, SentMessage } from '@shared/ipc/domains/policies'
import type { WireError } from '@shared/ipc/errors'
import { useState } from 'react'

import { fmtMs, plural } from '../lib/format'
import { Icon } from './Icon'
import { LlmCheckLine, llmCheckOf } from './LlmCheckLine'

/**
 * What the active policy did to a request, for the playground and compare:
 * a block names the policy and shows the finding highlighted in the text;
 * redactions show the request as it was sent. Light (no policy engine), so
 * any screen can mount it.
 */

export interface PolicyVerdictBannerProps {
  /** The request's error, if it failed (a block is `policy_blocked`). */
  error?: WireError | null
  /** The decision reported with chat:done / chat:error. */
  policy?: PolicyOutcome | null
  /** The messages as sent, when the policy redacted any. */
  sentMessages?: SentMessage[] | null
  /** One line only (compare lanes). */
  compact?: boolean
}

const entitiesOf = (xs: ReadonlyArray<{ entity: string }>) => [...new Set(xs.map((x) => x.entity))].join(', ')

export function PolicyVerdictBanner({ error, policy, sentMessages, compact }: PolicyVerdictBannerProps) {
  const [showSent, setShowSent] = useState(false)
  if (error?.code === 'policy_blocked') return <BlockedBanner error={error} policy={policy ?? null} compact={compact} />
  if (!policy) return null
  const redactions = policy.input.redactions
  const outFindings = policy.output?.findings ?? []
  const logged = policy.input.policies.filter((p) => p.verdict === 'log' && p.policy !== 'audit-logger' && p.findings.length)
  const llm = llmCheckOf(policy)
  if (!redactions.length && !outFindings.length && !logged.length) {
    if (compact) return null
    return (
      <div className="pv-line" data-testid="policy-allowed">
        <Icon name="shield" size={12} /> Checked by <strong>{policy.pack}</strong>: allowed ({fmtMs(policy.input.time_ms)})
        {llm ? <LlmCheckLine llm={llm} /> : null}
      </div>
    )
  }
  const parts: string[] = []
  if (redactions.length) parts.push(`redacted ${plural(redactions.length, 'item')} before sending (${entitiesOf(redactions)})`)
  if (outFindings.length) parts.push(`redacted ${outFindings.length} in the answer (${entitiesOf(outFindings)})`)
  if (logged.length) parts.push(`logged ${logged.map((p) => `${p.policy} (${entitiesOf(p.findings)})`).join(', ')}`)
  return (
    <div className="callout warn pv-banner" role="status" data-testid="policy-redacted" data-policy={policy.policy ?? ''}>
      <Icon name="shield" />
      <div className="pv-body">
        <div>
          <strong>{policy.policy ?? 'Policy'}</strong> <span className="pv-dim">({policy.pack})</span> {parts.join('; ')}.
        </div>
        {llm && !compact ? <LlmCheckLine llm={llm} /> : null}
        {sentMessages?.length && !compact ? (
          <>
            <button type="button" className="pv-link" onClick={() => setShowSent((v) => !v)} aria-expanded={showSent} data-testid="show-sent">
              {showSent ? 'Hide the request as sent' : 'Show the request as sent'}
            </button>
            {showSent ? <RequestAsSent messages={sentMessages} markers={redactions.map((r) => r.marker)} /> : null}
          </>
        ) : null}
      </div>
    </div>
  )
}

function BlockedBanner({ error, policy, compact }: { error: WireError; policy: PolicyOutcome | null; compact?: boolean }) {
  const d = (error.details ?? {}) as Partial<PolicyBlockedDetails>
  const name = d.policy ?? policy?.blocked?.policy ?? 'the policy'
  const pack = d.pack ?? policy?.pack ?? null
  const ex = d.excerpt
  const llm = llmCheckOf(policy)
  return (
    <div className="callout danger pv-banner" role="alert" data-testid="policy-blocked" data-policy={name}>
      <Icon name="shield" />
      <div className="pv-body">
        <div className="pv-title">
          Blocked by <strong>{name}</strong>
          {pack ? <span className="pv-dim"> · policy {pack}</span> : null}
          {d.finding ? <span className="badge danger pv-entity">{d.finding.entity}</span> : null}
        </div>
        {!compact ? <div className="pv-message">{error.message.replace(/^Blocked by [^:]+:\s*/, '')}</div> : null}
        {llm && !compact ? <LlmCheckLine llm={llm} /> : null}
        {ex && !compact ? (
          <blockquote className="pv-excerpt" data-testid="policy-excerpt">
            <span className="pv-role">{ex.role}</span>
            {ex.clippedBefore ? '…' : ''}
            {ex.text.slice(0, ex.start)}
            <mark className="pv-mark" title={d.finding ? `${d.finding.entity} · score ${d.finding.score}` : undefined}>
              {ex.text.slice(ex.start, ex.end)}
            </mark>
            {ex.text.slice(ex.end)}
            {ex.clippedAfter ? '…' : ''}
          </blockquote>
        ) : null}
      </div>
    </div>
  )
}

/** The messages as Cerebras received them, with the redaction markers picked out. */
export function RequestAsSent({ messages, markers }: { messages: SentMessage[]; markers: string[] }) {
  const unique = [...new Set(markers.filter(Boolean))].sort((a, b) => b.length - a.length)
  const pattern = unique.length ? new RegExp(`(${unique.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'g') : null
  return (
    <ol className="pv-sent" data-testid="request-as-sent">
      {messages.map((m, i) => (
        <li key={i}>
          <span className="pv-role">{m.role}</span>
          <span className="pv-sent-text">
            {m.content === null
              ? '(no text)'
              : pattern
                ? m.content.split(pattern).map((part, j) =>
                    j % 2 === 1 ? (
                      <mark key={j} className="pv-marker">
                        {part}
                      </mark>
                    ) : (
                      <span key={j}>{part}</span>
                    ),
                  )
                : m.content}
          </span>
        </li>
      ))}
    </ol>
  )
}
