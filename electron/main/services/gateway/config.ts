import { formatZodError } from '@shared/ipc/errors'
import { type LintFinding, lintPolicyText } from '@shared/policy/lint'
import { type PolicyConfig, PolicyConfigSchema, targetBaseUrl, type TargetConfig, targetModel } from '@shared/policy/schema'
import { parseDocument } from 'yaml'

/** A config error the gateway refuses to start with; `findings` carry file:line:col. */
export class GatewayConfigError extends Error {
  constructor(
    message: string,
    readonly findings: Array<LintFinding & { file: string }> = [],
  ) {
    super(message)
    this.name = 'GatewayConfigError'
  }
}

export interface LoadedConfig {
  /** The effective config after layering every file in order. */
  config: PolicyConfig
  files: string[]
  /** Lint warnings, kept to show at start-up and in /wafer/config. */
  warnings: Array<LintFinding & { file: string }>
}

type Plain = Record<string, unknown>
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Later files override earlier ones: maps merge key by key, everything else
 * (lists such as policies.chain and providers.targets included) is replaced.
 */
export function layer(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base }
  for (const [k, v] of Object.entries(over)) out[k] = isPlain(v) && isPlain(out[k]) ? layer(out[k] as Plain, v) : v
  return out
}

export async function loadGatewayConfig(files: string[], readFile: (f: string) => Promise<string>): Promise<LoadedConfig> {
  if (files.length === 0) throw new GatewayConfigError('Give at least one --policy-config file.')
  let merged: Plain = {}
  const warnings: LoadedConfig['warnings'] = []
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file)
    } catch (err) {
      // A file over the cap says so in full; others say why they cannot be read.
      if ((err as Error).name === 'PolicyFileReadError') throw new GatewayConfigError((err as Error).message)
      throw new GatewayConfigError(`Cannot read ${file}: ${(err as Error).message}`)
    }
    const lint = lintPolicyText(text)
    const withFile = lint.findings.map((f) => ({ ...f, file }))
    const errors = withFile.filter((f) => f.severity === 'error')
    // A layer may be partial (e.g. only providers); what must hold is checked on the merged result.
    const blocking = files.length > 1 ? errors.filter((f) => !isMissingRequiredTopLevel(f)) : errors
    if (blocking.length) {
      throw new GatewayConfigError(
        `${file} has ${blocking.length} error(s):\n` + blocking.map((f) => `  ${file}:${f.line}:${f.column} ${f.code} ${f.message}`).join('\n'),
        blocking,
      )
    }
    warnings.push(...withFile.filter((f) => f.severity !== 'error'))
    const value: unknown = lint.config ?? parseDocument(text).toJS({ maxAliasCount: 100 })
    if (!isPlain(value)) throw new GatewayConfigError(`${file} is not a YAML mapping.`)
    merged = layer(merged, value)
  }
  const parsed = PolicyConfigSchema.safeParse(merged)
  if (!parsed.success) {
    throw new GatewayConfigError(`The layered config is not valid: ${formatZodError(parsed.error, Infinity)}`)
  }
  return { config: merged as unknown as PolicyConfig, files, warnings }
}

function isMissingRequiredTopLevel(f: LintFinding): boolean {
  return f.code === 'E005' && f.path.length <= 1
}

/** An upstream endpoint with its key resolved, ready to call. */
export interface ResolvedTarget {
  id: string
  provider: string
  /** The model sent upstream; undefined means "the model the client asked for". */
  model: string | undefined
  baseUrl: string
  apiKey: string
  /** Cerebras accepts msgpack/gzip bodies; other OpenAI-compatible servers get JSON. */
  compression: boolean
  /** Where the key came from, for /wafer/config (never the key itself). */
  keySource: string
}

export interface SecretLookup {
  env: NodeJS.ProcessEnv
  /** `secret_key_ref.store` names, resolved by the app's key store; absent headless. */
  store?: (name: string) => string | undefined
  /** In the app: its own endpoint and key, the upstream of a policy that names no provider targets. */
  app?: AppUpstream
}

/** The endpoint the app itself calls (Settings, CEREBRAS_BASE_URL or the demo endpoint) and its key. */
export interface AppUpstream {
  baseUrl: string
  /** Undefined when the app has no key. */
  apiKey: string | undefined
  /** Where the key comes from, for the summary and /wafer/config (never the key itself), e.g. app:stored. */
  keySource: string
  compression: boolean
}

const DEFAULT_TARGET: TargetConfig = { id: 'cerebras', provider: 'cerebras', secret_key_ref: { env: 'CEREBRAS_API_KEY' } }

/** Resolve every target's base URL and key at start-up; a missing variable is an error naming it. */
export function resolveTargets(config: PolicyConfig, secrets: SecretLookup): ResolvedTarget[] {
  if (!config.providers?.targets?.length && secrets.app) return [appTarget(secrets.app)]
  const targets = config.providers?.targets?.length ? config.providers.targets : [DEFAULT_TARGET]
  const ids = new Set<string>()
  return targets.map((t) => {
    if (ids.has(t.id)) throw new GatewayConfigError(`Two provider targets are named '${t.id}'; target ids must be unique.`)
    ids.add(t.id)
    const baseUrl = targetBaseUrl(t)
    if (!baseUrl) throw new GatewayConfigError(`Target '${t.id}' (provider ${t.provider}) needs a base_url.`)
    const isCerebras = t.provider === 'cerebras' || t.provider.startsWith('cerebras:')
    const ref = t.secret_key_ref ?? (isCerebras ? { env: 'CEREBRAS_API_KEY' } : t.provider === 'openai' ? { env: 'OPENAI_API_KEY' } : undefined)
    let apiKey = ''
    let keySource = 'none'
    if (ref?.env) {
      apiKey = secrets.env[ref.env]?.trim() ?? ''
      if (!apiKey) throw new GatewayConfigError(`Target '${t.id}' reads its API key from the environment variable ${ref.env}, which is not set.`)
      keySource = `env:${ref.env}`
    } else if (ref?.store) {
      if (!secrets.store)
        throw new GatewayConfigError(
          `Target '${t.id}' uses secret_key_ref.store '${ref.store}', which only the app's key store can resolve. Use {env: NAME} headless.`,
        )
      apiKey = secrets.store(ref.store) ?? ''
      if (!apiKey) throw new GatewayConfigError(`Target '${t.id}' uses the stored key '${ref.store}', which is not set.`)
      keySource = `store:${ref.store}`
    }
    return { id: t.id, provider: t.provider, model: targetModel(t), baseUrl, apiKey, compression: isCerebras, keySource }
  })
}

/** A policy without targets, in the app: the app's own endpoint with the app's key. */
function appTarget(app: AppUpstream): ResolvedTarget {
  if (!app.apiKey) {
    throw new GatewayConfigError(
      `The policy names no provider targets, so the gateway would call the app's endpoint (${app.baseUrl}), but the app has no API key. Set one in Settings, switch on the demo endpoint, or name targets under providers.targets.`,
    )
  }
  return {
    id: 'cerebras',
    provider: 'cerebras',
    model: undefined,
    baseUrl: app.baseUrl,
    apiKey: app.apiKey,
    compression: app.compression,
    keySource: app.keySource,
  }
}

const SECRET_KEY = /(api[_-]?key|token|secret|password|authorization)$/i

/** The effective config for GET /wafer/config: literal secrets replaced, key references kept. */
export function redactConfig(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => redactConfig(v))
  if (isPlain(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]))
  if (typeof value === 'string' && SECRET_KEY.test(key)) return '[redacted]'
  return value
}
