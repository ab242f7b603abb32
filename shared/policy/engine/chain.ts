import { InjectionDetector } from '../detectors/injection'
import { type CustomDetector, PiiDetector, resolveOverlaps } from '../detectors/pii'
import { SharedScans } from '../detectors/shared-scan'
import { type EnforcedKind, isEnforcedKind } from '../kinds'
import { compileSafeRegex, RegexSyntaxError, type SafeRegex } from '../regex/index'
import {
  type AllowPatternsConfig,
  type AuditLoggerConfig,
  type DenyPatternsConfig,
  type PiiDetectorConfig,
  POLICY_BLOCK_SCHEMAS,
  type PolicyConfig,
  type PromptInjectionConfig,
  type TokenBudgetConfig,
} from '../schema'
import type { AuditSink, PolicyAuditEntry } from './audit'
import type { InjectionLlmCheck } from './llm-check'
import { applySpans, MarkerFactory, mergeSpans, type RedactionStyle, redactionStyleFrom } from './redact'
import { createStreamRedactor, type StreamRedactor, type StreamRedactorOptions } from './stream-redactor'
import { evaluateBudget } from './token-budget'
import type { BlockCode, ChainResult, ChatMessage, ChatRequest, Finding, PolicyResult, Redaction, Verdict } from './types'
import { verdictSeverity } from './verdict'

export type ScannedKind = 'prompt-injection' | 'pii-detector' | 'deny-patterns' | 'allow-patterns'

/**
 * Which message roles each detector reads by default. System prompts are the
 * app's own and are not scanned for injection; PII is looked for everywhere
 * the request would carry it.
 */
export const DEFAULT_ROLES: Record<ScannedKind, string[]> = {
  'prompt-injection': ['user', 'tool'],
  'pii-detector': ['system', 'developer', 'user', 'assistant', 'tool'],
  'deny-patterns': ['user'],
  'allow-patterns': ['user'],
}
const ALL_ROLES = ['system', 'developer', 'user', 'assistant', 'tool']

export interface CompileOptions {
  /** Roles scanned per detector; `match_all_roles: true` in deny/allow-patterns overrides. */
  roles?: Partial<Record<ScannedKind, string[]>>
  /** Where audit-logger writes (default: nowhere; its verdict still says what it would record). */
  auditSink?: AuditSink
  /** Epoch ms for audit records (default Date.now). */
  clock?: () => number
  /** Timer for time_ms (default performance.now). */
  timer?: () => number
  /** Year for date-of-birth plausibility (default: this year). */
  nowYear?: number
}

export interface RunOptions {
  requestId?: string
  /** Skip later policies once one blocks (default true). */
  stopOnBlock?: boolean
}

export interface AsyncRunOptions extends RunOptions {
  /** The optional LLM injection check; not called when absent. */
  llmCheck?: InjectionLlmCheck
  /** Default 3000 ms; on timeout the local verdict stands and the record says so. */
  llmTimeoutMs?: number
  /** When the check fails or times out: allow (default: the local verdict stands) or block (fail closed). */
  llmOnError?: 'allow' | 'block'
}

export interface OutputCheck {
  verdict: Verdict
  findings: Finding[]
  redacted: string
}

export interface CompiledChain {
  readonly config: PolicyConfig
  /** policies.chain as written. */
  readonly kinds: readonly string[]
  run(request: ChatRequest, opts?: RunOptions): ChainResult
  runAsync(request: ChatRequest, opts?: AsyncRunOptions): Promise<ChainResult>
  /** Some policy reads the model's output (pii-detector, in a pack that is enabled). */
  readonly readsOutput: boolean
  /** A finding in the output stops the answer (pii-detector with action block). */
  readonly blocksOutput: boolean
  /** A redactor for the model's streamed output, or null when the chain has no pii-detector. */
  createOutputRedactor(opts?: Pick<StreamRedactorOptions, 'minRelease'>): StreamRedactor | null
  /** PII check of a complete model output. */
  checkOutput(text: string): OutputCheck
  /**
   * What pii-detector puts in place of the personal data in `text` before a
   * request is sent and in the answer that comes back (the same detector and
   * markers): each finding with its marker. Empty when this chain removes
   * none (no pii-detector, pack disabled, or action block, which refuses the
   * request instead). History uses it to say why a search finds nothing.
   */
  redactionsIn(text: string): Redaction[]
}

