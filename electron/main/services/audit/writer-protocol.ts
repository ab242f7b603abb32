import type { AuditEntryInput } from './input'
import type { AuditLogOptions } from './store'

/** The options a writer thread opens its log with (functions cannot cross to a worker). */
export type WriterLogOptions = Pick<
  AuditLogOptions,
  | 'file'
  | 'retentionDays'
  | 'logAllAccess'
  | 'durability'
  | 'actor'
  | 'create'
  | 'busyTimeoutMs'
  | 'witnessFile'
  | 'checkpointEveryRecords'
  | 'checkpointEveryMs'
>

export interface WriterData {
  options: WriterLogOptions
  /** When running from TypeScript sources: the module the boot file loads through tsx. */
  entry?: string
}

/** Main thread → writer. */
export type ToWriter =
  /** `ack`: answer `done` with this id once these entries (and all before them) are committed. */
  { type: 'append'; entries: AuditEntryInput[]; ack?: number } | { type: 'flush'; id: number } | { type: 'prune' } | { type: 'close'; id: number }

/** Writer → main thread. */
export type FromWriter =
  | { type: 'ready' }
  /** The log could not be opened (bad file, not an audit log…): the message says why. */
  | { type: 'failed'; message: string; code: string }
  | { type: 'done'; id: number; error?: string }
  /** A background commit or an entry failed; the writer goes on. */
  | { type: 'error'; message: string }
