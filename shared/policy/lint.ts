import type { z } from 'zod'

import { CATALOG_ONLY_KINDS, type EnforcedKind, isCatalogOnlyKind, isEnforcedKind, KIND_INFO, SINGLE_POLICY_KINDS, suggestKind } from './kinds'
import type { LintCode, LintFinding, LintSeverity } from './lint-codes'
import { analyzeRegexSafety, type RegexFlags, tryCompileSafeRegex } from './regex/index'
import { POLICY_BLOCK_SCHEMAS, type PolicyConfig, PolicyConfigSchema, SinglePolicyHeaderSchema, targetModel } from './schema'
import { validKeysAt } from './schema-info'
import { lineCol, locate, locateKey, type ParsedPolicyYaml, parsePolicyYaml, toPlain, type YamlPath } from './yaml'

export type { LintCode, LintFinding, LintSeverity } from './lint-codes'
export { LINT_CODES } from './lint-codes'

/** What the model catalog knows about a deprecated model (shared/catalog provides it; passed in, not imported). */
export interface DeprecatedModelInfo {
  /** Retirement date (yyyy-mm-dd), or null/undefined when unknown. */
  date?: string | null
  replacement?: string
  /** A ready sentence; used instead of composing one when given. */
  message?: string
}

export interface LintOptions {
  deprecatedModel?: (modelId: string) => DeprecatedModelInfo | undefined
}

export type DocumentShape = 'config' | 'single-policy' | 'invalid'

export interface LintResult {
  /** True when there are no errors (warnings allowed). */
  ok: boolean
  shape: DocumentShape
  findings: LintFinding[]
  errors: number
  warnings: number
  parsed: ParsedPolicyYaml
  /**
   * The config as the engine reads it (a single-policy document becomes a
   * one-entry chain). Present whenever the document is a mapping, even with
   * errors, so editors can show partial results; run it only when `ok`.
   */
  config?: PolicyConfig
}

/** Largest pattern list and pattern Kong-style gateways accept. */
export const MAX_PATTERNS = 10
export const MAX_PATTERN_LENGTH = 500

type Plain = Record<string, unknown>
const isObj = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v)

export function lintPolicyText(text: string, opts: LintOptions = {}): LintResult {
  return lintParsed(parsePolicyYaml(text), opts)
}

export function lintParsed(parsed: ParsedPolicyYaml, opts: LintOptions = {}): LintResult {
  const { doc, lineCounter } = parsed
  const findings: LintFinding[] = []

  const add = (code: LintCode, severity: LintSeverity, message: string, path: YamlPath, range: [number, number]) => {
    const start = lineCol(lineCounter, range[0])
    const end = lineCol(lineCounter, Math.max(range[0], range[1]))
    findings.push({
      code,
      severity,
      message,
      path: [...path],
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      from: range[0],
      to: Math.max(range[0], range[1]),
    })
  }
  const at = (path: YamlPath) => locate(doc, path).range
  const atKey = (path: YamlPath) => locateKey(doc, path)

  for (const e of doc.errors) {
    const message = `YAML: ${yamlProblem(e.message)}`
    // Nesting too deep is one problem, however many nodes the parser gave up on: said once, where it first did.
    if (message === `YAML: ${TOO_DEEP}` && findings.some((f) => f.message === message)) continue
    add('E000', 'error', message, [], [e.pos[0], e.pos[1]])
  }

  let plain: unknown
  try {
    plain = toPlain(doc)
  } catch (err) {
    const message = `YAML: ${yamlProblem(err instanceof Error ? err.message : String(err))}`
    // The parser may have said it already, at its position.
    if (!findings.some((f) => f.code === 'E000' && f.message === message)) add('E000', 'error', message, [], [0, 0])
    return finish(findings, parsed, 'invalid', undefined)
  }
  if (plain === null || plain === undefined) {
    add('E005', 'error', 'the document is empty: it needs `pack:` and `policies:`', [], [0, 0])
    return finish(findings, parsed, 'invalid', undefined)
  }
  if (!isObj(plain)) {
    add('E004', 'error', 'the document must be a mapping with `pack:` and `policies:`', [], at([]))
    return finish(findings, parsed, 'invalid', undefined)
  }

  const ctx: Ctx = { add, at, atKey, opts }
  const single = !('pack' in plain) && !('policies' in plain) && isObj(plain.policy) && typeof plain.policy.name === 'string'
  if (single) {
    const config = lintSinglePolicy(plain, ctx)
    return finish(findings, parsed, 'single-policy', config)
  }
  lintConfig(plain, ctx)
  return finish(findings, parsed, 'config', plain as unknown as PolicyConfig)
}

