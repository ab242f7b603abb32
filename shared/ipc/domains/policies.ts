import { z } from 'zod'

import { channel, event } from '../define'

/*
 * Policy files and the policy applied in the app. The renderer has no file
 * access: main reads and writes policy-config.yaml files for the Policies
 * screen, and keeps the active policy (chosen in the status bar) that every
 * playground, compare and batch request runs through before it is sent.
 */

/** Policy files are small; anything near this is not a policy. */
export const MAX_POLICY_FILE_BYTES = 1_000_000

/** An absolute path, or `~/…`; main checks the rest (extension, existence) and says what is wrong. */
export const PolicyPath = z
  .string()
  .trim()
  .min(1, 'give a file path')
  .max(4096)
  .refine((p) => !p.includes('\0'), 'the path contains a NUL character')

export const PolicyFile = z.object({
  /** Absolute, normalised path (what the recent list stores). */
  path: z.string(),
  text: z.string(),
  /** Modification time when read or written, to notice changes made elsewhere. */
  mtimeMs: z.number(),
  bytes: z.number(),
})
export type PolicyFile = z.infer<typeof PolicyFile>

export const PolicyWriteArgs = z
  .object({
    path: PolicyPath,
    text: z.string().max(MAX_POLICY_FILE_BYTES),
    /**
     * Save: the mtime the editor last saw; a file changed on disk since then
     * is a conflict (nothing is written). Omit for "save as".
     */
    expectedMtimeMs: z.number().optional(),
    /** Replace an existing file (save as onto a file; or after a conflict, on purpose). */
    overwrite: z.boolean().optional(),
  })
  .strict()
export type PolicyWriteArgs = z.infer<typeof PolicyWriteArgs>

export const PolicyWriteResult = z.object({ path: z.string(), mtimeMs: z.number(), bytes: z.number() })
export type PolicyWriteResult = z.infer<typeof PolicyWriteResult>

export const PickArgs = z.object({ mode: z.enum(['open', 'save']), defaultPath: z.string().max(4096).optional() }).strict()

export const PickResult = z.object({
  /** False where there is no native dialog (the web host): type a path instead. */
  available: z.boolean(),
  /** Null when cancelled or unavailable. */
  path: z.string().nullable(),
})

// ---- what enforcement reports (chat:done / chat:error `policy`, history verdicts)

export const PolicyVerdictKind = z.enum(['allow', 'redact', 'block', 'log'])
export type PolicyVerdictKind = z.infer<typeof PolicyVerdictKind>

export const PolicyFinding = z.object({
  policy: z.string(),
  entity: z.string(),
  /** JavaScript string indices into that message's content (or into the output). */
  start: z.number(),
  end: z.number(),
  score: z.number(),
  /** Index into the request's messages; -1 for model output. */
  message_index: z.number(),
  encoding: z.enum(['base64', 'hex', 'url']).optional(),
  detail: z.string().optional(),
})
export type PolicyFinding = z.infer<typeof PolicyFinding>

/** The semantic layer's answer on one request (prompt-injection with llm_check). */
export const PolicyLlmCheck = z.object({
  verdict: z.enum(['injection', 'benign', 'error', 'skipped']),
  confidence: z.number().optional(),
  latency_ms: z.number(),
  error: z.string().optional(),
  model: z.string().optional(),
  /** The verdict came from the cache: no call was made. */
  cached: z.boolean().optional(),
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
  /** USD at the model's price (catalog or the user's override); null when unknown. */
  cost_usd: z.number().nullable().optional(),
  /** What a failed check did: allow (fail open) or block (fail closed). */
  on_error: z.enum(['allow', 'block']).optional(),
})
export type PolicyLlmCheck = z.infer<typeof PolicyLlmCheck>

/** The test bench's question to the semantic injection check: the scanned messages, the model and the timeout. */
export const PolicyLlmCheckArgs = z
  .object({
    model: z.string().min(1).max(200),
    messages: z
      .array(z.object({ index: z.number().int().min(0), role: z.string().max(40), content: z.string().max(200_000) }).strict())
      .min(1)
      .max(64),
    timeout_ms: z.number().int().min(50).max(60_000).optional(),
  })
  .strict()
export type PolicyLlmCheckArgs = z.infer<typeof PolicyLlmCheckArgs>

export const PolicyStepResult = z.object({
  policy: z.string(),
  verdict: PolicyVerdictKind,
  status: z.enum(['ran', 'skipped', 'not_enforced']),
  findings: z.array(PolicyFinding),
  /** Findings beyond those listed (lists are capped so one huge prompt cannot flood the bridge). */
  moreFindings: z.number().optional(),
  time_ms: z.number(),
  message: z.string().optional(),
  code: z.string().optional(),
  llm: PolicyLlmCheck.optional(),
})
export type PolicyStepResult = z.infer<typeof PolicyStepResult>

