/**
 * Scripted faults for the fake server, chosen per request by the
 * `x-fake-fault` header or by a model named `fault/<kind>`, with optional
 * parameters in query form: `429?retry_after_ms=1500&times=2`,
 * `fault/drop?after=20`. `times=N` makes a fault hit only the first N
 * matching requests, after which the request succeeds (to test retries).
 */

export const FAULT_KINDS = [
  'model_not_found', // 404 with the Cerebras body
  '401', // wrong API key
  '403', // {"detail":"Not authenticated"}
  '429', // rate limited, with retry-after-ms / retry-after / x-ratelimit-reset-*
  '500',
  '503',
  'context_length', // 400 context_length_exceeded
  'midstream_error', // an {error, status_code} chunk after `after` tokens
  'drop', // the connection is cut after `after` tokens
  'malformed', // a chunk that is not JSON after `after` tokens
  'slow_drip', // one token every `gap_ms`
  'stall', // stops sending after `after` tokens but keeps the connection open
  'end_early', // ends the response cleanly after `after` tokens, with no final chunk
  'reject_encoded', // 415 for msgpack or gzip bodies (a server without payload optimisation)
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

export interface Fault {
  kind: FaultKind
  params: Record<string, string>
  /** The text it was parsed from; retries of the same spec share one `times` counter. */
  spec: string
}

export const FAULT_HEADER = 'x-fake-fault'
export const FAULT_MODEL_PREFIX = 'fault/'

/** Parse `kind?k=v&…`; undefined for an unknown kind. */
export function parseFault(spec: string): Fault | undefined {
  const trimmed = spec.trim()
  const q = trimmed.indexOf('?')
  const kind = (q < 0 ? trimmed : trimmed.slice(0, q)) as FaultKind
  if (!FAULT_KINDS.includes(kind)) return undefined
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : trimmed.slice(q + 1)))
  return { kind, params, spec: trimmed }
}

/** A fault named by a model id, e.g. `fault/429?times=1`. */
export function faultFromModel(model: unknown): Fault | undefined {
  if (typeof model !== 'string' || !model.startsWith(FAULT_MODEL_PREFIX)) return undefined
  return parseFault(model.slice(FAULT_MODEL_PREFIX.length))
}

export function numberParam(f: Fault, name: string, fallback: number): number {
  const raw = f.params[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  return Number.isFinite(n) ? n : fallback
}

/** Counts hits per fault spec so `times=N` can stop after N. */
export class FaultCounter {
  private readonly hits = new Map<string, number>()

  /** True if the fault should apply to this request (and counts it). */
  take(f: Fault): boolean {
    const limit = f.params.times === undefined ? Infinity : Number(f.params.times)
    const n = this.hits.get(f.spec) ?? 0
    if (n >= limit) return false
    this.hits.set(f.spec, n + 1)
    return true
  }

  reset(): void {
    this.hits.clear()
  }
}

/**
 * The fault a chat request gets, if any: the first valid one queued by the
 * test (taken off the queue), then the `x-fake-fault` header's, then the one
 * its model names; the first of them whose `times` is not used up.
 */
export function chooseFault(queued: string[], header: unknown, body: Record<string, unknown> | null, counter: FaultCounter): Fault | undefined {
  const candidates: (Fault | undefined)[] = []
  while (queued.length) {
    const f = parseFault(queued.shift()!)
    if (f) {
      candidates.push(f)
      break
    }
  }
  if (typeof header === 'string') candidates.push(parseFault(header))
  if (body) candidates.push(faultFromModel(body.model))
  for (const f of candidates) if (f && counter.take(f)) return f
  return undefined
}
