import './policy-verdict.css'

import type { PolicyLlmCheck, PolicyOutcome } from '@shared/ipc/domains/policies'

import { fmtMs, fmtUsd } from '../lib/format'

/**
 * The semantic injection check's answer on one request (prompt-injection
 * with llm_check): the model's verdict, how long it took and what it cost,
 * or that it came from the cache, or that it failed and what that did.
 */

export function llmCheckOf(policy: PolicyOutcome | null | undefined): PolicyLlmCheck | null {
  return policy?.input.policies.find((p) => p.policy === 'prompt-injection')?.llm ?? null
}

export function llmCheckText(llm: PolicyLlmCheck): { verdict: string; parts: string[] } {
  const verdict =
    llm.verdict === 'injection'
      ? 'injection'
      : llm.verdict === 'benign'
        ? 'benign'
        : llm.verdict === 'skipped'
          ? 'not needed (no text to check)'
          : `failed (${llm.error ?? 'error'}), ${llm.on_error === 'block' ? 'so the request was blocked (fails closed)' : 'so the lexical verdict stands (fails open)'}`
  const parts: string[] = []
  if (typeof llm.confidence === 'number' && (llm.verdict === 'injection' || llm.verdict === 'benign'))
    parts.push(`confidence ${Math.round(llm.confidence * 100)}%`)
  if (llm.cached) parts.push('cached: no call made')
  else parts.push(fmtMs(llm.latency_ms))
  if (!llm.cached && typeof llm.prompt_tokens === 'number') parts.push(`${llm.prompt_tokens + (llm.completion_tokens ?? 0)} tokens`)
  if (!llm.cached && llm.cost_usd !== undefined) parts.push(llm.cost_usd === null ? 'cost unknown (no price for this model)' : fmtUsd(llm.cost_usd))
  return { verdict, parts }
}

export function LlmCheckLine({ llm, testId = 'llm-check' }: { llm: PolicyLlmCheck; testId?: string }) {
  const { verdict, parts } = llmCheckText(llm)
  return (
    <div className="pv-llm" data-testid={testId} data-verdict={llm.verdict} data-cached={llm.cached ? 'true' : 'false'}>
      <span className="pv-llm-label">LLM check{llm.model ? ` (${llm.model})` : ''}:</span>{' '}
      <strong className={llm.verdict === 'injection' || (llm.verdict === 'error' && llm.on_error === 'block') ? 'pv-llm-bad' : undefined}>{verdict}</strong>
      {parts.length ? <span className="pv-dim"> · {parts.join(' · ')}</span> : null}
    </div>
  )
}