export const PolicyRedaction = z.object({
  message_index: z.number(),
  start: z.number(),
  end: z.number(),
  entity: z.string(),
  marker: z.string(),
})
export type PolicyRedaction = z.infer<typeof PolicyRedaction>

export const PolicyBlock = z.object({
  stage: z.enum(['input', 'output']),
  policy: z.string(),
  /** input_blocked, output_blocked, budget_exceeded, escalation_required, policy_unavailable */
  code: z.string(),
  message: z.string(),
  finding: PolicyFinding.optional(),
})
export type PolicyBlock = z.infer<typeof PolicyBlock>

/** What the active policy decided about one chat request. */
export const PolicyOutcome = z.object({
  /** The policy file, as chosen in the status bar. */
  file: z.string(),
  /** pack.name of that file. */
  pack: z.string(),
  /** Most severe verdict over input and output: block > redact > log > allow. */
  verdict: PolicyVerdictKind,
  /** The policy that decided it, or null when everything allowed. */
  policy: z.string().nullable(),
  input: z.object({
    verdict: PolicyVerdictKind,
    policies: z.array(PolicyStepResult),
    redactions: z.array(PolicyRedaction),
    time_ms: z.number(),
  }),
  /** Streamed-output check (pii-detector); null when no policy looks at output. */
  output: z
    .object({
      verdict: PolicyVerdictKind,
      findings: z.array(PolicyFinding),
      moreFindings: z.number().optional(),
      /** Text held back because the stream ended in failure mid-match (never shown). */
      withheldChars: z.number(),
    })
    .nullable(),
  blocked: PolicyBlock.optional(),
})
export type PolicyOutcome = z.infer<typeof PolicyOutcome>

/** A message of the request as it went to Cerebras (redactions applied). */
export const SentMessage = z.object({ role: z.string(), content: z.string().nullable() })
export type SentMessage = z.infer<typeof SentMessage>

/** Details of a `policy_blocked` error: enough for the renderer to show and highlight the finding. */
export interface PolicyBlockedDetails {
  stage: 'input' | 'output'
  policy: string | null
  code: string
  pack: string | null
  file: string | null
  finding?: PolicyFinding
  /** The text around the finding (its message, clipped); start/end index this text. */
  excerpt?: { text: string; start: number; end: number; role: string; message_index: number; clippedBefore: boolean; clippedAfter: boolean }
}

// ---- the active policy

export const ActivePolicyStatus = z.object({
  /** The chosen file, or null for none. */
  path: z.string().nullable(),
  /** pack.name and version when it loaded. */
  name: z.string().nullable(),
  version: z.string().nullable(),
  chain: z.array(z.string()),
  /** False when the file is chosen but cannot be used now: every request fails closed until it is fixed or unchosen. */
  ok: z.boolean(),
  error: z.string().nullable(),
  /** Lint warnings of the loaded file. */
  warnings: z.number(),
  /** Epoch ms of the last load. */
  loadedAt: z.number().nullable(),
})
export type ActivePolicyStatus = z.infer<typeof ActivePolicyStatus>

export const policiesChannels = {
  'policies:read': channel(
    z.object({ path: PolicyPath }).strict(),
    PolicyFile,
    'Read a policy-config.yaml file (absolute path or ~/…; .yaml or .yml, at most 1 MB)',
  ),
  'policies:write': channel(
    PolicyWriteArgs,
    PolicyWriteResult,
    'Write a policy file atomically; refuses to replace a file changed on disk or an existing file unless told to',
  ),
  'policies:pick': channel(PickArgs, PickResult, 'Ask for a file with the native dialog, where there is one'),
  'policies:active': channel(z.object({}).strict(), ActivePolicyStatus, 'The policy applied to playground and compare requests'),
  'policies:activate': channel(
    z.object({ path: PolicyPath.nullable() }).strict(),
    ActivePolicyStatus,
    'Apply a policy file to playground and compare requests (null: none); a file with lint errors is refused',
  ),
  'policies:llm-check': channel(
    PolicyLlmCheckArgs,
    PolicyLlmCheck,
    'Ask the semantic injection check (llm_check) about some messages, from main with the app key; for the test bench',
  ),
}

export const policiesEvents = {
  'policies:active-changed': event(ActivePolicyStatus, 'The active policy changed, reloaded or failed to load'),
}
