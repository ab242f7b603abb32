import { z } from 'zod'

import type { EnforcedKind } from './kinds'

/**
 * The policy-config.yaml schema (Keeptrusts gateway format, see
 * shared/docs/policy-config.md). Every object is strict: unknown keys are
 * errors. Descriptions feed the editor's hover docs and completion.
 * Defaults are not filled in here, so a parsed config is exactly what the
 * user wrote; the engine applies defaults (see engine/defaults.ts).
 */

const bool = (doc: string) => z.boolean().describe(doc).optional()

export const PackSchema = z
  .strictObject({
    name: z.string().min(1).describe('Name of this policy pack.'),
    version: z.string().min(1).describe('Version of the pack, e.g. 0.1.0.'),
    enabled: bool('Whether the pack is active (default true).'),
    description: z.string().describe('What the pack is for.').optional(),
  })
  .describe('Identifies the config.')

export const PoliciesSchema = z
  .strictObject({
    chain: z.array(z.string().min(1)).describe('Policy kinds in order of evaluation; each may have a block under `policy:`.'),
  })
  .describe('The chain of policies run on every request.')

// ---------------------------------------------------------------- prompt-injection

const Threshold = z.number().min(0).max(1)
const PatternList = z.array(z.string().min(1))

export const PromptInjectionSchema = z
  .strictObject({
    detection: z
      .strictObject({
        embedding_threshold: Threshold.describe(
          'Minimum score (0–1) of a finding for it to count. With the local backend this is the lexical detector score (default 0.7).',
        ).optional(),
        attack_patterns: PatternList.describe(
          'Extra regular expressions, matched case-insensitively on the normalised text; a match is an attack (score 1).',
        ).optional(),
      })
      .describe('What counts as an attack.')
      .optional(),
    encoding: z
      .strictObject({
        decode_base64: bool('Decode base64, hex and URL-encoded segments and scan what they hide (default true).'),
        normalize_unicode: bool('Apply NFKC and remove zero-width and bidi control characters before scanning (default true).'),
        detect_homoglyphs: bool('Fold look-alike letters (Cyrillic, Greek, fullwidth, leetspeak) to Latin before scanning (default true).'),
      })
      .describe('How hidden attacks are uncovered.')
      .optional(),
    boundaries: z
      .strictObject({
        enforce_delimiters: bool(
          'Also treat role labels at the start of a line (System:, Assistant:) inside scanned messages as fake boundaries (default false).',
        ),
        reject_fake_boundaries: bool('Flag chat-template tokens and fake delimiters such as </system>, [INST], <|im_start|> (default true).'),
      })
      .describe('Fake conversation boundaries.')
      .optional(),
    response: z
      .strictObject({
        action: z
          .enum(['block', 'log', 'escalate'])
          .describe('block: stop the request (default); log: allow and record; escalate: stop and ask for review.')
          .optional(),
        message: z.string().describe('Message returned when a request is blocked.').optional(),
        log_level: z.enum(['debug', 'info', 'warn', 'error']).describe('Level of the log line for a detection.').optional(),
      })
      .describe('What happens on detection.')
      .optional(),
    backend: z.literal('local').describe('Detector backend; only `local` is supported.').optional(),
    llm_check: z
      .strictObject({
        model: z.string().min(1).describe('The Cerebras model that judges each request (e.g. llama3.1-8b), called with your key and endpoint.'),
        timeout_ms: z.number().int().min(50).max(60_000).describe('How long to wait for the verdict before on_error applies (default 3000).').optional(),
        on_error: z
          .enum(['allow', 'block'])
          .describe('When the check fails or times out: allow (fail open: the lexical verdict stands, default) or block (fail closed).')
          .optional(),
      })
      .describe(
        'Semantic layer: a second opinion from a fast model on the requests the lexical rules allow. Verdicts are cached by text and model. Off when absent.',
      )
      .optional(),
    // Written flat by a popular tutorial; lint says they belong under `detection:` (W001).
    attack_patterns: PatternList.describe('Belongs under `detection:`; accepted here with a warning.').optional(),
    embedding_threshold: Threshold.describe('Belongs under `detection:`; accepted here with a warning.').optional(),
  })
  .describe('Prompt-injection detection.')
export type PromptInjectionConfig = z.infer<typeof PromptInjectionSchema>

// ---------------------------------------------------------------- pii-detector

const EntityName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'use UPPER_SNAKE_CASE, e.g. EMPLOYEE_ID')

export const DetectPattern = z.union([
  z.string().min(1),
  z
    .strictObject({
      name: EntityName.describe('Entity name reported and used in markers.'),
      pattern: z.string().min(1).describe('Regular expression.'),
      score: z.number().min(0).max(1).describe('Score of a match (default 0.9).').optional(),
    })
    .describe('A named custom detector.'),
])

