import type { KeyTestFailure, KeyTestResult } from '@shared/ipc/domains/settings'

import { describeCause, parseErrorBody } from '../cerebras/api-errors'

/**
 * Tests an API key by asking the models list (GET {baseUrl}/models, the
 * cheapest call that needs a key) and says, in words a newcomer can act on,
 * what it found: the model ids the key can call, or why it failed (wrong
 * key, unreachable host, a base URL that is not the Cerebras API). Runs in
 * main; the result carries the key's last four characters, never the key.
 */

export interface KeyTesterDeps {
  fetch: typeof fetch
  /** Give up after this long (default 15 s). */
  timeoutMs?: number
  now?: () => number
}

export interface KeyTestInput {
  baseUrl: string
  /** Undefined when no key is typed, stored or set in the environment. */
  apiKey: string | undefined
}

const DEFAULT_TIMEOUT_MS = 15_000

export async function testKey(deps: KeyTesterDeps, input: KeyTestInput): Promise<KeyTestResult> {
  const now = deps.now ?? (() => performance.now())
  const baseUrl = input.baseUrl.replace(/\/+$/, '')
  const apiKey = input.apiKey?.trim()
  const hint = apiKey ? apiKey.slice(-4) : null
  const fail = (reason: KeyTestFailure, message: string, status: number | null = null): KeyTestResult => ({
    ok: false,
    baseUrl,
    hint,
    reason,
    status,
    message,
  })
  if (!apiKey) return fail('no_key', 'No key to test: paste a key first, or set CEREBRAS_API_KEY.')

  let url: URL
  try {
    url = new URL(`${baseUrl}/models`)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)')
  } catch {
    return fail('base_url', `The base URL ${baseUrl} is not an http(s) URL. It should look like https://api.cerebras.ai/v1.`)
  }

  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const started = now()
  let response: Response
  try {
    response = await deps.fetch(url, {
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
      // A redirect could carry the key to another host: report it instead of following it.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (err) {
    return fail('network', networkMessage(err, url, timeoutMs))
  }

  const status = response.status
  const text = await response.text().catch(() => '')
  if (status >= 300 && status < 400) {
    const to = response.headers.get('location')
    return fail(
      'base_url',
      `${url.host} answered with a redirect${to ? ` to ${to}` : ''} (${status}). Set the base URL to the API itself, like https://api.cerebras.ai/v1.`,
      status,
    )
  }
  if (!response.ok) {
    const server = parseErrorBody(text)?.message ?? `HTTP ${status}`
    if (status === 401 || status === 403) {
      return fail(
        'wrong_key',
        `${url.host} refused this key (${status}: ${server}). Check that you copied the whole key from cloud.cerebras.ai → API Keys.`,
        status,
      )
    }
    if (status === 404) {
      return fail('base_url', `${baseUrl} has no models list (404). The base URL should end in /v1, like https://api.cerebras.ai/v1.`, status)
    }
    if (status === 429) {
      return fail('rate_limited', `The key was recognised but is rate limited right now (429: ${server}). Try again in a minute.`, status)
    }
    return fail('server', `${url.host} answered ${status}: ${server}. Try again later, or check the base URL.`, status)
  }

  const models = parseModelIds(text)
  if (!models) {
    return fail(
      'base_url',
      `${url.host} answered, but not with a model list: is ${baseUrl} the Cerebras API? It should look like https://api.cerebras.ai/v1.`,
      status,
    )
  }
  return { ok: true, baseUrl, hint: hint!, models, ms: Math.round(now() - started) }
}

/** Model ids from `{"data": [{"id": …}, …]}`, sorted; undefined if the text is not such a list. */
function parseModelIds(text: string): string[] | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  const data = json && typeof json === 'object' ? (json as { data?: unknown }).data : undefined
  if (!Array.isArray(data)) return undefined
  const ids = data.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined)).filter((id): id is string => typeof id === 'string')
  return [...new Set(ids)].sort()
}

function networkMessage(err: unknown, url: URL, timeoutMs: number): string {
  const name = err instanceof Error ? err.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `${url.host} did not answer within ${(timeoutMs / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s. Check your connection and the base URL.`
  }
  const reason = describeCause(err)
  if (/ENOTFOUND|EAI_AGAIN/.test(reason)) return `The host ${url.hostname} was not found (${reason}). Check the base URL and your connection.`
  if (/ECONNREFUSED/.test(reason)) return `Nothing answered at ${url.host} (connection refused). Check the base URL.`
  return `Could not reach ${url.host}: ${reason}. Check your connection and the base URL.`
}
