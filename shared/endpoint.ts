/**
 * Which endpoint answered a run: real Cerebras, the built-in demo, a fake
 * Cerebras server, a server replaying recorded exchanges, or any other base
 * URL. Figures from one say nothing about another, so runs keep it (History
 * shows and filters by it). Main decides it from where the request went
 * (classifyEndpoint); the renderer only shows it.
 */

export const ENDPOINT_KINDS = ['cerebras', 'demo', 'fake', 'replay', 'custom'] as const
export type EndpointKind = (typeof ENDPOINT_KINDS)[number]

/** Plain data here (no schema: the renderer's start-up reads the labels); the contract's schema is in shared/ipc/domains/history.ts. */
export interface RunEndpoint {
  kind: EndpointKind
  /** host[:port] of the base URL; empty when it was not kept (demo runs saved before endpoints were recorded). */
  host: string
}

/** A kind this app knows, else null. */
export function endpointKindOf(value: string): EndpointKind | null {
  return (ENDPOINT_KINDS as readonly string[]).includes(value) ? (value as EndpointKind) : null
}

/**
 * The response header a local test server sends to say what it is (the fake
 * Cerebras server sends `fake`; a server replaying recordings sends `replay`).
 * Real Cerebras sends neither.
 */
export const ENDPOINT_HEADER = 'x-wafer-endpoint'

const ANNOUNCED = new Set<EndpointKind>(['fake', 'replay'])

/** What a server said it is in ENDPOINT_HEADER, when it said something this app knows. */
export function announcedKind(value: string | null | undefined): 'fake' | 'replay' | null {
  const v = value?.trim().toLowerCase() as EndpointKind | undefined
  return v && ANNOUNCED.has(v) ? (v as 'fake' | 'replay') : null
}

function isCerebrasHost(hostname: string): boolean {
  return hostname === 'cerebras.ai' || hostname.endsWith('.cerebras.ai')
}

/**
 * The endpoint behind a base URL: the demo when the built-in demo served it,
 * Cerebras for https to *.cerebras.ai, what a server announced for itself
 * (fake or replay), anything else custom.
 */
export function classifyEndpoint(baseUrl: string, opts: { demo?: boolean; announced?: 'fake' | 'replay' | null } = {}): RunEndpoint {
  let host: string
  let cerebras = false
  try {
    const url = new URL(baseUrl)
    host = url.host
    cerebras = url.protocol === 'https:' && isCerebrasHost(url.hostname)
  } catch {
    host = baseUrl.slice(0, 300)
  }
  if (opts.demo) return { kind: 'demo', host }
  if (cerebras) return { kind: 'cerebras', host }
  if (opts.announced) return { kind: opts.announced, host }
  return { kind: 'custom', host }
}

export const ENDPOINT_LABELS: Record<EndpointKind, string> = {
  cerebras: 'Cerebras',
  demo: 'Demo',
  fake: 'Fake server',
  replay: 'Replay',
  custom: 'Custom URL',
}

/** What each kind means, for tooltips. */
export const ENDPOINT_DESCRIPTIONS: Record<EndpointKind, string> = {
  cerebras: 'Real Cerebras Inference',
  demo: 'The built-in demo endpoint: a local fake server; answers and figures are made up',
  fake: 'A fake Cerebras server (it said so): answers and figures are made up',
  replay: 'A server replaying recorded exchanges (it said so): figures are not measured now',
  custom: 'A base URL that is neither Cerebras nor a server that said what it is',
}
