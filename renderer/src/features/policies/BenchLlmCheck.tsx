import './bench-llm.css'

import type { PolicyLlmCheck } from '@shared/ipc/domains/policies'
import { DEFAULT_ROLES, type PromptInjectionConfig } from '@shared/policy'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'

import { api } from '../../api'
import { fmtMs, fmtUsd, plural } from '../../lib/format'
import { Icon } from '../../ui/Icon'
import { LlmCheckLine } from '../../ui/LlmCheckLine'
import type { Sample } from './bench-core'
import { benchStore } from './bench-store'
import { docStore } from './doc-store'

/**
 * The semantic layer in the test bench: the lexical chain runs live in the
 * window; the LLM check (prompt-injection llm_check) is asked on demand,
 * through main (the app's key and endpoint, the same cache and timeout as
 * enforcement), and each sample shows its verdict, latency and cost.
 */

const MAX_ASKED = 50

interface Answer {
  /** The messages asked about, so an edited sample no longer shows the old answer. */
  asked: string
  llm: PolicyLlmCheck
}

const llmStore = createStore<{ answers: Map<string, Answer>; running: boolean; error: string | null }>(() => ({
  answers: new Map(),
  running: false,
  error: null,
}))

function llmCheckConfig(config: ReturnType<typeof docStore.getState>['lint']['config']): PromptInjectionConfig['llm_check'] | null {
  if (!config?.policies?.chain?.includes('prompt-injection')) return null
  return (config.policy?.['prompt-injection'] as PromptInjectionConfig | undefined)?.llm_check ?? null
}

function scannedOf(sample: Sample) {
  const roles = DEFAULT_ROLES['prompt-injection']
  return sample.messages.map((m, index) => ({ index, role: m.role, content: m.content })).filter((m) => roles.includes(m.role) && m.content.trim())
}
const askedKey = (sample: Sample) => JSON.stringify(scannedOf(sample))

async function askAll(samples: Sample[], check: NonNullable<PromptInjectionConfig['llm_check']>) {
  llmStore.setState({ running: true, error: null })
  const answers = new Map<string, Answer>()
  try {
    for (const s of samples.slice(0, MAX_ASKED)) {
      const messages = scannedOf(s)
      if (!messages.length) continue
      const llm = await api.policiesLlmCheck({ model: check.model, messages, ...(check.timeout_ms ? { timeout_ms: check.timeout_ms } : {}) })
      answers.set(s.key, { asked: JSON.stringify(messages), llm: { ...llm, on_error: check.on_error ?? 'allow' } })
      llmStore.setState({ answers: new Map(answers) })
    }
  } catch (err) {
    llmStore.setState({ error: err instanceof Error ? err.message : String(err) })
  } finally {
    llmStore.setState({ running: false })
  }
}

/** The button and the totals, shown when the policy in the editor has llm_check. */
export function BenchLlmControls() {
  const lint = useStore(docStore, (s) => s.lint)
  const samples = useStore(benchStore, (s) => s.samples)
  const { answers, running, error } = useStore(llmStore)
  const check = llmCheckConfig(lint.config)
  if (!check) return null
  const current = samples.map((s) => answers.get(s.key)).filter((a): a is Answer => !!a)
  const injections = current.filter((a) => a.llm.verdict === 'injection').length
  const cost = current.reduce((sum, a) => sum + (a.llm.cost_usd ?? 0), 0)
  const calls = current.filter((a) => !a.llm.cached && a.llm.verdict !== 'error')
  const latency = calls.length ? calls.reduce((sum, a) => sum + a.llm.latency_ms, 0) / calls.length : null
  return (
    <div className="pol-llm-controls" data-testid="bench-llm">
      <button
        type="button"
        className="btn pol-small"
        disabled={running || !samples.length}
        onClick={() => void askAll(samples, check)}
        data-testid="bench-llm-run"
      >
        <Icon name="shield" size={13} /> {running ? 'Asking…' : `Ask ${check.model} (LLM check)`}
      </button>
      <span className="pol-dim" data-testid="bench-llm-summary" aria-live="polite">
        {current.length
          ? `${plural(current.length, 'sample')} checked · ${injections} called injection · ${fmtUsd(cost)} in all${latency !== null ? ` · ${fmtMs(latency)} per call on average` : ''}`
          : `Calls Cerebras from the app with your key, ${samples.length > MAX_ASKED ? `for the first ${MAX_ASKED} samples, ` : ''}and costs tokens; verdicts are cached.`}
      </span>
      {error ? (
        <span className="callout danger" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  )
}

/** One sample's answer, while its text is still the one asked about. */
export function SampleLlmCheck({ sample, index }: { sample: Sample; index: number }) {
  const answer = useStore(llmStore, (s) => s.answers.get(sample.key))
  if (!answer || answer.asked !== askedKey(sample)) return null
  return <LlmCheckLine llm={answer.llm} testId={`sample-${index}-llm`} />
}
