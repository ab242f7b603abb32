import { deprecationInfo } from '@shared/catalog/lookup'
import type { ActivePolicyStatus } from '@shared/ipc/domains/policies'
import { WaferError } from '@shared/ipc/errors'
import { compileChain, type CompiledChain, type LintOptions, lintPolicyText, PolicyCompileError, type PolicyConfig } from '@shared/policy'

import type { PolicyFileService } from './policy-files'

/**
 * The policy applied to the app's own requests (chosen in the status bar).
 * The choice is persisted; the file is compiled once and the compiled chain
 * cached until the file's size or modification time changes, so each
 * request costs one stat. A chosen file that cannot be used (gone, lint
 * errors) makes requests fail closed until it is fixed or unchosen: quietly
 * sending unchecked requests would defeat the point of choosing a policy.
 */

export interface LoadedPolicy {
  path: string
  name: string
  version: string
  config: PolicyConfig
  chain: CompiledChain
  warnings: number
  mtimeMs: number
  bytes: number
  loadedAt: number
}

export interface ActivePolicyDeps {
  files: PolicyFileService
  /** Where the choice is kept between runs (a UI-state key in SQLite). */
  store: { get(): unknown; set(value: unknown): void }
  /** Told whenever the status changes (chosen, reloaded, broken, fixed). */
  onChange?(status: ActivePolicyStatus): void
  clock?: () => number
  lintOptions?: LintOptions
}

/** Lint with the catalog's deprecations, as `wafer policy lint` does. */
export const defaultLintOptions: LintOptions = {
  deprecatedModel: (id) => {
    const d = deprecationInfo(id)
    return d ? { date: d.retiresOn, replacement: d.replacement, message: d.message } : undefined
  },
}

export class ActivePolicyService {
  private path: string | null = null
  private loaded: LoadedPolicy | null = null
  private error: string | null = null
  private refreshing: Promise<void> | null = null
  private readonly clock: () => number

  constructor(private readonly deps: ActivePolicyDeps) {
    this.clock = deps.clock ?? (() => Date.now())
    const saved = safeGet(deps.store)
    if (saved && typeof saved === 'object' && typeof (saved as { path?: unknown }).path === 'string') {
      this.path = (saved as { path: string }).path
    }
  }

  /** The current status, checking the file first. */
  async status(): Promise<ActivePolicyStatus> {
    await this.refresh()
    return this.snapshot()
  }

  /**
   * Choose a file (null: none). A file that does not load is refused with
   * its first errors and line numbers; the previous choice stays.
   */
  async activate(input: string | null): Promise<ActivePolicyStatus> {
    if (input === null) {
      this.path = null
      this.loaded = null
      this.error = null
      this.deps.store.set({ path: null })
      return this.changed()
    }
    const p = this.deps.files.resolve(input)
    const loaded = await this.load(p)
    this.path = p
    this.loaded = loaded
    this.error = null
    this.deps.store.set({ path: p })
    return this.changed()
  }

  /**
   * For each request: the compiled policy, null when none is chosen. Throws
   * a policy_blocked error when one is chosen but cannot be used.
   */
  async current(): Promise<LoadedPolicy | null> {
    if (this.path === null) return null
    await this.refresh()
    if (this.loaded && !this.error) return this.loaded
    throw new WaferError(
      'policy_blocked',
      `The policy ${this.path} cannot be used (${this.error ?? 'it did not load'}), so nothing was sent. Fix the file in Policies, or choose another policy in the status bar.`,
      { stage: 'input', code: 'policy_unavailable', policy: null, file: this.path, pack: null },
    )
  }

  /** After the editor saved a file: reload now if it is the active one, so the status bar is current. */
  async noteWritten(p: string): Promise<void> {
    if (this.path !== null && p === this.path) await this.refresh()
  }

  snapshot(): ActivePolicyStatus {
    const l = this.loaded
    return {
      path: this.path,
      name: l?.name ?? null,
      version: l?.version ?? null,
      chain: l ? [...l.chain.kinds] : [],
      ok: this.path === null || (!!l && !this.error),
      error: this.error,
      warnings: l?.warnings ?? 0,
      loadedAt: l?.loadedAt ?? null,
    }
  }

  private changed(): ActivePolicyStatus {
    const status = this.snapshot()
    try {
      this.deps.onChange?.(status)
    } catch {
      // A window that went away must not break the choice.
    }
    return status
  }

  /** Reload when the file changed (one at a time; concurrent requests share it). */
  private refresh(): Promise<void> {
    if (this.path === null) return Promise.resolve()
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null))
    return this.refreshing
  }

  private async doRefresh(): Promise<void> {
    const p = this.path
    if (p === null) return
    const st = await this.deps.files.stat(p)
    const before = `${this.error}|${this.loaded?.loadedAt}`
    if (!st) {
      this.error = `the file ${p} is gone`
    } else if (!this.loaded || this.loaded.path !== p || this.loaded.mtimeMs !== st.mtimeMs || this.loaded.bytes !== st.bytes || this.error) {
      try {
        this.loaded = await this.load(p)
        this.error = null
      } catch (err) {
        this.error = err instanceof Error ? err.message : String(err)
      }
    }
    if (this.path === p && `${this.error}|${this.loaded?.loadedAt}` !== before) this.changed()
  }

  private async load(p: string): Promise<LoadedPolicy> {
    const file = await this.deps.files.read(p)
    const lint = lintPolicyText(file.text, this.deps.lintOptions ?? defaultLintOptions)
    if (!lint.ok || !lint.config) {
      const errors = lint.findings.filter((f) => f.severity === 'error')
      const shown = errors
        .slice(0, 3)
        .map((f) => `line ${f.line}:${f.column} ${f.code} ${f.message}`)
        .join('; ')
      throw new WaferError('bad_request', `${p} has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${shown}${errors.length > 3 ? '; …' : ''}`, {
        path: p,
        findings: errors.slice(0, 20).map(({ code, message, line, column }) => ({ code, message, line, column })),
      })
    }
    let chain: CompiledChain
    try {
      chain = compileChain(lint.config)
    } catch (err) {
      if (err instanceof PolicyCompileError) throw new WaferError('bad_request', `${p} cannot run: ${err.issues.join('; ')}`, { path: p })
      throw err
    }
    return {
      path: p,
      name: lint.config.pack?.name ?? '(unnamed)',
      version: String(lint.config.pack?.version ?? ''),
      config: lint.config,
      chain,
      warnings: lint.warnings,
      mtimeMs: file.mtimeMs,
      bytes: file.bytes,
      loadedAt: this.clock(),
    }
  }
}

function safeGet(store: { get(): unknown }): unknown {
  try {
    return store.get()
  } catch {
    return null
  }
}
