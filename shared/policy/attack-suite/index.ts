/**
 * The attack suite: a seeded library of attacks and benign look-alikes
 * (generator.ts, from the templates in languages.ts and the disguises in
 * encodings.ts) and its run through a policy chain (run.ts). Browser-safe:
 * the CLI's `wafer policy attack` and the test bench's worker share it.
 */
export { type AttackEncoding, ENCODINGS } from './encodings'
export { decodeItem, DEFAULT_ATTACK_SEED, generateAttackLibrary, type SuiteItem, type SuiteLibrary } from './generator'
export { ATTACK_FAMILIES, type AttackFamily, type AttackLanguage, LANGUAGES } from './languages'
export { actingPolicies, type AttackSuiteReport, falseBlockRate, recall, runAttackSuite, type RunSuiteOptions, type SuiteCase, type SuiteTally } from './run'
