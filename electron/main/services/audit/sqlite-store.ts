import type { AuditStore, AuditStoreHealth } from './audit-store'
import type { AuditEntryInput } from './input'
import type { AuditLogOptions } from './options'
import { type AuditLog, openAuditLog } from './store'

/** The SQLite audit log (store.ts, synchronous) behind the AuditStore interface. */
export class SqliteAuditStore implements AuditStore {
  readonly kind = 'sqlite' as const

  constructor(readonly log: AuditLog) {}

  get location(): string {
    return this.log.file
  }

  append(entry: AuditEntryInput): void {
    this.log.append(entry)
  }

  flush = async () => this.log.flush()
  head = async () => this.log.head()
  matchHash = (text: string) => this.log.matchHash(text)
  info = async () => this.log.info()
  query: AuditStore['query'] = async (q, ctx) => this.log.query(q, ctx)
  verify: AuditStore['verify'] = (opts) => this.log.verify(opts)
  exportJsonl: AuditStore['exportJsonl'] = (out, opts) => this.log.exportJsonl(out, opts)
  prune = async (now?: number) => this.log.prune(now)
  health = (): AuditStoreHealth => this.log.health()

  async ping(): Promise<boolean> {
    try {
      this.log.head()
      return true
    } catch {
      return false
    }
  }

  close = async () => this.log.close()
}

export function openSqliteStore(opts: AuditLogOptions): AuditStore {
  return new SqliteAuditStore(openAuditLog(opts))
}
