import { EXPORT_FORMAT_RUN, EXPORT_FORMAT_VERSION, RunExport, VersionExport } from '@shared/ipc/domains/history'
import { formatZodError, WaferError } from '@shared/ipc/errors'

import type { HistoryStore } from './history-store'
import type { PromptVersionStore } from './version-store'

/**
 * Runs and prompt versions as self-describing JSON files (`format` +
 * `formatVersion`), and reading them back. An import never overwrites: a run
 * whose id is taken gets a new one.
 */

export interface ExportedFile {
  filename: string
  json: string
}

export type ImportResult = { kind: 'run'; id: string } | { kind: 'version'; id: number; name: string; version: number }

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'untitled'
  )
}

function stamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}

export class HistoryTransfer {
  constructor(
    private readonly runs: HistoryStore,
    private readonly versions: PromptVersionStore,
    private readonly now: () => number = () => Date.now(),
  ) {}

  exportRun(id: string): ExportedFile {
    const run = this.runs.getRun(id)
    const file = { format: EXPORT_FORMAT_RUN, formatVersion: 1, exportedAt: new Date(this.now()).toISOString(), run }
    return { filename: `run-${slug(run.request.model)}-${stamp(run.startedAt)}.json`, json: JSON.stringify(file, null, 2) }
  }

  exportVersion(id: number): ExportedFile {
    const v = this.versions.get(id)
    const file = {
      format: EXPORT_FORMAT_VERSION,
      formatVersion: 1,
      exportedAt: new Date(this.now()).toISOString(),
      version: { name: v.name, version: v.version, note: v.note, createdAt: v.createdAt, prompt: v.prompt },
    }
    return { filename: `prompt-${slug(v.name)}-v${v.version}.json`, json: JSON.stringify(file, null, 2) }
  }

  import(json: string): ImportResult {
    let data: unknown
    try {
      data = JSON.parse(json)
    } catch (err) {
      throw new WaferError('bad_request', `The file is not JSON: ${err instanceof Error ? err.message : String(err)}`)
    }
    const format = typeof data === 'object' && data !== null ? (data as { format?: unknown }).format : undefined
    if (format === EXPORT_FORMAT_RUN) {
      const parsed = RunExport.safeParse(data)
      if (!parsed.success) throw new WaferError('bad_request', `The run file is not valid: ${formatZodError(parsed.error)}`)
      const { savedAt, ...run } = parsed.data.run
      const id = this.freeRunId(run.id)
      this.runs.saveRun({ ...run, id }, savedAt)
      return { kind: 'run', id }
    }
    if (format === EXPORT_FORMAT_VERSION) {
      const parsed = VersionExport.safeParse(data)
      if (!parsed.success) throw new WaferError('bad_request', `The prompt version file is not valid: ${formatZodError(parsed.error)}`)
      const v = parsed.data.version
      // It becomes the next version under its name here; the original number is kept in the note.
      const origin = v.version !== undefined ? `imported from v${v.version}` : 'imported'
      const saved = this.versions.save({
        name: v.name,
        note: v.note ? `${v.note} (${origin})` : origin,
        prompt: v.prompt,
      })
      return { kind: 'version', id: saved.id, name: saved.name, version: saved.version }
    }
    throw new WaferError('bad_request', `Not a Wafer Console export: expected "format" to be "${EXPORT_FORMAT_RUN}" or "${EXPORT_FORMAT_VERSION}".`)
  }

  private freeRunId(id: string): string {
    if (!this.runs.has(id)) return id
    const base = id.slice(0, 88)
    for (let n = 1; ; n++) {
      const candidate = `${base}-import${n}`
      if (!this.runs.has(candidate)) return candidate
    }
  }
}
