import type { ResponseMetrics, Usage } from '../ipc/domains/chat'

/*
 * The one rule for whether a derived figure can be shown. ResponseMetrics
 * keeps what was measured; every screen, chart, median and export of a
 * tokens/s or "network + client" figure goes through here, so a figure that
 * cannot be honest is "—" everywhere, with the reason beside it.
 *
 * Why these thresholds:
 * - MIN_RATE_TOKENS = 16. A rate over n tokens moves by 1/n when one token
 *   more or less is counted, and Cerebras emits tokens in bursts (several per
 *   decode step and per SSE chunk), so a handful of tokens times a burst, not
 *   a speed: a 2-token answer reported completion_time 0.042 ms, i.e.
 *   "47,192 tok/s". At 16 tokens one token is ≤ 6% of the figure and the
 *   count spans several steps.
 * - MIN_RATE_SPAN_MS = 10. Below ~10 ms a span is a few decode steps on the
 *   server, and on the client it is of the order of one network read
 *   (tokens that share a read arrive together) and of timer coarsening, so
 *   the quotient measures delivery granularity, not generation speed.
 *   16 tokens at the ~3,000 tok/s Cerebras publishes take ~5 ms, so short
 *   answers to the fastest models show "—" rather than a noisy number.
 * - "Network + client" = the client's total − the server's total_time. The
 *   two come from different clocks (ours from sending to the last byte, the
 *   server's from its own start); when the server's total is the larger, the
 *   difference is not a duration of anything, so it is withheld, not shown
 *   negative.
 */

export const MIN_RATE_TOKENS = 16
export const MIN_RATE_SPAN_MS = 10

/** Why a figure that could be computed is not shown. */
export type Withheld =
  | { kind: 'too_few_tokens'; tokens: number; min: number }
  | { kind: 'too_short'; spanMs: number; min: number }
  | { kind: 'clock_domains'; clientTotalMs: number; serverTotalMs: number }

/** A figure as it may be shown: its value, or null (not measured when `withheld` is null too). */
export interface Figure {
  value: number | null
  withheld: Withheld | null
}

const NONE: Figure = { value: null, withheld: null }

const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n)

/** Tokens per second over `spanMs`, when enough tokens over a long enough time make it a speed. */
export function honestRate(tokens: number | null | undefined, spanMs: number | null | undefined): Figure {
  if (!finite(tokens) || !finite(spanMs) || spanMs <= 0 || tokens < 0) return NONE
  if (tokens < MIN_RATE_TOKENS) return { value: null, withheld: { kind: 'too_few_tokens', tokens, min: MIN_RATE_TOKENS } }
  if (spanMs < MIN_RATE_SPAN_MS) return { value: null, withheld: { kind: 'too_short', spanMs, min: MIN_RATE_SPAN_MS } }
  return { value: Math.round((tokens / spanMs) * 10_000) / 10, withheld: null }
}

/**
 * A stored rate (tokens/s) checked against the same rule, given the token
 * count it came from: the span is recovered as tokens / rate. For rows that
 * kept only the quotient (History's columns), including those saved before
 * this rule existed.
 */
export function honestStoredRate(rate: number | null | undefined, tokens: number | null | undefined): Figure {
  if (!finite(rate) || rate <= 0) return NONE
  if (!finite(tokens)) return { value: rate, withheld: null }
  const checked = honestRate(tokens, (tokens / rate) * 1000)
  return checked.withheld ? checked : { value: rate, withheld: null }
}

/** The client's total minus the server's, when the two clocks agree that the client's is the longer. */
export function honestNetworkShare(clientTotalMs: number | null | undefined, serverTotalMs: number | null | undefined): Figure {
  if (!finite(clientTotalMs) || !finite(serverTotalMs)) return NONE
  if (serverTotalMs > clientTotalMs) return { value: null, withheld: { kind: 'clock_domains', clientTotalMs, serverTotalMs } }
  return { value: Math.round((clientTotalMs - serverTotalMs) * 1000) / 1000, withheld: null }
}

export interface HonestFigures {
  /** completion_tokens / time_info.completion_time. */
  serverDecodeTokensPerSec: Figure
  /** completion_tokens / the client's whole request. */
  clientTokensPerSec: Figure
  /** The client's total − the server's total_time. */
  networkOverheadMs: Figure
}

/**
 * The derived figures of one response, each checked by the rule against what
 * it came from (the token count and the span it was measured over).
 */
export function honestFigures(metrics: ResponseMetrics, usage: Usage | null): HonestFigures {
  const tokens = usage?.completion_tokens
  return {
    serverDecodeTokensPerSec: checkedRate(metrics.serverDecodeTokensPerSec, tokens, metrics.completionMs),
    clientTokensPerSec: checkedRate(metrics.clientTokensPerSec, tokens, metrics.clientTotalMs),
    networkOverheadMs: honestNetworkShare(metrics.clientTotalMs, metrics.serverTotalMs),
  }
}

/** A measured rate kept as measured when the rule passes; its span recovered from the rate when the span was not kept. */
function checkedRate(rate: number | null, tokens: number | null | undefined, spanMs: number | null): Figure {
  if (!finite(spanMs) || spanMs <= 0) return honestStoredRate(rate, tokens)
  const checked = honestRate(tokens, spanMs)
  if (checked.withheld) return checked
  return { value: rate ?? checked.value, withheld: null }
}