function finish(findings: LintFinding[], parsed: ParsedPolicyYaml, shape: DocumentShape, config: PolicyConfig | undefined): LintResult {
  findings.sort((a, b) => a.from - b.from || a.code.localeCompare(b.code))
  const errors = findings.filter((f) => f.severity === 'error').length
  return { ok: errors === 0, shape, findings, errors, warnings: findings.length - errors, parsed, config }
}

interface Ctx {
  add: (code: LintCode, severity: LintSeverity, message: string, path: YamlPath, range: [number, number]) => void
  at: (path: YamlPath) => [number, number]
  atKey: (path: YamlPath) => [number, number]
  opts: LintOptions
}

const fmtPath = (p: YamlPath) =>
  p.length
    ? p
        .map((s) => (typeof s === 'number' ? `[${s}]` : s))
        .join('.')
        .replace(/\.\[/g, '[')
    : 'the document'

function getAt(root: unknown, path: YamlPath): unknown {
  let cur = root
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg]
    else if (isObj(cur)) cur = cur[String(seg)]
    else return undefined
  }
  return cur
}

/** Report zod issues against the document, each at its own line:column. */
function reportIssues(
  issues: z.core.$ZodIssue[],
  prefix: YamlPath,
  root: unknown,
  ctx: Ctx,
  shape: 'config' | 'single',
  skipKeys: ReadonlySet<string> = new Set(),
): void {
  for (const issue of issues) {
    const rel = issue.path.filter((s): s is string | number => typeof s !== 'symbol')
    const path = [...prefix, ...rel]
    if (issue.code === 'unrecognized_keys') {
      const valid = validKeysAt(path, shape)
      for (const key of issue.keys) {
        if (path.length === 0 && skipKeys.has(key)) continue
        ctx.add(
          'E002',
          'error',
          `unknown key \`${key}\` in ${fmtPath(path)}; valid keys: ${valid.join(', ') || '(none)'}`,
          [...path, key],
          ctx.atKey([...path, key]),
        )
      }
      continue
    }
    const value = getAt(root, rel)
    if (issue.code === 'invalid_type' && value === undefined) {
      const key = path[path.length - 1]
      const parent = path.slice(0, -1)
      ctx.add('E005', 'error', `missing required key \`${String(key)}\` in ${fmtPath(parent)}`, path, ctx.atKey(parent))
      continue
    }
    let message = issue.message
    if (issue.code === 'invalid_type' && issue.expected === 'string' && typeof value === 'number') {
      message += ` (quote it: "${String(value)}")`
    }
    ctx.add('E004', 'error', `${fmtPath(path)}: ${message}`, path, ctx.at(path))
  }
}

// ------------------------------------------------------------------ full config

function lintConfig(plain: Plain, ctx: Ctx): void {
  const parsed = PolicyConfigSchema.safeParse(plain)
  if (!parsed.success) reportIssues(parsed.error.issues, [], plain, ctx, 'config')

  const chainRaw = isObj(plain.policies) && Array.isArray(plain.policies.chain) ? plain.policies.chain : []
  const blocks: Plain = isObj(plain.policy) ? plain.policy : {}
  const chain = chainRaw.map((k) => (typeof k === 'string' ? k : ''))

  const seen = new Set<string>()
  chain.forEach((kind, i) => {
    if (!kind) return
    const path = ['policies', 'chain', i]
    if (seen.has(kind)) {
      ctx.add('W008', 'warning', `\`${kind}\` is already in the chain; it would run twice`, path, ctx.at(path))
    }
    seen.add(kind)
    if (isEnforcedKind(kind)) {
      if (!(kind in blocks)) {
        const info = KIND_INFO[kind]
        ctx.add(
          'E003',
          info.usableDefaults ? 'warning' : 'error',
          info.usableDefaults
            ? `\`${kind}\` is in the chain without a \`policy.${kind}\` block; it runs with its defaults (${info.defaultsNote})`
            : `\`${kind}\` is in the chain without a \`policy.${kind}\` block, and ${info.defaultsNote}`,
          path,
          ctx.at(path),
        )
      }
    } else if (isCatalogOnlyKind(kind)) {
      if (!(kind in blocks)) {
        ctx.add('W003', 'warning', `\`${kind}\` is a Keeptrusts kind that is not enforced here; it is kept in the file`, path, ctx.at(path))
      }
    } else {
      ctx.add('E001', 'error', unknownKindMessage(kind), path, ctx.at(path))
    }
  })

  for (const [kind, block] of Object.entries(blocks)) {
    const path = ['policy', kind]
    if (isEnforcedKind(kind)) {
      if (!seen.has(kind)) {
        ctx.add('W004', 'warning', `\`policy.${kind}\` is configured but \`${kind}\` is not in policies.chain, so it never runs`, path, ctx.atKey(path))
      }
      lintBlock(kind, block ?? {}, path, ctx)
    } else if (isCatalogOnlyKind(kind)) {
      ctx.add('W003', 'warning', `\`${kind}\` is a Keeptrusts kind that is not enforced here; its block is kept as written`, path, ctx.atKey(path))
    } else {
      ctx.add('E001', 'error', unknownKindMessage(kind), path, ctx.atKey(path))
    }
  }

  if (isObj(plain.providers)) lintProviders(plain.providers, ctx)
}

