import { ENDPOINT_LABELS, type RunEndpoint } from '@shared/endpoint'
import type { MetricPoint } from '@shared/ipc/domains/history'
import { median } from '@shared/stats'

/**
 * The user's own figures per model, from saved runs: what "measured by you"
 * means. Kept apart per endpoint (real Cerebras, the demo, a fake or replay
 * server, another base URL): a speed measured on one says nothing about
 * another, so they are never pooled. Runs saved before endpoints were
 * recorded belong to none and are left out.
 */
export interface MeasuredModel {
  model: string
  /** The endpoint these runs were answered by. */
  endpoint: RunEndpoint
  /** Runs that reported the figure. */
  runs: number
  decodeTokensPerSecP50: number | null
  ttftMsP50: number | null
  /** Newest run (epoch ms). */
  lastAt: number
  /** From runs on the demo endpoint: made-up figures, not measurements of Cerebras. */
  demo: boolean
}

/** Measured models per endpoint key (see endpointKey), then per model id. */
export type MeasuredByEndpoint = Record<string, Record<string, MeasuredModel>>

/**
 * One key per endpoint: every demo run is the demo (its port changes each
 * start); any other endpoint is its host, the part of the base URL the user
 * chose.
 */
export function endpointKey(endpoint: Pick<RunEndpoint, 'kind' | 'host'>): string {
  return endpoint.kind === 'demo' ? 'demo' : endpoint.host.toLowerCase()
}

/** The key of the endpoint requests go to now: the demo while it is on, else the base URL's host. */
export function currentEndpointKey(baseUrl: string | null | undefined, demo: boolean): string | null {
  if (demo) return 'demo'
  if (!baseUrl) return null
  try {
    return new URL(baseUrl).host.toLowerCase()
  } catch {
    return null
  }
}

/** The endpoint in a few words, for "measured by you on …". */
export function endpointName(endpoint: RunEndpoint): string {
  switch (endpoint.kind) {
    case 'cerebras':
      return endpoint.host && endpoint.host !== 'api.cerebras.ai' ? `Cerebras (${endpoint.host})` : 'Cerebras'
    case 'demo':
      return 'the demo endpoint'
    case 'fake':
      return `the fake server at ${endpoint.host || 'an unknown host'}`
    case 'replay':
      return `the replay server at ${endpoint.host || 'an unknown host'}`
    case 'custom':
      return endpoint.host || ENDPOINT_LABELS.custom
  }
}

/** Medians per endpoint and model. */
export function summarizeMeasured(points: readonly MetricPoint[]): MeasuredByEndpoint {
  const groups = new Map<string, { endpoint: RunEndpoint; byModel: Map<string, MetricPoint[]> }>()
  for (const p of points) {
    const endpoint = p.endpoint ?? (p.demo ? { kind: 'demo' as const, host: '' } : null)
    if (!endpoint) continue
    const key = endpointKey(endpoint)
    let group = groups.get(key)
    if (!group) groups.set(key, (group = { endpoint, byModel: new Map() }))
    const list = group.byModel.get(p.model)
    if (list) list.push(p)
    else group.byModel.set(p.model, [p])
  }
  const out: MeasuredByEndpoint = {}
  for (const [key, { endpoint, byModel }] of groups) {
    const models: Record<string, MeasuredModel> = {}
    for (const [model, list] of byModel) {
      models[model] = {
        model,
        // The newest run's endpoint (a fake server at the same host may since have said what it is).
        endpoint: list.reduce((a, b) => (b.startedAt > a.startedAt ? b : a)).endpoint ?? endpoint,
        runs: list.filter((p) => p.decodeTokensPerSec !== null || p.ttftMs !== null).length,
        decodeTokensPerSecP50: median(list.map((p) => p.decodeTokensPerSec)),
        ttftMsP50: median(list.map((p) => p.ttftMs)),
        lastAt: Math.max(...list.map((p) => p.startedAt)),
        demo: endpoint.kind === 'demo',
      }
    }
    out[key] = models
  }
  return out
}

/** The measured models of one endpoint (none when it has no runs or is unknown). */
export function measuredOn(all: MeasuredByEndpoint, key: string | null): Record<string, MeasuredModel> {
  return (key && all[key]) || {}
}

/** A model's figures on every endpoint but `except`, newest first (for the Models screen's details). */
export function measuredElsewhere(all: MeasuredByEndpoint, model: string, except: string | null): MeasuredModel[] {
  return Object.entries(all)
    .filter(([key, models]) => key !== except && models[model])
    .map(([, models]) => models[model])
    .sort((a, b) => b.lastAt - a.lastAt)
}
