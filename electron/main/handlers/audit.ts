import type { Handler } from '../ipc/dispatcher'
import type { AppAuditReader } from '../services/audit/app-audit-reader'

export interface AuditHandlers {
  'audit:info': Handler<'audit:info'>
  'audit:query': Handler<'audit:query'>
  'audit:verify': Handler<'audit:verify'>
  'audit:export': Handler<'audit:export'>
  'audit:source': Handler<'audit:source'>
  'audit:set-source': Handler<'audit:set-source'>
}

/** The Audit tab's channels: the log it reads (the app's own, or a team's PostgreSQL log) through AppAuditReader. */
export function createAuditHandlers(reader: AppAuditReader): AuditHandlers {
  return {
    'audit:info': () => reader.info(),
    'audit:query': (q) => reader.query(q),
    'audit:verify': () => reader.verify(),
    'audit:export': ({ filter }) => reader.exportJsonl(filter),
    'audit:source': () => reader.view(),
    'audit:set-source': (args) => reader.set(args),
  }
}