export class PolicyCompileError extends Error {
  constructor(readonly issues: string[]) {
    super(`policy config cannot run: ${issues.join('; ')}`)
    this.name = 'PolicyCompileError'
  }
}

interface Outcome {
  verdict: Verdict
  findings: Finding[]
  message?: string
  code?: BlockCode
  redactions?: Redaction[]
  changes?: PolicyResult['changes']
  maxCompletionTokens?: number | null
}

interface RunState {
  request: ChatRequest
  results: PolicyResult[]
  redactions: Redaction[]
  maxCompletionTokens: number | null | undefined
  markers: MarkerFactory | null
  requestId: string | null
  started: number
  /** Token scans shared by the detectors of this run (one pass per message). */
  shared: SharedScans
}

function scanned(request: ChatRequest, roles: string[]): Array<{ index: number; role: string; content: string }> {
  const out: Array<{ index: number; role: string; content: string }> = []
  request.messages.forEach((m, index) => {
    if (typeof m.content === 'string' && m.content.length > 0 && roles.includes(m.role)) out.push({ index, role: m.role, content: m.content })
  })
  return out
}

/** Lower-case once per message for the case-insensitive patterns whose literal pre-check needs it. */
function lowerIfNeeded(regexes: Array<SafeRegex | undefined>, text: string): string | undefined {
  return regexes.some((r) => r?.wantsLowered ?? r?.flags.ignoreCase) ? text.toLowerCase() : undefined
}

function compileUserRegex(pattern: string, where: string, issues: string[], ignoreCase = false): SafeRegex | undefined {
  try {
    return compileSafeRegex(pattern, { ignoreCase })
  } catch (err) {
    issues.push(`${where}: ${err instanceof RegexSyntaxError ? err.message : String(err)}`)
    return undefined
  }
}

