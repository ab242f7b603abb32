import type { AuditStore } from './audit-store'
import type { AuditEntryInput } from './input'
import type { AuditLog } from './store'

/**
 * Where the gateway writes audit entries. Two implementations: the log in
 * this thread (AuditLog, committed at the end of the tick), and a worker
 * thread (writer-thread.ts) that keeps the commit — hashing, SQLite, the WAL
 * writes, about 0.3–0.4 ms per record — off the thread that serves requests.
 */
export interface AuditSink {
  /** The log's file. */
  readonly file: string
  /** Queues one entry; it is committed with the others of this tick. Never blocks on the disk. */
  append(entry: AuditEntryInput): void
  /**
   * Write-ahead: queues one entry and resolves once it is committed (with the
   * others of this tick, in one transaction: concurrent requests share the
   * commit). Rejects when the entry is refused or the commit failed.
   */
  appendCommitted(entry: AuditEntryInput): Promise<void>
  /** Resolves once everything appended so far is committed; rejects when the commit failed. */
  flush(): Promise<void>
  /** Removes whole segments past the retention period (in the background). */
  prune(): void
  /** Flushes, then closes the log. */
  close(): Promise<void>
  /** Asks a database log whether its server answers (the gateway's /readyz); a file-backed sink has none. */
  ping?(): Promise<boolean>
}

/** The in-thread log as a sink. */
export function inThreadSink(log: AuditLog): AuditSink {
  return {
    file: log.file,
    append: (entry) => log.append({ ...entry, time: entry.time ?? Date.now() }),
    appendCommitted: (entry) => {
      try {
        log.append({ ...entry, time: entry.time ?? Date.now() })
      } catch (err) {
        return Promise.reject(err)
      }
      // The log commits this tick's entries together at the end of the tick; flush() after it finds them done.
      return new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          try {
            log.flush()
            resolve()
          } catch (err) {
            reject(err)
          }
        }),
      )
    },
    flush: async () => {
      log.flush()
    },
    prune: () => {
      log.prune()
    },
    close: async () => log.close(),
  }
}

/**
 * A store that commits asynchronously (PostgreSQL) as a sink: the write-ahead
 * record is committed by a flush of its own, which joins the commit under way
 * or starts the next one, so concurrent requests share commits.
 */
export function storeSink(store: AuditStore, onError?: (message: string) => void): AuditSink {
  return {
    file: store.location,
    append: (entry) => store.append({ ...entry, time: entry.time ?? Date.now() }),
    appendCommitted: async (entry) => {
      store.append({ ...entry, time: entry.time ?? Date.now() })
      await store.flush()
    },
    flush: async () => {
      await store.flush()
    },
    prune: () => {
      store.prune().catch((err: Error) => onError?.(`Pruning the audit log failed: ${err.message}`))
    },
    close: () => store.close(),
    ping: () => store.ping(),
  }
}
