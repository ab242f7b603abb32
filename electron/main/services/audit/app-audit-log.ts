import type { PolicyConfig } from '@shared/policy'

import { type AuditSink, inThreadSink } from './sink'
import { type AuditLog, openAuditLog } from './store'

/**
 * The app's own writer to its audit log, for chat requests made under a
 * policy whose chain has audit-logger (the in-app gateway writes the same
 * file from its writer thread; the log takes both). Opened on first use,
 * with the settings of the policy that asked; a log that cannot be opened
 * is reported once and the requests go on unrecorded. In this thread: a
 * playground request costs the commit ~0.2 ms, far below what one request
 * takes.
 */
export class AppAuditLog {
  private log: AuditLog | undefined
  private sinkFor: AuditSink | undefined
  private failed: string | undefined

  constructor(
    readonly file: string,
    private readonly report: (message: string) => void,
  ) {}

  sink(config: PolicyConfig): AuditSink | null {
    if (this.sinkFor) return this.sinkFor
    if (this.failed) return null
    const cfg = (config.policy?.['audit-logger'] ?? {}) as { retention_days?: number; log_all_access?: boolean; hipaa_audit_controls?: boolean }
    try {
      this.log = openAuditLog({
        file: this.file,
        retentionDays: cfg.retention_days,
        logAllAccess: cfg.log_all_access,
        durability: cfg.hipaa_audit_controls ? 'full' : 'normal',
        actor: 'app',
        onError: (err) => this.report(`The audit log could not record a request: ${err.message}`),
      })
      this.sinkFor = inThreadSink(this.log)
      return this.sinkFor
    } catch (err) {
      this.failed = err instanceof Error ? err.message : String(err)
      this.report(`Requests are not being recorded in the audit log (${this.failed}).`)
      return null
    }
  }

  close(): void {
    this.log?.close()
    this.log = undefined
    this.sinkFor = undefined
  }
}
