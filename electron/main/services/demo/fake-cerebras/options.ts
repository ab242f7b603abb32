/** How a FakeCerebras server is set up, and the defaults it fills in. */

export interface FakeCerebrasOptions {
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Streaming speed for the catalog models (test models keep their own). */
  tokensPerSecond?: number
  /** Time to first token. */
  ttftMs?: number
  /** How many tokens an answer has when max_completion_tokens does not cut it. */
  replyTokens?: number
  /** If set, only these keys are accepted (others get 401). Any key is accepted otherwise. */
  apiKeys?: string[]
  /** End streams with `data: [DONE]` (real Cerebras streams do not). */
  sendDoneMarker?: boolean
  /** Split some events across writes (default true). */
  splitEvents?: boolean
  /** How often the streaming loop writes (ms). */
  tickMs?: number
  /** Ignore speed and TTFT and stream as fast as the socket takes it (benchmarks). */
  firehose?: boolean
  /** Answer this status to every msgpack or gzip body (a server without payload optimisation). */
  rejectEncoded?: 400 | 415 | false
  /**
   * Refuse requests whose Host is not this server's loopback address and any
   * request a browser sends (it carries Origin), so a web page cannot use it
   * through DNS rebinding. On for the app's demo endpoint; tests leave it off.
   */
  loopbackOnly?: boolean
  /** Keep every request in `received` (default true; the demo endpoint keeps none). */
  recordRequests?: boolean
  /** What the server says it is in the x-wafer-endpoint header (default fake; replay for a server of recorded exchanges; false: nothing). */
  announceAs?: 'fake' | 'replay' | false
  log?: (line: string) => void
}

/** The options with every default filled in (the three that may stay unset are optional). */
export type ResolvedOptions = Required<Omit<FakeCerebrasOptions, 'apiKeys' | 'log' | 'tokensPerSecond'>> &
  Pick<FakeCerebrasOptions, 'apiKeys' | 'log' | 'tokensPerSecond'>

export function resolveOptions(options: FakeCerebrasOptions): ResolvedOptions {
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    tokensPerSecond: options.tokensPerSecond,
    ttftMs: options.ttftMs ?? 120,
    replyTokens: options.replyTokens ?? 120,
    apiKeys: options.apiKeys,
    sendDoneMarker: options.sendDoneMarker ?? false,
    splitEvents: options.splitEvents ?? true,
    tickMs: options.tickMs ?? 4,
    firehose: options.firehose ?? false,
    rejectEncoded: options.rejectEncoded ?? false,
    loopbackOnly: options.loopbackOnly ?? false,
    recordRequests: options.recordRequests ?? true,
    announceAs: options.announceAs ?? 'fake',
    log: options.log,
  }
}
