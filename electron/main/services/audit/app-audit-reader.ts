import { existsSync, promises as fsp } from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'

import type { AuditInfo, AuditPage, AuditQuery, AuditVerifyResult } from '@shared/audit/types'
import type { AuditSourceSet, AuditSourceView } from '@shared/ipc/domains/audit-source'
import { WaferError } from '@shared/ipc/errors'

import { auditKeyFileName } from '../../paths'
import { ensurePrivateDir, writePrivateFileAtomic } from '../../storage/private-files'
import type { SecretBackend } from '../settings/key-vault'
import type { AuditStore } from './audit-store'
import { openAuditStore } from './open-store'
import { auditDisplay, maskPassword, parsePostgresUrl } from './postgres/url'

export interface AppAuditReaderDeps {
  /** The app's own log (the in-app gateway and chat requests write it). */
  localFile: string
  /** The user-data folder: the chosen source is kept there, encrypted like the API key. */
  dir: string
  backend: SecretBackend
}

interface PgSource {
  url: string
  keyFile: string
}

/**
 * What the Audit tab reads: the app's own log, or a team's PostgreSQL log
 * chosen in Settings, opened without creating anything (a log that is not
 * there is an error, not a new log). The connection string, password and
 * all, stays in main, stored with the same protection as the API key; the
 * renderer gets it masked. Under log_all_access every read is recorded in
 * the log, as the policy asks, whichever database holds it.
 */
export class AppAuditReader {
  private source: PgSource | null = null
  private loaded = false
  private reader: AuditStore | undefined
  private readonly file: string

  constructor(private readonly deps: AppAuditReaderDeps) {
    this.file = path.join(deps.dir, 'audit-source.bin')
  }

  async view(): Promise<AuditSourceView> {
    await this.load()
    const s = this.source
    if (!s) return { kind: 'local', file: this.deps.localFile }
    return { kind: 'postgres', masked: maskPassword(s.url), hasPassword: Boolean(new URL(s.url).password), keyFile: s.keyFile }
  }

  /** Switches the source; a PostgreSQL log is opened first, so a wrong address or password is said now and nothing is saved. */
  async set(next: AuditSourceSet): Promise<AuditSourceView> {
    await this.load()
    if (!next.postgres) {
      await this.closeReader()
      this.source = null
      await fsp.rm(this.file, { force: true })
      return this.view()
    }
    const { url } = parsePostgresUrl(next.postgres.url)
    const keyFile = next.postgres.keyFile ? path.resolve(next.postgres.keyFile) : path.join(this.deps.dir, 'audit', auditKeyFileName(url))
    const store = await openAuditStore(url, { keyFile, create: false, actor: 'app' })
    await this.closeReader()
    this.reader = store
    this.source = { url, keyFile }
    if (this.deps.backend.persistent) {
      await ensurePrivateDir(this.deps.dir)
      await writePrivateFileAtomic(this.file, await this.deps.backend.encrypt(JSON.stringify(this.source)))
    }
    return this.view()
  }

  async info(): Promise<{ info: AuditInfo | null; file: string }> {
    await this.load()
    const log = await this.open()
    return { info: log ? await log.info() : null, file: this.source ? auditDisplay(this.source.url) : this.deps.localFile }
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    const log = await this.open()
    return log ? log.query(q, { actor: 'app' }) : { records: [], nextCursor: null }
  }

  async verify(): Promise<AuditVerifyResult> {
    const log = await this.open()
    if (!log) throw new WaferError('not_found', `There is no audit log yet at ${this.deps.localFile}. Run the gateway with audit-logger in its chain.`)
    return log.verify({ actor: 'app' })
  }

  async exportJsonl(filter?: AuditQuery): Promise<{ jsonl: string; records: number }> {
    const log = await this.open()
    if (!log) return { jsonl: '', records: 0 }
    const parts: string[] = []
    const sink = new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        parts.push(chunk.toString())
        cb()
      },
    })
    const { records } = await log.exportJsonl(sink, { actor: 'app', filter })
    return { jsonl: parts.join(''), records }
  }

  async dispose(): Promise<void> {
    await this.closeReader()
  }

  /** The chosen log, opened once; undefined while the app's own log does not exist yet. */
  private async open(): Promise<AuditStore | undefined> {
    await this.load()
    if (this.reader) return this.reader
    if (this.source) {
      this.reader = await openAuditStore(this.source.url, { keyFile: this.source.keyFile, create: false, actor: 'app' })
    } else {
      if (!existsSync(this.deps.localFile)) return undefined
      this.reader = await openAuditStore(this.deps.localFile, { create: false, actor: 'app' })
    }
    return this.reader
  }

  private async closeReader(): Promise<void> {
    const r = this.reader
    this.reader = undefined
    await r?.close().catch(() => {})
  }

  private async load(): Promise<void> {
    if (this.loaded) return
    this.loaded = true
    if (!this.deps.backend.persistent) return
    let data: Buffer
    try {
      data = await fsp.readFile(this.file)
    } catch {
      return
    }
    try {
      const s = JSON.parse(await this.deps.backend.decrypt(data)) as PgSource
      if (typeof s.url === 'string' && typeof s.keyFile === 'string') this.source = s
    } catch {
      // unreadable (another machine's keyring): the app's own log is read until a source is chosen again
    }
  }
}
