/**
 * Starter policy configs: the three examples of the Keeptrusts Cerebras page
 * (seed 001), with comments. The first one spells out the policy blocks the
 * seed leaves to defaults, so it lints clean. The seed's models (llama3.3-70b,
 * llama3.1-8b) have been retired by Cerebras, so the templates use the
 * catalog's replacement, gpt-oss-120b; the structure is the seed's.
 */
export interface PolicyTemplate {
  id: string
  name: string
  description: string
  yaml: string
}

const CEREBRAS_GATEWAY = `# Cerebras behind a policy gateway: injection and PII checks, audited.
pack:
  name: cerebras-gateway
  version: 0.1.0
  enabled: true

policies:
  # Evaluated in this order on every request.
  chain:
    - prompt-injection
    - pii-detector
    - audit-logger

policy:
  prompt-injection:
    response:
      action: block            # block | log | escalate
      message: "Request blocked: potential prompt injection detected"
  pii-detector:
    action: redact             # redact | block
    pci_mode: true             # cards, CVV, cardholder names
    redaction:
      marker_format: label     # label | asterisks | partial
  audit-logger:
    immutable: true
    retention_days: 365

providers:
  targets:
    - id: cerebras-primary
      provider: cerebras:chat:gpt-oss-120b     # the seed used llama3.3-70b, since retired
      base_url: https://api.cerebras.ai/v1
      secret_key_ref:
        env: CEREBRAS_API_KEY
`

const LATENCY_ROUTING = `# Latency-optimised routing: Cerebras first, a GPU provider as fallback.
pack:
  name: cerebras-providers-2
  version: 1.0.0
  enabled: true

providers:
  # The first target is primary; the others are tried in order when it fails.
  targets:
    - id: cerebras-fast
      provider: cerebras:chat:gpt-oss-120b     # the seed used llama3.3-70b, since retired
      secret_key_ref:
        env: CEREBRAS_API_KEY
    - id: openai-fallback
      provider: openai
      model: gpt-4o
      secret_key_ref:
        env: OPENAI_API_KEY

policies:
  chain:
    - audit-logger

policy:
  audit-logger:
    immutable: true
    retention_days: 365
    log_all_access: true
`

const BATCH_PIPELINE = `# High-throughput batch pipelines (classification, summaries) on a fast model.
pack:
  name: cerebras-providers-3
  version: 1.0.0
  enabled: true

providers:
  targets:
    - id: cerebras-batch
      provider: cerebras:chat:gpt-oss-120b     # the seed used llama3.1-8b, since retired
      secret_key_ref:
        env: CEREBRAS_API_KEY

policies:
  chain:
    - audit-logger

policy:
  audit-logger:
    immutable: true
    retention_days: 365
    log_all_access: true
`

export const POLICY_TEMPLATES: readonly PolicyTemplate[] = [
  {
    id: 'cerebras-gateway',
    name: 'Cerebras gateway',
    description: 'Prompt-injection and PII checks in front of Cerebras, every decision audited.',
    yaml: CEREBRAS_GATEWAY,
  },
  {
    id: 'latency-routing',
    name: 'Latency-optimised routing',
    description: 'Cerebras as primary target with an OpenAI fallback; audit log of all access.',
    yaml: LATENCY_ROUTING,
  },
  {
    id: 'batch-pipeline',
    name: 'High-throughput batch',
    description: 'A fast Cerebras model for classification and batch annotation; audited.',
    yaml: BATCH_PIPELINE,
  },
]

export function findTemplate(id: string): PolicyTemplate | undefined {
  return POLICY_TEMPLATES.find((t) => t.id === id)
}
