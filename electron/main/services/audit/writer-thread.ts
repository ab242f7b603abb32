import { Worker } from 'node:worker_threads'

import { type ErrorCode, WaferError } from '@shared/ipc/errors'

import type { AuditEntryInput } from './input'
import { isPostgresUrl } from './postgres/url'
import type { AuditSink } from './sink'
import type { FromWriter, ToWriter, WriterData, WriterLogOptions } from './writer-protocol'

export interface WriterThreadOptions extends WriterLogOptions {
  /** The log's file, or a postgres:// URL (see openAuditWriter). */
  file: string
  /** A PostgreSQL log's key file. */
  keyFile?: string
  /** A background commit failed or an entry was refused; the writer goes on. */
  onError?: (message: string) => void
  /** How long opening the log may take (default 15 s). */
  startTimeoutMs?: number
}

/**
 * The worker's code: the bundle beside the built main process, or the sources
 * through tsx. The build sets import.meta.env.PROD, so a bundle holds only the
 * first path (the built-app smoke test checks that every path it holds exists).
 */
function workerSource(): { url: URL; entry?: string } {
  if ((import.meta as ImportMeta & { env?: { PROD?: boolean } }).env?.PROD) return { url: new URL('./audit-writer-worker.js', import.meta.url) }
  const here = new URL(import.meta.url)
  if (here.pathname.endsWith('.ts')) return { url: new URL('./worker-boot.mjs', here), entry: new URL('./writer-worker.ts', here).href }
  return { url: new URL('./audit-writer-worker.js', here) }
}

/** The worker could not run at all (as opposed to refusing the log file). */
export class WriterThreadUnavailable extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WriterThreadUnavailable'
  }
}

/**
 * The audit log written from a worker thread. append() only queues; the
 * entries of one tick go to the writer in one message (appendCommitted()
 * sends its entry, and those queued before it, at once when no commit is
 * under way), and the writer commits what it has received together. A
 * process killed at any moment
 * loses only what was not yet committed and never breaks the chain (the
 * commits are SQLite transactions, as in the thread-local log).
 */
export class AuditWriterThread implements AuditSink {
  readonly file: string
  private queue: AuditEntryInput[] = []
  /** Callers of appendCommitted() whose entries are in `queue`. */
  private queueWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = []
  private scheduled = false
  private nextId = 1
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>()
  private closing: Promise<void> | undefined
  private dead: Error | undefined

