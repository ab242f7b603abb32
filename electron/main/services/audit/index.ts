/**
 * The audit-logger's store: append-only, hash-chained, prunable behind
 * checkpoints. Record types for display live in shared/audit/types.
 */
export type { AuditEntryInput, AuditFindingInput } from './input'
export { type AuditSink, inThreadSink } from './sink'
export type { AccessContext, AuditLogOptions } from './store'
export { AUDIT_DB_NAME, auditDbPath, AuditLog, DEFAULT_RETENTION_DAYS, openAuditLog } from './store'
export { AuditWriterThread, openAuditWriter, WriterThreadUnavailable } from './writer-thread'
