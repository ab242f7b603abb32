/** One line of the gateway's live request log (the Gateway screen shows these). */
export interface GatewayLogEntry {
  requestId: string
  /** Epoch ms when the request arrived. */
  time: number
  client: string
  model: string | null
  stream: boolean
  /** Per-policy verdicts on the input (and output). */
  verdicts: Array<{ policy: string; verdict: string; stage: 'input' | 'output' }>
  /** Overall verdict: allow, redact, block, log, or error when a policy failed. */
  verdict: string
  /** The upstream target that answered, when one did. */
  target: string | null
  /** Targets tried, in order, with why each failed. */
  attempts: Array<{ target: string; outcome: string }>
  status: number
  latencyMs: number
  usage: { promptTokens: number; completionTokens: number; totalTokens: number } | null
  error: string | null
  /** The optional LLM injection check's verdict and latency, when it ran. */
  llm?: { verdict: string; confidence?: number; latency_ms: number; error?: string }
}

/** A bounded ring of recent entries with listeners; memory stays flat however long it runs. */
export class RequestLog {
  private readonly entries: GatewayLogEntry[] = []
  private readonly listeners = new Set<(e: GatewayLogEntry) => void>()
  constructor(private readonly capacity = 500) {}

  add(e: GatewayLogEntry): void {
    this.entries.push(e)
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity)
    for (const l of this.listeners) {
      try {
        l(e)
      } catch {
        /* a listener's failure must not break request handling */
      }
    }
  }

  recent(limit = this.capacity): GatewayLogEntry[] {
    return this.entries.slice(-limit)
  }

  subscribe(l: (e: GatewayLogEntry) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
}
