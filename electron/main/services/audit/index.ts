/**
 * The audit-logger's store: append-only, hash-chained, prunable behind
 * checkpoints. Record types for display live in shared/audit/types.
 */
export { AuditLog, openAuditLog, auditDbPath, AUDIT_DB_NAME, DEFAULT_RETENTION_DAYS } from './store'
export type { AuditLogOptions, AccessContext } from './store'
export type { AuditEntryInput, AuditFindingInput } from './input'
export { inThreadSink, type AuditSink } from './sink'
export { AuditWriterThread, openAuditWriter, WriterThreadUnavailable } from './writer-thread'