export function compileChain(config: PolicyConfig, opts: CompileOptions = {}): CompiledChain {
  const issues: string[] = []
  const blocks = (config.policy ?? {}) as Record<string, unknown>
  const chain = [...(config.policies?.chain ?? [])]
  const timer = opts.timer ?? (() => performance.now())
  const clock = opts.clock ?? (() => Date.now())
  const rolesFor = (k: ScannedKind) => opts.roles?.[k] ?? DEFAULT_ROLES[k]

  for (const kind of new Set(chain)) {
    if (!isEnforcedKind(kind) || blocks[kind] === undefined || blocks[kind] === null) continue
    const r = POLICY_BLOCK_SCHEMAS[kind].safeParse(blocks[kind])
    if (!r.success) issues.push(...r.error.issues.map((i) => `policy.${kind}.${i.path.join('.')}: ${i.message}`))
  }
  if (chain.includes('token-budget') && !blocks['token-budget']) issues.push('token-budget needs a policy.token-budget block with a limit')
  for (const k of ['deny-patterns', 'allow-patterns'] as const) {
    if (chain.includes(k) && !blocks[k]) issues.push(`${k} needs a policy.${k} block with patterns`)
  }
  if (issues.length) throw new PolicyCompileError(issues)

  // ---- prompt-injection
  const piCfg = (blocks['prompt-injection'] ?? {}) as PromptInjectionConfig
  const piThreshold = piCfg.detection?.embedding_threshold ?? piCfg.embedding_threshold ?? 0.7
  const piPatterns = [...(piCfg.detection?.attack_patterns ?? []), ...(piCfg.attack_patterns ?? [])]
    .map((p, i) => compileUserRegex(p, `prompt-injection attack_patterns[${i}]`, issues, true))
    .filter((r): r is SafeRegex => !!r)
  const piAction = piCfg.response?.action ?? 'block'
  const piMessage = piCfg.response?.message ?? 'Request blocked: potential prompt injection detected'
  const injection = new InjectionDetector({
    normalizeUnicode: piCfg.encoding?.normalize_unicode ?? true,
    detectHomoglyphs: piCfg.encoding?.detect_homoglyphs ?? true,
    decodeSegments: piCfg.encoding?.decode_base64 ?? true,
    rejectFakeBoundaries: piCfg.boundaries?.reject_fake_boundaries ?? true,
    enforceDelimiters: piCfg.boundaries?.enforce_delimiters ?? false,
    customPatterns: piPatterns,
  })

  // ---- pii-detector
  const piiCfg = blocks['pii-detector'] as PiiDetectorConfig | undefined
  const custom: CustomDetector[] = []
  ;(piiCfg?.detect_patterns ?? []).forEach((p, i) => {
    const src = typeof p === 'string' ? p : p.pattern
    const re = compileUserRegex(src, `pii-detector detect_patterns[${i}]`, issues)
    if (re) custom.push({ entity: typeof p === 'string' ? 'CUSTOM' : p.name, regex: re, score: typeof p === 'string' ? 0.9 : (p.score ?? 0.9) })
  })
  const pii = new PiiDetector({
    pciMode: piiCfg?.pci_mode ?? true,
    healthcareMode: piiCfg?.healthcare_mode ?? false,
    custom,
    nowYear: opts.nowYear,
  })
  const piiAction = piiCfg?.action ?? 'redact'
  const style: RedactionStyle = redactionStyleFrom(piiCfg)

  // ---- deny/allow patterns
  const compilePatternBlock = (kind: 'deny-patterns' | 'allow-patterns') => {
    const cfg = blocks[kind] as DenyPatternsConfig | AllowPatternsConfig | undefined
    if (!cfg) return undefined
    const regexes = cfg.patterns.map((p, i) => compileUserRegex(p, `${kind} patterns[${i}]`, issues))
    return { cfg, regexes, roles: cfg.match_all_roles ? ALL_ROLES : rolesFor(kind) }
  }
  const deny = compilePatternBlock('deny-patterns')
  const allow = compilePatternBlock('allow-patterns')
  if (issues.length) throw new PolicyCompileError(issues)

  const budgetCfg = blocks['token-budget'] as TokenBudgetConfig | undefined
  const auditCfg = (blocks['audit-logger'] ?? {}) as AuditLoggerConfig

  // ---- evaluators
  const evaluators: Partial<Record<EnforcedKind, (req: ChatRequest, st: RunState) => Outcome>> = {
    'prompt-injection': (req, st) => {
      const findings: Finding[] = []
      for (const m of scanned(req, rolesFor('prompt-injection'))) {
        const hits = injection.scan(m.content, 0, st.shared).filter((h) => h.score >= piThreshold)
        const byEntity = new Map<string, typeof hits>()
        for (const h of hits) {
          const list = byEntity.get(h.entity)
          if (list) list.push(h)
          else byEntity.set(h.entity, [h])
        }
        for (const list of byEntity.values()) {
          for (const h of resolveOverlaps(list)) {
            findings.push({
              policy: 'prompt-injection',
              entity: h.entity,
              start: h.start,
              end: h.end,
              score: Math.round(h.score * 1000) / 1000,
              message_index: m.index,
              ...(h.encoding ? { encoding: h.encoding } : {}),
              detail: h.detail,
            })
          }
        }
      }
      return injectionOutcome(findings)
    },
    'pii-detector': (req, st) => {
      const findings: Finding[] = []
      const redactions: Redaction[] = []
      for (const m of scanned(req, rolesFor('pii-detector'))) {
        for (const hit of pii.detect(m.content, st.shared)) {
          findings.push({ policy: 'pii-detector', entity: hit.entity, start: hit.start, end: hit.end, score: hit.score, message_index: m.index })
          if (piiAction === 'redact') {
            st.markers ??= new MarkerFactory(style)
            const marker = st.markers.marker(hit.entity, m.content.slice(hit.start, hit.end))
            redactions.push({ message_index: m.index, start: hit.start, end: hit.end, entity: hit.entity, marker })
          }
        }
      }
      if (findings.length === 0) return { verdict: 'allow', findings }
      const kinds = [...new Set(findings.map((f) => f.entity))].join(', ')
      if (piiAction === 'block') return { verdict: 'block', code: 'input_blocked', findings, message: `Request blocked: personal data found (${kinds})` }
      return { verdict: 'redact', findings, redactions, message: `Redacted ${findings.length} item${findings.length === 1 ? '' : 's'} (${kinds})` }
    },
    'token-budget': (req) => {
      const { result, maxCompletionTokens } = evaluateBudget(budgetCfg!, req)
      return { ...result, maxCompletionTokens }
    },
    'deny-patterns': (req) => {
      const { cfg, regexes, roles } = deny!
      const findings: Finding[] = []
      for (const m of scanned(req, roles)) {
        const lowered = lowerIfNeeded(regexes, m.content)
        regexes.forEach((re, i) => {
          for (const [s, e] of re!.matchAll(m.content, { limit: 20, lowered })) {
            findings.push({ policy: 'deny-patterns', entity: 'DENY_PATTERN', start: s, end: e, score: 1, message_index: m.index, detail: `pattern ${i + 1}` })
          }
        })
      }
      if (findings.length === 0) return { verdict: 'allow', findings }
      const action = (cfg as DenyPatternsConfig).action ?? 'block'
      return action === 'block'
        ? { verdict: 'block', code: 'input_blocked', findings, message: cfg.message ?? 'Request blocked: it matches a denied pattern' }
        : { verdict: 'log', findings, message: 'Matches a denied pattern (logged)' }
    },
    'allow-patterns': (req) => {
      const { cfg, regexes, roles } = allow!
      const findings: Finding[] = []
      for (const m of scanned(req, roles)) {
        const lowered = lowerIfNeeded(regexes, m.content)
        if (!regexes.some((re) => re!.test(m.content, lowered))) {
          findings.push({
            policy: 'allow-patterns',
            entity: 'NOT_ALLOWED',
            start: 0,
            end: m.content.length,
            score: 1,
            message_index: m.index,
            detail: 'matches none of the allowed patterns',
          })
        }
      }
      if (findings.length === 0) return { verdict: 'allow', findings }
      return { verdict: 'block', code: 'input_blocked', findings, message: cfg.message ?? 'Request blocked: it matches none of the allowed patterns' }
    },
  }

  function injectionOutcome(findings: Finding[]): Outcome {
    if (findings.length === 0) return { verdict: 'allow', findings }
    const families = [...new Set(findings.map((f) => f.entity))].join(', ')
    if (piAction === 'log') return { verdict: 'log', findings, message: `Possible prompt injection logged (${families})` }
    return {
      verdict: 'block',
      code: piAction === 'escalate' ? 'escalation_required' : 'input_blocked',
      findings,
      message: `${piMessage} (${families})`,
    }
  }

  function evaluate(request: ChatRequest, runOpts: RunOptions): RunState {
    const st: RunState = {
      request,
      results: [],
      redactions: [],
      maxCompletionTokens: request.max_completion_tokens,
      markers: null,
      requestId: runOpts.requestId ?? null,
      started: timer(),
      shared: new SharedScans(),
    }
    const stopOnBlock = runOpts.stopOnBlock ?? true
    const disabled = config.pack?.enabled === false
    let blocked = false
    for (const kind of chain) {
      const base = { policy: kind, findings: [] as Finding[], time_ms: 0 }
      if (!isEnforcedKind(kind)) {
        st.results.push({ ...base, verdict: 'allow', status: 'not_enforced', message: 'not enforced here' })
        continue
      }
      if (kind === 'audit-logger') {
        // Filled in by finish(): it records the decision of the whole chain.
        st.results.push({ ...base, verdict: 'allow', status: 'ran' })
        continue
      }
      if (disabled || (blocked && stopOnBlock)) {
        st.results.push({ ...base, verdict: 'allow', status: 'skipped', message: disabled ? 'pack disabled' : 'skipped after a block' })
        continue
      }
      const t0 = timer()
      const o = evaluators[kind]!(request, st)
      const result: PolicyResult = { policy: kind, verdict: o.verdict, status: 'ran', findings: o.findings, time_ms: timer() - t0 }
      if (o.message) result.message = o.message
      if (o.code) result.code = o.code
      if (o.changes) result.changes = o.changes
      if (o.redactions) st.redactions.push(...o.redactions)
      if (o.maxCompletionTokens !== undefined) st.maxCompletionTokens = o.maxCompletionTokens
      st.results.push(result)
      if (o.verdict === 'block') blocked = true
    }
    return st
  }

  function finish(st: RunState): ChainResult {
    const { request, results } = st
    let verdict: Verdict = 'allow'
    let decided: PolicyResult | undefined
    for (const r of results) {
      if (r.policy === 'audit-logger' || r.status !== 'ran') continue
      if (verdictSeverity(r.verdict) > verdictSeverity(verdict)) {
        verdict = r.verdict
        decided = r
      }
    }
    const findings = results.flatMap((r) => r.findings)
    // Redactions only apply to a request that will be sent.
    const redactions = verdict === 'block' ? [] : st.redactions
    const byMessage = new Map<number, Redaction[]>()
    for (const r of redactions) {
      const list = byMessage.get(r.message_index)
      if (list) list.push(r)
      else byMessage.set(r.message_index, [r])
    }
    const messages: ChatMessage[] = request.messages.map((m, i) => {
      const spans = byMessage.get(i)
      if (!spans || typeof m.content !== 'string') return { ...m }
      return { ...m, content: applySpans(m.content, mergeSpans(spans)) }
    })
    const sent: ChatRequest = { ...request, messages }
    // Nor a clamp: a blocked request is not sent, whichever policies ran before or after the block.
    if (verdict !== 'block' && st.maxCompletionTokens !== undefined && st.maxCompletionTokens !== request.max_completion_tokens) {
      sent.max_completion_tokens = st.maxCompletionTokens
    }
    const blocker = verdict === 'block' ? decided : undefined

    for (const r of results) {
      if (r.policy !== 'audit-logger') continue
      const t0 = timer()
      const logAll = auditCfg.log_all_access ?? false
      const worth = verdict !== 'allow' || findings.length > 0
      if (config.pack?.enabled === false) {
        r.status = 'skipped'
        r.message = 'pack disabled'
      } else if (logAll || worth) {
        const entry: PolicyAuditEntry = {
          time: clock(),
          requestId: st.requestId,
          model: request.model ?? null,
          pack: { name: config.pack?.name ?? '', version: String(config.pack?.version ?? '') },
          verdict,
          verdicts: results
            .filter((x) => x.policy !== 'audit-logger' && x.status === 'ran')
            .map((x) => ({ policy: x.policy, verdict: x.verdict, ...(x.code ? { code: x.code } : {}), ...(x.message ? { message: x.message } : {}) })),
          findings: findings.map((f) => ({
            policy: f.policy,
            entity: f.entity,
            location: f.message_index >= 0 ? `input.messages[${f.message_index}].content` : 'output',
            start: f.start,
            end: f.end,
            score: f.score,
          })),
          retentionDays: auditCfg.retention_days ?? 365,
          hipaaAuditControls: auditCfg.hipaa_audit_controls ?? false,
        }
        opts.auditSink?.append(entry)
        r.verdict = 'log'
        r.message = opts.auditSink ? 'decision recorded' : 'decision would be recorded (no audit sink attached)'
      } else {
        r.message = 'nothing to record (log_all_access is off)'
      }
      r.time_ms = timer() - t0
    }

    const result: ChainResult = {
      verdict,
      policy: decided?.policy ?? null,
      policies: results,
      findings,
      messages,
      request: sent,
      redactions: [...redactions],
      time_ms: timer() - st.started,
    }
    if (blocker) {
      result.blocked = {
        policy: blocker.policy,
        code: blocker.code ?? 'input_blocked',
        message: blocker.message ?? 'Request blocked',
        ...(blocker.findings[0] ? { finding: blocker.findings[0] } : {}),
      }
    }
    return result
  }

  async function llmPass(st: RunState, runOpts: AsyncRunOptions): Promise<void> {
    const check = runOpts.llmCheck
    const r = st.results.find((x) => x.policy === 'prompt-injection' && x.status === 'ran')
    if (!check || !r) return
    const messages = scanned(st.request, rolesFor('prompt-injection'))
    if (messages.length === 0) {
      r.llm = { verdict: 'skipped', latency_ms: 0 }
      return
    }
    const controller = new AbortController()
    const timeoutMs = runOpts.llmTimeoutMs ?? 3000
    const t0 = timer()
    let timeout: ReturnType<typeof setTimeout> | undefined
    try {
      const verdict = await Promise.race([
        check({ messages, signal: controller.signal }),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => {
            controller.abort()
            reject(new Error(`timed out after ${timeoutMs} ms`))
          }, timeoutMs)
        }),
      ])
      const latency = timer() - t0
      r.llm = { verdict: verdict.verdict, confidence: verdict.confidence, latency_ms: latency }
      if (verdict.verdict === 'injection' && verdict.confidence >= piThreshold) {
        const target = messages.find((m) => m.index === verdict.message_index) ?? messages[messages.length - 1]
        const finding: Finding = {
          policy: 'prompt-injection',
          entity: 'LLM_INJECTION',
          start: 0,
          end: target.content.length,
          score: verdict.confidence,
          message_index: target.index,
          detail: `LLM check: ${verdict.family ?? 'injection'}`,
        }
        const o = injectionOutcome([...r.findings, finding])
        r.findings = o.findings
        r.verdict = o.verdict
        r.message = o.message
        if (o.code) r.code = o.code
      }
      r.time_ms += latency
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err)
      r.llm = { verdict: 'error', latency_ms: timer() - t0, error }
      if (runOpts.llmOnError === 'block') {
        // Fail closed: a check that could not answer stops the request.
        const target = messages[messages.length - 1]
        r.findings = [
          ...r.findings,
          {
            policy: 'prompt-injection',
            entity: 'LLM_CHECK_FAILED',
            start: 0,
            end: target.content.length,
            score: 1,
            message_index: target.index,
            detail: `LLM check failed: ${error}`,
          },
        ]
        r.verdict = 'block'
        r.code = 'input_blocked'
        r.message = `The LLM injection check failed (${error}) and this policy fails closed (llm_check.on_error: block)`
      }
    } finally {
      if (timeout) clearTimeout(timeout)
    }
  }

  const readsOutput = chain.includes('pii-detector') && config.pack?.enabled !== false

  return {
    config,
    kinds: chain,
    readsOutput,
    blocksOutput: readsOutput && piiAction === 'block',
    run(request, runOpts = {}) {
      return finish(evaluate(request, runOpts))
    },
    async runAsync(request, runOpts = {}) {
      const st = evaluate(request, runOpts)
      await llmPass(st, runOpts)
      return finish(st)
    },
    createOutputRedactor(opts = {}) {
      if (!readsOutput) return null
      return createStreamRedactor(pii, { style, minRelease: opts.minRelease })
    },
    redactionsIn(text) {
      if (!readsOutput || piiAction !== 'redact') return []
      const markers = new MarkerFactory(style)
      return pii
        .detect(text)
        .map((h) => ({ message_index: 0, start: h.start, end: h.end, entity: h.entity, marker: markers.marker(h.entity, text.slice(h.start, h.end)) }))
    },
    checkOutput(text) {
      if (!readsOutput) return { verdict: 'allow', findings: [], redacted: text }
      const markers = new MarkerFactory(style)
      const hits = pii.detect(text)
      const findings: Finding[] = hits.map((h) => ({ policy: 'pii-detector', entity: h.entity, start: h.start, end: h.end, score: h.score, message_index: -1 }))
      const redacted = applySpans(
        text,
        hits.map((h) => ({ start: h.start, end: h.end, marker: markers.marker(h.entity, text.slice(h.start, h.end)) })),
      )
      return { verdict: hits.length ? 'redact' : 'allow', findings, redacted }
    },
  }
}