export const PiiDetectorSchema = z
  .strictObject({
    action: z.enum(['redact', 'block']).describe('redact (default): replace findings with markers; block: stop the request.').optional(),
    healthcare_mode: bool('Also detect medical record numbers, health insurance ids and NPI numbers (default false).'),
    pci_mode: bool('Detect payment card data: card numbers (Luhn), CVV codes and cardholder names (default true).'),
    detect_patterns: z.array(DetectPattern).describe('Custom regular expressions (CUSTOM entity) or {name, pattern, score} objects.').optional(),
    redaction: z
      .strictObject({
        marker_format: z
          .enum(['label', 'asterisks', 'partial'])
          .describe('label: [EMAIL_ADDRESS] (default); asterisks: ********; partial: keep the last 4 characters.')
          .optional(),
        include_metadata: bool('Number markers per distinct value, e.g. [EMAIL_ADDRESS_1], so the model can tell values apart.'),
        preserve_length: bool('Make each marker as long as the text it replaces.'),
        custom_markers: z.record(EntityName, z.string()).describe('Marker text per entity, e.g. {EMAIL_ADDRESS: "<email>"}.').optional(),
      })
      .describe('How redacted text looks.')
      .optional(),
  })
  .describe('Personal data detection and redaction.')
export type PiiDetectorConfig = z.infer<typeof PiiDetectorSchema>

// ---------------------------------------------------------------- audit-logger

export const AuditLoggerSchema = z
  .strictObject({
    immutable: bool('Records cannot be modified or deleted; tamper-evident hash chain (default true).'),
    retention_days: z.number().int().min(1).max(36500).describe('Days to keep records (default 365; HIPAA 2190, SOX 2555).').optional(),
    hipaa_audit_controls: bool('Record HIPAA audit-control fields (default false).'),
    log_all_access: bool('Record allowed requests too, not only blocks, redactions and findings.'),
  })
  .describe('Audit log of every decision.')
export type AuditLoggerConfig = z.infer<typeof AuditLoggerSchema>

// ---------------------------------------------------------------- token-budget (ours)

const PositiveInt = z.number().int().min(1)

export const TokenBudgetSchema = z
  .strictObject({
    max_prompt_tokens: PositiveInt.describe('Largest prompt, in estimated tokens; larger prompts are blocked.').optional(),
    max_completion_tokens: PositiveInt.describe(
      'Cap on max_completion_tokens; Cerebras reserves this many tokens up front, so a request without one gets this value.',
    ).optional(),
    max_total_tokens: PositiveInt.describe('Cap on prompt + max_completion_tokens.').optional(),
    action: z.enum(['clamp', 'block']).describe('clamp (default): lower max_completion_tokens to fit; block: refuse requests over a cap.').optional(),
  })
  .describe('Token limits per request (Wafer extension).')
export type TokenBudgetConfig = z.infer<typeof TokenBudgetSchema>

// ---------------------------------------------------------------- deny/allow patterns (ours)

export const DenyPatternsSchema = z
  .strictObject({
    patterns: PatternList.min(1).describe('Regular expressions; a message matching any of them is denied.'),
    match_all_roles: bool('Scan every message; by default only user messages (default false).'),
    action: z.enum(['block', 'log']).describe('block (default) or log.').optional(),
    message: z.string().describe('Message returned when a request is blocked.').optional(),
  })
  .describe('Deny messages matching a pattern (Wafer extension, like Kong AI Prompt Guard).')
export type DenyPatternsConfig = z.infer<typeof DenyPatternsSchema>

export const AllowPatternsSchema = z
  .strictObject({
    patterns: PatternList.min(1).describe('Regular expressions; every scanned message must match at least one.'),
    match_all_roles: bool('Scan every message; by default only user messages (default false).'),
    message: z.string().describe('Message returned when a request is blocked.').optional(),
  })
  .describe('Allow only messages matching a pattern (Wafer extension, like Kong AI Prompt Guard).')
export type AllowPatternsConfig = z.infer<typeof AllowPatternsSchema>

export const POLICY_BLOCK_SCHEMAS = {
  'prompt-injection': PromptInjectionSchema,
  'pii-detector': PiiDetectorSchema,
  'audit-logger': AuditLoggerSchema,
  'token-budget': TokenBudgetSchema,
  'deny-patterns': DenyPatternsSchema,
  'allow-patterns': AllowPatternsSchema,
} satisfies Record<EnforcedKind, z.ZodType>

export interface PolicyBlocks {
  'prompt-injection'?: PromptInjectionConfig
  'pii-detector'?: PiiDetectorConfig
  'audit-logger'?: AuditLoggerConfig
  'token-budget'?: TokenBudgetConfig
  'deny-patterns'?: DenyPatternsConfig
  'allow-patterns'?: AllowPatternsConfig
  /** Catalog kinds we do not enforce, kept exactly as written. */
  [otherKind: string]: unknown
}

