/**
 * Policies: schema, lint, YAML helpers, engine, detectors, redaction and
 * templates. Pure and browser-safe: main, the renderer and the CLI share it.
 *
 *   const lint = lintPolicyText(yamlText, { deprecatedModel })
 *   if (lint.ok && lint.config) {
 *     const chain = compileChain(lint.config, { auditSink })
 *     const result = chain.run({ messages, max_completion_tokens })
 *     const out = chain.createOutputRedactor()   // for streamed responses
 *   }
 */

// Schema and kinds
export * from './kinds'
export * from './schema'
export { type FieldInfo, fieldInfo, schemaAt, validKeysAt } from './schema-info'

// Lint and YAML
export {
  type DeprecatedModelInfo,
  type DocumentShape,
  type LintOptions,
  lintParsed,
  lintPolicyText,
  type LintResult,
  MAX_PATTERN_LENGTH,
  MAX_PATTERNS,
} from './lint'
export { LINT_CODES, type LintCode, type LintFinding, type LintSeverity } from './lint-codes'
export {
  appendSeqItem,
  deleteIn,
  lineCol,
  locate,
  type Located,
  locateKey,
  moveSeqItem,
  type ParsedPolicyYaml,
  parsePolicyYaml,
  setIn,
  stringifyPolicyYaml,
  toPlain,
  type YamlPath,
} from './yaml'

// Engine
export {
  applyChanges,
  type ChainMode,
  contentText,
  decidingPolicyIndex,
  OUTPUT_BLOCKED_MESSAGE,
  outputVerdict,
  ranAfterBlock,
  runChain,
  runChainAsync,
  toEngineRequest,
  type VerdictOrError,
  verdictSeverity,
  type WireChatRequest,
  worseVerdict,
} from './enforcement'
export { type AuditSink, type AuditVerification, type ChainedAuditRecord, MemoryAuditSink, type PolicyAuditEntry, verifyAuditChain } from './engine/audit'
export {
  type AsyncRunOptions,
  compileChain,
  type CompiledChain,
  type CompileOptions,
  DEFAULT_ROLES,
  type OutputCheck,
  PolicyCompileError,
  type RunOptions,
  type ScannedKind,
} from './engine/chain'
export { buildInjectionCheckRequest, type InjectionLlmCheck, type InjectionLlmInput, InjectionLlmVerdict, parseInjectionVerdict } from './engine/llm-check'
export { MarkerFactory, type RedactionStyle, redactionStyleFrom } from './engine/redact'
export { createStreamRedactor, type StreamRedactor, type StreamRedactorOptions } from './engine/stream-redactor'
export { estimatePromptTokens, estimateTokens } from './engine/token-budget'
export * from './engine/types'

// Detectors (for the test bench and evaluations)
export { FAMILY_ENTITY, InjectionDetector, type InjectionFamily, type InjectionMatch, type InjectionOptions } from './detectors/injection'
export { HEALTHCARE_ENTITIES, PCI_ENTITIES, PII_ENTITIES, PiiDetector, type PiiMatch, type PiiOptions } from './detectors/pii'
export { analyzeRegexSafety, compileSafeRegex, RegexSyntaxError, type SafeRegex, tryCompileSafeRegex } from './regex/index'
export { type EncodedSegment, findEncodedSegments } from './text/encoded'
export { type NormalizedText, normalizeForScan } from './text/normalize'

// History search under a redacting policy
export { piiKindName, redactedSearchReason, type RedactedSearchTerm, redactedSearchTerms } from './search-notice'

// Templates
export { findTemplate, POLICY_TEMPLATES, type PolicyTemplate } from './templates'
