/**
 * Engine types: what a chain receives, and what it reports per policy.
 * Browser-safe; used by main (enforcement), the renderer (test bench) and the CLI.
 */

export interface ChatMessage {
  role: string
  /** Text content; null for assistant messages that only carry tool calls. */
  content: string | null
}

export interface ChatRequest {
  messages: ChatMessage[]
  max_completion_tokens?: number | null
  model?: string
}

/** log means "allow, and record the findings". */
export type Verdict = 'allow' | 'redact' | 'block' | 'log'

/** Gateway error codes a block maps to (HTTP 409 body `code`). */
export type BlockCode = 'input_blocked' | 'output_blocked' | 'budget_exceeded' | 'escalation_required'

export interface Finding {
  /** Policy kind that reported it. */
  policy: string
  /** e.g. EMAIL_ADDRESS, CREDIT_CARD, INSTRUCTION_OVERRIDE, DENY_PATTERN. */
  entity: string
  /** JavaScript string indices into that message's original content: [start, end). */
  start: number
  end: number
  /** 0..1 */
  score: number
  /** Index into request.messages; -1 for model output. */
  message_index: number
  /** Set when the finding was inside an encoded segment. */
  encoding?: 'base64' | 'hex' | 'url'
  /** Short human explanation (never contains the matched text). */
  detail?: string
}

/** Result of the optional LLM injection check. */
export interface LlmCheckRecord {
  verdict: 'injection' | 'benign' | 'error' | 'skipped'
  confidence?: number
  latency_ms: number
  error?: string
}

export interface PolicyResult {
  policy: string
  verdict: Verdict
  /** ran; skipped (an earlier policy blocked); not_enforced (a catalog kind we keep but do not run). */
  status: 'ran' | 'skipped' | 'not_enforced'
  findings: Finding[]
  time_ms: number
  /** Why it blocked, redacted or logged, in one sentence. */
  message?: string
  code?: BlockCode
  llm?: LlmCheckRecord
  /** Request fields this policy changed (token-budget clamps). */
  changes?: { max_completion_tokens?: { from: number | null; to: number } }
}

export interface Redaction {
  message_index: number
  start: number
  end: number
  entity: string
  marker: string
}

export interface ChainResult {
  /** Most severe verdict: block > redact > log > allow. */
  verdict: Verdict
  /** The policy that decided it (first block, else first redact, else first log), or null. */
  policy: string | null
  policies: PolicyResult[]
  findings: Finding[]
  /** Messages as they would be sent (redactions applied). */
  messages: ChatMessage[]
  /** The request as it would be sent (redacted and clamped). */
  request: ChatRequest
  redactions: Redaction[]
  blocked?: { policy: string; code: BlockCode; message: string; finding?: Finding }
  time_ms: number
}
