import type { ChainResult, ChatRequest as EngineRequest, Finding, PolicyResult } from '@shared/policy/engine/types'

/**
 * What the gateway needs from the policy engine. The adapter in
 * policy-adapter.ts implements it with the compiled chain from shared/policy.
 */
export interface GatewayPolicy {
  /** Which policies run (for /wafer/config and the log). */
  readonly chain: readonly string[]
  /** Some policy reads (and may redact) the output. */
  readonly readsOutput: boolean
  /** Run the chain over the request before any upstream call. May throw: the fail mode decides. */
  checkInput(request: EngineRequest): Promise<ChainResult>
  /** Run the output policies over a whole (non-streamed) answer. */
  checkOutput(text: string): OutputCheck
  /** A redactor for one streamed answer, or null when no policy looks at output. */
  outputStream(): OutputStream | null
}

export interface OutputCheck {
  /** The text to return (redacted when a policy redacts). */
  text: string
  verdict: 'allow' | 'redact' | 'block' | 'log'
  results: PolicyResult[]
  findings: Finding[]
  blocked?: { policy: string; message: string }
}

/**
 * Feeds streamed text through the output policies. `push` returns only text
 * that can no longer be part of a match (a match split across chunks is held
 * back until it is complete); it may hold back more, to scan less often, until
 * `release` (called at the end of each network read) hands on what is safe.
 * `end` returns the rest.
 */
export interface OutputStream {
  push(chunk: string): { text: string; blocked?: { policy: string; message: string } }
  release(): { text: string; blocked?: { policy: string; message: string } }
  end(): { text: string; blocked?: { policy: string; message: string } }
  findings(): Finding[]
  verdict(): 'allow' | 'redact' | 'block' | 'log'
}