function unknownKindMessage(kind: string): string {
  const hint = suggestKind(kind)
  return `unknown policy kind \`${kind}\`${hint ? `; did you mean \`${hint}\`?` : ''} (enforced here: ${Object.keys(KIND_INFO).join(', ')}; also recognised: ${CATALOG_ONLY_KINDS.length} Keeptrusts catalog kinds)`
}

function lintBlock(kind: EnforcedKind, block: unknown, path: YamlPath, ctx: Ctx, shape: 'config' | 'single' = 'config'): void {
  const schema = POLICY_BLOCK_SCHEMAS[kind] as z.ZodType
  const r = schema.safeParse(block)
  if (!r.success) reportIssues(r.error.issues, path, block, ctx, shape)
  if (!isObj(block)) return

  if (kind === 'prompt-injection') {
    for (const key of ['attack_patterns', 'embedding_threshold']) {
      if (key in block) {
        ctx.add(
          'W001',
          'warning',
          `\`${key}\` belongs under \`detection:\` (detection.${key}); it is applied, but other gateways may reject it here`,
          [...path, key],
          ctx.atKey([...path, key]),
        )
      }
    }
    const detection = isObj(block.detection) ? block.detection : {}
    checkPatternList(detection.attack_patterns, [...path, 'detection', 'attack_patterns'], { ignoreCase: true }, ctx)
    checkPatternList(block.attack_patterns, [...path, 'attack_patterns'], { ignoreCase: true }, ctx)
  }
  if (kind === 'pii-detector' && Array.isArray(block.detect_patterns)) {
    block.detect_patterns.forEach((p, i) => {
      if (typeof p === 'string') checkPattern(p, [...path, 'detect_patterns', i], {}, ctx)
      else if (isObj(p) && typeof p.pattern === 'string') checkPattern(p.pattern, [...path, 'detect_patterns', i, 'pattern'], {}, ctx)
    })
  }
  if (kind === 'deny-patterns' || kind === 'allow-patterns') {
    checkPatternList(block.patterns, [...path, 'patterns'], {}, ctx)
  }
  if (kind === 'token-budget') {
    if (block.max_prompt_tokens === undefined && block.max_completion_tokens === undefined && block.max_total_tokens === undefined) {
      ctx.add('E005', 'error', 'token-budget needs at least one of max_prompt_tokens, max_completion_tokens, max_total_tokens', path, ctx.atKey(path))
    }
  }
}

function checkPatternList(list: unknown, path: YamlPath, flags: Partial<RegexFlags>, ctx: Ctx): void {
  if (!Array.isArray(list)) return
  if (list.length > MAX_PATTERNS) {
    ctx.add('W005', 'warning', `${list.length} patterns; gateways such as Kong accept at most ${MAX_PATTERNS}`, path, ctx.atKey(path))
  }
  list.forEach((p, i) => {
    if (typeof p === 'string') checkPattern(p, [...path, i], flags, ctx)
  })
}

function checkPattern(pattern: string, path: YamlPath, flags: Partial<RegexFlags>, ctx: Ctx): void {
  const range = ctx.at(path)
  if (pattern.length > MAX_PATTERN_LENGTH) {
    ctx.add('W005', 'warning', `pattern is ${pattern.length} characters; gateways such as Kong accept at most ${MAX_PATTERN_LENGTH}`, path, range)
  }
  const compiled = tryCompileSafeRegex(pattern, flags)
  if (!compiled.ok) {
    const e = compiled.error
    ctx.add(
      'E006',
      'error',
      `${e.unsupported ? 'unsupported regular expression' : 'invalid regular expression'} at character ${e.index + 1}: ${e.message}`,
      path,
      range,
    )
    return
  }
  for (const hazard of analyzeRegexSafety(pattern, flags)) {
    if (hazard.severity === 'exponential') {
      ctx.add('E007', 'error', `${hazard.message}. It runs in linear time here, but can hang backtracking gateways for seconds on one request`, path, range)
    } else {
      ctx.add('W007', 'warning', hazard.message, path, range)
    }
  }
  if (compiled.regex.matchesEmpty) {
    ctx.add('W009', 'warning', 'this pattern matches the empty string, so it matches every message', path, range)
  }
}

