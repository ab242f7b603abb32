import type { ChatRequest } from '@shared/ipc/domains/chat'
import type { TokenLogprob, ToolCallDelta } from '@shared/ipc/domains/chat'
import type { PolicyOutcome, SentMessage } from '@shared/ipc/domains/policies'
import { WaferError } from '@shared/ipc/errors'

/**
 * The hook through which the active policy (services/policies) sees every
 * chat request: the input before anything is sent, the output as it
 * streams. ChatService knows only this interface, so it runs without any
 * policy in tests and in tools that do not want one.
 */
export interface ChatPolicyGate {
  /** Null when no policy applies. Never throws: an unusable policy comes back as a run that blocks. */
  begin(request: ChatRequest, requestId: string): Promise<ChatPolicyRun | null>
}

export interface ChatPolicyRun {
  /** The request to send: redacted and clamped as the policy says. */
  readonly request: ChatRequest
  /** Fail the request with this before anything is sent. */
  readonly blocked: WaferError | null
  /** The messages as sent, when the policy changed any. */
  readonly sentMessages: SentMessage[] | undefined
  /** Some policy reads (and may redact) the output. */
  readonly readsOutput: boolean
  /** A filter for one streamed output channel (one per tool call for its arguments), or null when no policy reads output. */
  outputFilter(channel: OutputChannel): OutputFilter | null
  /** Check a whole (non-streamed) output; returns it redacted, or throws the block error. */
  checkOutput(text: string): string
  /** The decision so far, for chat:done / chat:error and the saved run (withheld: output characters never released). */
  outcome(withheldChars?: number): PolicyOutcome
  /** How the request ended, once: an audit-logger in the chain records it. */
  settle(end: RunEnd): void
}

/** How a chat request ended, for the audit log. */
export interface RunEnd {
  model: string
  stream: boolean
  /** 200 answered, 409 a policy blocked it, else the server's HTTP status, or 0 (network, cancelled). */
  status: number
  /** Where it went: the API's host. */
  target: string
  usage: { promptTokens: number; completionTokens: number; totalTokens: number } | null
  latencyMs: number | null
  error?: string
}

/** The RunEnd of a request that failed with `error`. */
export function failedEnd(base: Omit<RunEnd, 'status' | 'error' | 'usage'>, error: unknown): RunEnd {
  const e = error instanceof WaferError ? error : null
  const status = e?.code === 'policy_blocked' ? 409 : typeof e?.details?.status === 'number' ? e.details.status : 0
  return { ...base, status, usage: null, error: error instanceof Error ? error.message : String(error) }
}

export type OutputChannel = 'content' | 'reasoning' | 'tool_arguments'

/**
 * Streamed output through the policy: `push` returns only text that can no
 * longer be part of a match (a match split across chunks is held back until
 * it is whole), `flush` the rest at the end of a good stream.
 */
export interface OutputFilter {
  push(text: string): string
  flush(): string
  /** Characters held back right now. */
  readonly pending: number
  /** Set when an output policy blocks (pii-detector with action block); nothing more is released. */
  readonly blocked: WaferError | null
}

/** What the stream assembler feeds (the delta coalescer, or this filter in front of it). */
export interface DeltaFeed {
  addContent(text: string): void
  addReasoning(text: string): void
  addToolCall(part: ToolCallDelta): void
  addLogprobs(tokens: TokenLogprob[]): void
}

/**
 * Sits between the stream assembler and the coalescer when a policy reads
 * output: text reaches the caller only once the filter has released it.
 */
export class PolicyFilteredFeed implements DeltaFeed {
  constructor(
    private readonly target: DeltaFeed,
    private readonly content: OutputFilter | null,
    private readonly reasoning: OutputFilter | null,
    /** Called once when an output policy blocks; the request should fail with the error. */
    private readonly onBlocked: (error: WaferError) => void,
    /** A filter for one tool call's arguments (one per call index), or null when none applies. */
    private readonly toolArguments: () => OutputFilter | null = () => null,
  ) {}

  private readonly toolFilters = new Map<number, OutputFilter | null>()

  private blockedSent = false

  addContent(text: string): void {
    this.pass(text, this.content, (t) => this.target.addContent(t))
  }

  addReasoning(text: string): void {
    this.pass(text, this.reasoning, (t) => this.target.addReasoning(t))
  }

  /** Log probabilities spell out the raw tokens, so they never pass a policy that reads the output. */
  addLogprobs(tokens: TokenLogprob[]): void {
    if (!this.content) this.target.addLogprobs(tokens)
  }

  addToolCall(part: ToolCallDelta): void {
    if (!part.arguments) return this.target.addToolCall(part)
    let filter = this.toolFilters.get(part.index)
    if (filter === undefined) this.toolFilters.set(part.index, (filter = this.toolArguments()))
    if (!filter) return this.target.addToolCall(part)
    const { arguments: args, ...rest } = part
    let released = ''
    this.pass(args, filter, (t) => (released = t))
    // The call's name and id go on at once; its arguments as the filter releases them.
    if (released) this.target.addToolCall({ ...rest, arguments: released })
    else if (rest.id !== undefined || rest.name !== undefined) this.target.addToolCall(rest)
  }

  /** End of a good stream: hand over what was held back. Returns the block error if the last part blocked. */
  release(): WaferError | null {
    for (const [filter, add] of [
      [this.content, (t: string) => this.target.addContent(t)],
      [this.reasoning, (t: string) => this.target.addReasoning(t)],
    ] as const) {
      if (!filter || filter.blocked) continue
      const rest = filter.flush()
      if (filter.blocked) return filter.blocked
      if (rest) add(rest)
    }
    for (const [index, filter] of this.toolFilters) {
      if (!filter || filter.blocked) continue
      const rest = filter.flush()
      if (filter.blocked) return filter.blocked
      if (rest) this.target.addToolCall({ index, arguments: rest })
    }
    return this.content?.blocked ?? this.reasoning?.blocked ?? [...this.toolFilters.values()].find((f) => f?.blocked)?.blocked ?? null
  }

  /** Characters never released (held back when the stream failed). */
  withheld(): number {
    let tools = 0
    for (const f of this.toolFilters.values()) tools += f?.pending ?? 0
    return (this.content?.pending ?? 0) + (this.reasoning?.pending ?? 0) + tools
  }

  private pass(text: string, filter: OutputFilter | null, add: (t: string) => void): void {
    if (!filter) {
      add(text)
      return
    }
    if (filter.blocked) return
    const safe = filter.push(text)
    if (filter.blocked) {
      if (!this.blockedSent) {
        this.blockedSent = true
        this.onBlocked(filter.blocked)
      }
      return
    }
    if (safe) add(safe)
  }
}
