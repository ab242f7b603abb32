import { resolve } from 'node:path'

import { WaferError } from '@shared/ipc/errors'

import type { AuditStore } from './audit-store'
import type { AuditLogOptions } from './options'
import type { PgClientOptions } from './postgres/client'
import { auditLocation } from './postgres/url'
import { openSqliteStore } from './sqlite-store'

export type OpenStoreOptions = Omit<AuditLogOptions, 'file' | 'dir'> &
  PgClientOptions & {
    /** The key file of a PostgreSQL log (a SQLite log keeps its own beside the file). */
    keyFile?: string
  }

/**
 * Opens the audit log `db` names: a postgres:// or postgresql:// URL, or the
 * path of a SQLite file. Any other URL is refused with a clear error.
 * PostgreSQL's client loads only for a PostgreSQL log.
 */
export async function openAuditStore(db: string, opts: OpenStoreOptions = {}): Promise<AuditStore> {
  const loc = auditLocation(db)
  if (loc.kind === 'sqlite') return openSqliteStore({ ...opts, file: resolve(loc.file) })
  if (!opts.keyFile) throw new WaferError('bad_request', `The audit log ${loc.display} needs its key file: pass --audit-key-file FILE`)
  const { openPgAuditLog } = await import('./postgres/store')
  return openPgAuditLog({ ...opts, url: loc.url, keyFile: resolve(opts.keyFile) })
}