  static async open(opts: WriterThreadOptions): Promise<AuditWriterThread> {
    const startTimeoutMs = opts.startTimeoutMs ?? 15_000
    const src = workerSource()
    // Only data crosses to the thread (a function in here would fail to clone).
    const { file, retentionDays, logAllAccess, durability, actor, create, busyTimeoutMs, witnessFile, checkpointEveryRecords, checkpointEveryMs } = opts
    const options = { file, retentionDays, logAllAccess, durability, actor, create, busyTimeoutMs, witnessFile, checkpointEveryRecords, checkpointEveryMs }
    const data: WriterData = { options, entry: src.entry }
    let worker: Worker
    try {
      worker = new Worker(src.url, { workerData: data, name: 'wafer-audit-writer' })
    } catch (err) {
      throw new WriterThreadUnavailable(`The audit writer thread could not start: ${(err as Error).message}`)
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new WriterThreadUnavailable(`The audit writer thread did not open ${opts.file} within ${startTimeoutMs} ms`)),
        startTimeoutMs,
      )
      const onMessage = (m: FromWriter) => {
        if (m.type === 'ready') finish()
        else if (m.type === 'failed') finish(new WaferError(m.code as ErrorCode, m.message))
      }
      const onError = (err: Error) => finish(new WriterThreadUnavailable(`The audit writer thread failed to start: ${err.message}`))
      const onExit = (code: number) => finish(new WriterThreadUnavailable(`The audit writer thread exited (code ${code}) before opening the log`))
      const finish = (err?: Error) => {
        clearTimeout(timer)
        worker.off('message', onMessage).off('error', onError).off('exit', onExit)
        if (err) {
          void worker.terminate()
          reject(err)
        } else resolve()
      }
      worker.on('message', onMessage).on('error', onError).on('exit', onExit)
    })
    return new AuditWriterThread(worker, opts)
  }

  private constructor(
    private readonly worker: Worker,
    private readonly opts: WriterThreadOptions,
  ) {
    this.file = opts.file
    worker.on('message', (m: FromWriter) => this.onMessage(m))
    worker.on('error', (err) => this.fail(err))
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the writer thread exited (code ${code})`))
    })
    // Idle, the writer must not keep the process alive; while a flush or
    // close is awaited it must (see expectReply).
    worker.unref()
  }

  append(entry: AuditEntryInput): void {
    if (this.closing) throw new WaferError('storage', 'The audit log is closed')
    if (this.dead) throw new WaferError('storage', `The audit writer stopped: ${this.dead.message}`)
    // Stamped here, not when the writer gets to it.
    this.queue.push(entry.time === undefined ? { ...entry, time: Date.now() } : entry)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.sendQueue())
    }
  }

  appendCommitted(entry: AuditEntryInput): Promise<void> {
    try {
      this.append(entry)
    } catch (err) {
      return Promise.reject(err)
    }
    const committed = new Promise<void>((resolve, reject) => this.queueWaiters.push({ resolve, reject }))
    // Someone waits on this commit (the gateway's write-ahead record, before
    // the answer's first byte): when no commit is under way, send it now,
    // with what this tick queued before it, so the commit runs while the
    // caller goes on (the upstream call) rather than after. While one is,
    // the entries wait for the end of the tick and go together (fewer
    // messages and commits under load).
    if (!this.waiting.size) this.sendQueue()
    return committed
  }

  flush(): Promise<void> {
    // Closed, the thread is gone: a request would never be answered.
    if (this.closing) return Promise.reject(new WaferError('storage', 'The audit log is closed'))
    if (this.dead) return Promise.reject(new WaferError('storage', `The audit writer stopped: ${this.dead.message}`))
    this.sendQueue()
    return this.request((id) => ({ type: 'flush', id }))
  }

  prune(): void {
    if (!this.closing && !this.dead) this.post({ type: 'prune' })
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.dead) return
      this.sendQueue()
      try {
        await this.request((id) => ({ type: 'close', id }))
      } finally {
        await this.worker.terminate()
      }
    })()
    return this.closing
  }

  private sendQueue(): void {
    this.scheduled = false
    if (!this.queue.length || this.dead) return
    const entries = this.queue
    const waiters = this.queueWaiters
    this.queue = []
    this.queueWaiters = []
    if (!waiters.length) return this.post({ type: 'append', entries })
    // One ack for the whole tick's entries: the writer commits them together.
    const id = this.nextId++
    this.waiting.set(id, {
      resolve: () => waiters.forEach((w) => w.resolve()),
      reject: (err) => waiters.forEach((w) => w.reject(err)),
    })
    this.worker.ref()
    this.post({ type: 'append', entries, ack: id })
  }

  private post(m: ToWriter): void {
    try {
      this.worker.postMessage(m)
    } catch (err) {
      // e.g. an entry that cannot be cloned; nothing of it reached the writer
      const message = `Audit entries could not be sent to the writer: ${(err as Error).message}`
      this.opts.onError?.(message)
      const id = m.type === 'append' ? m.ack : m.type === 'flush' || m.type === 'close' ? m.id : undefined
      if (id !== undefined) this.onMessage({ type: 'done', id, error: message })
    }
  }

  private request(make: (id: number) => ToWriter): Promise<void> {
    const id = this.nextId++
    const reply = new Promise<void>((resolve, reject) => this.waiting.set(id, { resolve, reject }))
    this.worker.ref()
    this.post(make(id))
    return reply
  }

  private onMessage(m: FromWriter): void {
    if (m.type === 'done') {
      const w = this.waiting.get(m.id)
      this.waiting.delete(m.id)
      if (!this.waiting.size) this.worker.unref()
      if (m.error) w?.reject(new WaferError('storage', m.error))
      else w?.resolve()
    } else if (m.type === 'error') {
      this.opts.onError?.(m.message)
    }
  }

  private fail(err: Error): void {
    if (this.dead) return
    this.dead = err
    for (const w of this.queueWaiters) w.reject(new WaferError('storage', `The audit writer stopped: ${err.message}`))
    this.queueWaiters = []
    this.opts.onError?.(`The audit writer stopped: ${err.message}`)
    for (const w of this.waiting.values()) w.reject(new WaferError('storage', `The audit writer stopped: ${err.message}`))
    this.waiting.clear()
  }
}

/**
 * The gateway's audit sink: the writer thread, or — when a worker cannot run
 * here at all — the log in this thread, with a warning. A log file that
 * cannot be opened is an error either way. A PostgreSQL log (`file` a
 * postgres:// URL) is written from this thread: its commits wait on the
 * network, not on the disk, and hashing a batch takes microseconds.
 */
export async function openAuditWriter(
  opts: WriterThreadOptions & { warn?: (line: string) => void },
  inThread: () => AuditSink | Promise<AuditSink>,
): Promise<AuditSink> {
  if (isPostgresUrl(opts.file)) {
    const [{ openAuditStore }, { storeSink }] = await Promise.all([import('./open-store'), import('./sink')])
    const { file, keyFile, retentionDays, logAllAccess, actor, create, witnessFile, checkpointEveryRecords, checkpointEveryMs, onError } = opts
    const store = await openAuditStore(file, {
      keyFile,
      retentionDays,
      logAllAccess,
      actor,
      create,
      witnessFile,
      checkpointEveryRecords,
      checkpointEveryMs,
      onError: (err) => onError?.(err.message),
    })
    return storeSink(store, onError)
  }
  try {
    return await AuditWriterThread.open(opts)
  } catch (err) {
    if (!(err instanceof WriterThreadUnavailable)) throw err
    opts.warn?.(`Warning: ${err.message}; writing the audit log on the main thread instead.`)
    return inThread()
  }
}
