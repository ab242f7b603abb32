import { newId } from '@renderer/lib/doc-defaults'
import { fmtInt, fmtUsd } from '@renderer/lib/format'
import { budgetWarnings } from '@renderer/lib/tokens/budget'
import { costUsd, modelFacts } from '@renderer/lib/tokens/cost'
import { countPromptTokens } from '@renderer/lib/tokens/count-tokens'
import { tokenizerFor } from '@renderer/lib/tokens/families'
import type { PromptPart } from '@renderer/lib/tokens/tokenizers'
import { rateLimitStore, remainingNow, secondsToReset, windowOf } from '@renderer/stream/ratelimit-store'
import { Icon } from '@renderer/ui/Icon'
import type { PromptDoc } from '@shared/ipc/domains/history'
import { memo, useEffect, useMemo, useState } from 'react'
import { useStore } from 'zustand'

import { buildRequest, type Issue, sentMessages } from '../build-request'
import { publicModels } from '../model-options'
import { selectPane, usePlayground } from '../playground-store'
import { useRequestChecks } from '../request-checks'

/**
 * Before sending: prompt tokens (the model family's own tokenizer, loaded
 * on first use), estimated cost, context and rate-limit warnings, and what
 * would stop the request from being sent.
 */

const RECOUNT_DELAY_MS = 250

function withComposer(doc: PromptDoc, composer: string): PromptDoc {
  return composer.trim() ? { ...doc, messages: [...doc.messages, { id: newId('draft'), role: 'user', content: composer }] } : doc
}

function promptParts(doc: PromptDoc): PromptPart[] {
  const built = buildRequest(doc)
  const parts: PromptPart[] = []
  const request = built.request
  if (request) {
    for (const m of request.messages) {
      const text = typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join('')
      const calls = m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.name + c.function.arguments).join('') : ''
      parts.push({ text: text + calls, message: true })
    }
    if (request.tools) parts.push({ text: JSON.stringify(request.tools), message: false })
    if (request.response_format?.type === 'json_schema') parts.push({ text: JSON.stringify(request.response_format.json_schema.schema ?? {}), message: false })
  } else {
    // Not sendable yet: count what is there so the figure still moves while typing.
    if (doc.system) parts.push({ text: doc.system, message: true })
    for (const m of sentMessages(doc)) parts.push({ text: m.content, message: true })
  }
  return parts
}

export const BudgetBar = memo(function BudgetBar({ paneId }: { paneId: string }) {
  const doc = usePlayground((s) => selectPane(paneId)(s)?.doc)
  const composer = usePlayground((s) => selectPane(paneId)(s)?.composer ?? '')
  const blocked = usePlayground((s) => selectPane(paneId)(s)?.blocked ?? [])
  const model = doc?.params.model ?? ''
  const family = useMemo(() => tokenizerFor(model), [model])
  const [promptTokens, setPromptTokens] = useState<number | null>(null)
  const [preflight, setPreflight] = useState<Issue[]>([])
  const [tokenizerError, setTokenizerError] = useState<string | null>(null)
  const limits = useStore(rateLimitStore, (s) => s.byModel[model])
  const [now, setNow] = useState(() => Date.now())

  // The preflight and the count need the request's schemas: they run once those are in (request-checks.ts).
  const checks = useRequestChecks()
  useEffect(() => {
    if (!doc || !checks) return
    let cancelled = false
    const timer = setTimeout(() => {
      const full = withComposer(doc, composer)
      setPreflight(buildRequest(full).issues.filter((i) => !(i.field === 'messages' && sentMessages(full).length === 0)))
      // Counted in the token worker: typing never waits for a tokenizer.
      countPromptTokens(family.family, promptParts(full), () => cancelled).then(
        (n) => {
          if (n === null) return
          setPromptTokens(n)
          setTokenizerError(null)
        },
        (err: unknown) => !cancelled && setTokenizerError(err instanceof Error ? err.message : String(err)),
      )
    }, RECOUNT_DELAY_MS)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [doc, composer, family, checks])

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000)
    return () => clearInterval(t)
  }, [])

  if (!doc) return null
  const facts = modelFacts(model, publicModels())
  const max = doc.params.maxCompletionTokens
  const estimate = promptTokens === null ? null : costUsd(facts, promptTokens, max ?? facts.maxCompletionTokens ?? 0)
  const tpm = windowOf(limits, 'tokens-minute')
  const warnings = budgetWarnings({
    promptTokens,
    maxCompletionTokens: max,
    facts,
    tpmRemaining: remainingNow(tpm, now),
    tpmResetSeconds: secondsToReset(tpm, now),
  })
  const shownIssues = blocked.length ? blocked : preflight
  return (
    <div className="pg-budget" data-testid="budget">
      <div className="pg-budget-line">
        <span title={`Tokenizer: ${family.label}. Includes the chat template's overhead.`} data-testid="prompt-tokens">
          Prompt {promptTokens === null ? (tokenizerError ? '—' : '…') : `${family.exact ? '' : '≈'}${fmtInt(promptTokens)}`} tokens
        </span>
        <span className="pg-dim">+ max {max === null ? `${fmtInt(facts.maxCompletionTokens)} (model max)` : fmtInt(max)} out</span>
        <span
          title={`Prompt at ${facts.inputPer1M ?? '—'} and max_completion_tokens at ${facts.outputPer1M ?? '—'} USD per 1M tokens (${facts.source} price)`}
          data-testid="cost-estimate"
        >
          ≤ {fmtUsd(estimate)}
        </span>
        <span className="pg-dim">context {fmtInt(facts.contextLength)}</span>
        {tokenizerError ? (
          <span className="badge warn" title={tokenizerError}>
            tokenizer failed to load
          </span>
        ) : null}
      </div>
      {warnings.map((w) => (
        <div key={w.id} className={`callout ${w.level}`} data-testid={`budget-${w.id}`}>
          <Icon name="warning" />
          <span>{w.message}</span>
        </div>
      ))}
      {shownIssues.map((i) => (
        <div
          key={i.message}
          className={`callout ${i.level === 'error' ? 'danger' : 'warn'}`}
          data-testid={i.level === 'error' ? 'send-blocked' : 'send-warning'}
          data-field={i.field}
        >
          <Icon name="warning" />
          <span>{i.message}</span>
        </div>
      ))}
    </div>
  )
})