// ---------------------------------------------------------------- providers

export const CEREBRAS_BASE_URL = 'https://api.cerebras.ai/v1'
export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

export const SecretKeyRefSchema = z
  .strictObject({
    env: z.string().min(1).describe('Environment variable holding the key, e.g. CEREBRAS_API_KEY.').optional(),
    store: z.string().min(1).describe("Name of a key in the app's secure key store.").optional(),
  })
  .refine((r) => (r.env === undefined) !== (r.store === undefined), {
    message: 'give exactly one of `env` or `store`',
  })
  .describe('Where the API key comes from: {env: NAME} or {store: NAME}.')

export const TargetSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, ".", "_" and "-"')
      .describe('Unique name of this target.'),
    provider: z.string().min(1).describe('`cerebras`, `cerebras:chat:<model>`, `openai`, or another OpenAI-compatible provider (then set base_url).'),
    model: z.string().min(1).describe('Model id; required unless the provider is `cerebras:chat:<model>`.').optional(),
    base_url: z.url().describe(`API base URL (default ${CEREBRAS_BASE_URL} for cerebras).`).optional(),
    secret_key_ref: SecretKeyRefSchema.optional(),
    format: z.literal('openai').describe('Wire format; only `openai` (default).').optional(),
  })
  .describe('An upstream model endpoint. The first target is primary, the rest are fallbacks in order.')
export type TargetConfig = z.infer<typeof TargetSchema>

export const FALLBACK_STRATEGIES = ['ordered', 'round-robin', 'latency', 'cost', 'random'] as const
export const RETRY_ON = ['5xx', 'timeout', 'rate_limit'] as const

export const FallbackSchema = z
  .strictObject({
    strategy: z.enum(FALLBACK_STRATEGIES).describe('How the next target is chosen: ordered (default), round-robin, latency, cost or random.').optional(),
    max_retries: z.number().int().min(0).max(10).describe('Attempts after the first failure (0–10).').optional(),
    retry_on: z.array(z.enum(RETRY_ON)).describe('Failures that move to the next target: 5xx, timeout, rate_limit.').optional(),
  })
  .describe('Fallback between targets.')
export type FallbackConfig = z.infer<typeof FallbackSchema>

export const ProvidersSchema = z
  .strictObject({
    targets: z.array(TargetSchema).min(1).describe('Upstream targets; the first is primary.'),
    fallback: FallbackSchema.optional(),
  })
  .describe('Where requests go.')
export type ProvidersConfig = z.infer<typeof ProvidersSchema>

// ---------------------------------------------------------------- documents

/**
 * Full config document. `policy` is checked per kind by lint (enforced kinds
 * strictly, catalog kinds kept as written), so here it is an open record.
 */
export const PolicyConfigSchema = z
  .strictObject({
    pack: PackSchema,
    policies: PoliciesSchema,
    policy: z.record(z.string(), z.unknown()).describe('One block per policy kind, keyed by kind.').optional(),
    providers: ProvidersSchema.optional(),
    agents: z.unknown().describe('Per-agent usage constraints (kept, not enforced here).').optional(),
  })
  .describe('A policy-config.yaml document.')

export interface PolicyConfig {
  pack: z.infer<typeof PackSchema>
  policies: z.infer<typeof PoliciesSchema>
  policy?: PolicyBlocks
  providers?: ProvidersConfig
  agents?: unknown
}

/** Standalone single-policy document (`policy: {name, version, enabled}` plus the kind's sections). */
export const SinglePolicyHeaderSchema = z
  .strictObject({
    name: z.string().min(1).describe('The policy kind: prompt-injection, agent-firewall, citation-verifier or quality-scorer.'),
    version: z.string().min(1).describe('SemVer version of this policy.'),
    enabled: z.boolean().describe('Whether the policy is active.'),
  })
  .describe('Single-policy document header.')

/** The model a target calls: `cerebras:chat:<model>` or its `model` field. */
export function targetModel(t: Pick<TargetConfig, 'provider' | 'model'>): string | undefined {
  const m = /^cerebras:chat:(.+)$/.exec(t.provider)
  return m ? m[1] : t.model
}

/** Base URL a target resolves to, or undefined when it must be given. */
export function targetBaseUrl(t: Pick<TargetConfig, 'provider' | 'base_url'>): string | undefined {
  if (t.base_url) return t.base_url
  if (t.provider === 'cerebras' || t.provider.startsWith('cerebras:')) return CEREBRAS_BASE_URL
  if (t.provider === 'openai') return OPENAI_BASE_URL
  return undefined
}