function lintProviders(providers: Plain, ctx: Ctx): void {
  const targets = Array.isArray(providers.targets) ? providers.targets : []
  const ids = new Map<string, number>()
  targets.forEach((t, i) => {
    if (!isObj(t)) return
    const path = ['providers', 'targets', i]
    if (typeof t.id === 'string') {
      if (ids.has(t.id)) {
        ctx.add('E008', 'error', `target id \`${t.id}\` is already used by targets[${ids.get(t.id)}]`, [...path, 'id'], ctx.at([...path, 'id']))
      } else ids.set(t.id, i)
    }
    if (typeof t.provider !== 'string') return
    const provider = t.provider
    const model = typeof t.model === 'string' ? t.model : undefined
    const shorthand = /^cerebras:chat:(.*)$/.exec(provider)
    if (shorthand && !shorthand[1]) {
      ctx.add('E004', 'error', 'write `cerebras:chat:<model>`, e.g. cerebras:chat:llama3.3-70b', [...path, 'provider'], ctx.at([...path, 'provider']))
      return
    }
    if (!shorthand && provider.startsWith('cerebras:')) {
      ctx.add('E004', 'error', 'Cerebras providers are `cerebras` or `cerebras:chat:<model>`', [...path, 'provider'], ctx.at([...path, 'provider']))
      return
    }
    if (shorthand && model && model !== shorthand[1]) {
      ctx.add(
        'W006',
        'warning',
        `provider names model \`${shorthand[1]}\` but \`model\` says \`${model}\`; the provider's model is used`,
        [...path, 'model'],
        ctx.at([...path, 'model']),
      )
    }
    if (!shorthand && !model) {
      ctx.add(
        'E005',
        'error',
        provider === 'cerebras'
          ? 'missing required key `model` (or write the provider as `cerebras:chat:<model>`)'
          : `missing required key \`model\` for provider \`${provider}\``,
        [...path, 'model'],
        ctx.atKey(path),
      )
    }
    const known = provider === 'cerebras' || shorthand || provider === 'openai'
    if (!known && t.base_url === undefined) {
      ctx.add(
        'E005',
        'error',
        `missing required key \`base_url\`: \`${provider}\` is treated as an OpenAI-compatible provider and needs its URL`,
        [...path, 'base_url'],
        ctx.atKey(path),
      )
    }
    const m = targetModel({ provider, model })
    const dep = m ? ctx.opts.deprecatedModel?.(m) : undefined
    if (m && dep) {
      const where = shorthand ? [...path, 'provider'] : [...path, 'model']
      const text =
        dep.message ?? `model \`${m}\` is deprecated${dep.date ? ` (retires ${dep.date})` : ''}${dep.replacement ? `; use \`${dep.replacement}\`` : ''}`
      ctx.add('W002', 'warning', `target \`${String(t.id ?? i)}\`: ${text}`, where, ctx.at(where))
    }
  })
  if (isObj(providers.fallback) && targets.length === 1) {
    ctx.add('W010', 'warning', 'fallback settings have no effect with a single target', ['providers', 'fallback'], ctx.atKey(['providers', 'fallback']))
  }
}

// ------------------------------------------------------------------ single-policy document

function lintSinglePolicy(plain: Plain, ctx: Ctx): PolicyConfig {
  const header = plain.policy as Plain
  const h = SinglePolicyHeaderSchema.safeParse(header)
  if (!h.success) reportIssues(h.error.issues, ['policy'], header, ctx, 'single')
  const name = String(header.name)
  const rest: Plain = {}
  for (const [k, v] of Object.entries(plain)) if (k !== 'policy') rest[k] = v
  if (!(SINGLE_POLICY_KINDS as readonly string[]).includes(name)) {
    ctx.add(
      'E001',
      'error',
      `single-policy documents exist only for ${SINGLE_POLICY_KINDS.join(', ')}; \`${name}\` needs a full config with pack and policies`,
      ['policy', 'name'],
      ctx.at(['policy', 'name']),
    )
  } else if (name === 'prompt-injection') {
    lintBlock('prompt-injection', rest, [], ctx, 'single')
  } else {
    ctx.add(
      'W003',
      'warning',
      `\`${name}\` is a Keeptrusts kind that is not enforced here; the document is kept as written`,
      ['policy', 'name'],
      ctx.at(['policy', 'name']),
    )
  }
  return {
    pack: { name, version: typeof header.version === 'string' ? header.version : '0.0.0', enabled: header.enabled !== false },
    policies: { chain: [name] },
    policy: { [name]: rest },
  }
}

const TOO_DEEP = 'nested too deeply to read'

/** The YAML library's own words, but for running out of stack on deep nesting, which says nothing to the reader. */
function yamlProblem(message: string): string {
  return /maximum call stack/i.test(message) ? TOO_DEEP : message.split('\n')[0]
}
