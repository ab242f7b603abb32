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
export * from './schema'
export * from './kinds'
export { fieldInfo, schemaAt, validKeysAt, type FieldInfo } from './schema-info'

// Lint and YAML
export {
  lintPolicyText,
  lintParsed,
  MAX_PATTERNS,
  MAX_PATTERN_LENGTH,
  type DeprecatedModelInfo,
  type DocumentShape,
  type LintOptions,
  type LintResult,
} from './lint'
export { LINT_CODES, type LintCode, type LintFinding, type LintSeverity } from './lint-codes'
export {
  appendSeqItem,
  deleteIn,
  lineCol,
  locate,
  locateKey,
  moveSeqItem,
  parsePolicyYaml,
  setIn,
  stringifyPolicyYaml,
  toPlain,
  type Located,
  type ParsedPolicyYaml,
  type YamlPath,
} from './yaml'

// Engine
export * from './engine/types'
export {
  compileChain,
  DEFAULT_ROLES,
  PolicyCompileError,
  type AsyncRunOptions,
  type CompileOptions,
  type CompiledChain,
  type OutputCheck,
  type RunOptions,
  type ScannedKind,
} from './engine/chain'
export { createStreamRedactor, type StreamRedactor, type StreamRedactorOptions } from './engine/stream-redactor'
export { MarkerFactory, redactionStyleFrom, type RedactionStyle } from './engine/redact'
export { estimatePromptTokens, estimateTokens } from './engine/token-budget'
export {
  applyChanges,
  contentText,
  OUTPUT_BLOCKED_MESSAGE,
  outputVerdict,
  toEngineRequest,
  verdictSeverity,
  worseVerdict,
  type VerdictOrError,
  type WireChatRequest,
} from './enforcement'
export {
  MemoryAuditSink,
  verifyAuditChain,
  type AuditSink,
  type AuditVerification,
  type ChainedAuditRecord,
  type PolicyAuditEntry,
} from './engine/audit'
export {
  buildInjectionCheckRequest,
  InjectionLlmVerdict,
  parseInjectionVerdict,
  type InjectionLlmCheck,
  type InjectionLlmInput,
} from './engine/llm-check'

// Detectors (for the test bench and evaluations)
export { InjectionDetector, FAMILY_ENTITY, type InjectionFamily, type InjectionMatch, type InjectionOptions } from './detectors/injection'
export { PiiDetector, PII_ENTITIES, PCI_ENTITIES, HEALTHCARE_ENTITIES, type PiiMatch, type PiiOptions } from './detectors/pii'
export { normalizeForScan, type NormalizedText } from './text/normalize'
export { findEncodedSegments, type EncodedSegment } from './text/encoded'
export { compileSafeRegex, tryCompileSafeRegex, analyzeRegexSafety, RegexSyntaxError, type SafeRegex } from './regex/index'

// Templates
export { POLICY_TEMPLATES, findTemplate, type PolicyTemplate } from './templates'
