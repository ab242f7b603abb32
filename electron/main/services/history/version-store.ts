import { PromptDoc, type PromptVersion, type PromptVersionSummary } from '@shared/ipc/domains/history'
import { formatZodError, WaferError } from '@shared/ipc/errors'
import type Database from 'libsql'

/**
 * Named prompt versions: each save under a name becomes that name's next
 * version (1, 2, 3…), holding the whole prompt document (system, messages,
 * parameters, variables). Versions are never edited, only added or deleted.
 */

interface VersionRow {
  id: number
  name: string
  version: number
  note: string | null
  created_at: number
  model: string
  message_count: number
}

const SUMMARY = 'id, name, version, note, created_at, model, message_count'

export interface SaveVersionInput {
  name: string
  note?: string | null
  prompt: unknown
  /** Kept when importing; defaults to now. */
  createdAt?: number
}

export class PromptVersionStore {
  private readonly nextVersion
  private readonly insert
  private readonly byId
  private readonly dataById
  private readonly remove

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.nextVersion = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM prompt_versions WHERE name = ?')
    this.insert = db.prepare('INSERT INTO prompt_versions (name, version, note, created_at, model, message_count, data) VALUES (?, ?, ?, ?, ?, ?, ?)')
    this.byId = db.prepare(`SELECT ${SUMMARY} FROM prompt_versions WHERE id = ?`)
    this.dataById = db.prepare(`SELECT ${SUMMARY}, data FROM prompt_versions WHERE id = ?`)
    this.remove = db.prepare('DELETE FROM prompt_versions WHERE id = ?')
  }

  save(input: SaveVersionInput): PromptVersionSummary {
    const name = input.name.trim()
    if (!name) throw new WaferError('bad_request', 'Give the version a name.')
    const parsed = PromptDoc.safeParse(input.prompt)
    if (!parsed.success) throw new WaferError('bad_request', `Cannot save the prompt: ${formatZodError(parsed.error)}`)
    const prompt = parsed.data
    const note = input.note?.trim() ? input.note.trim() : null
    const id = this.db.transaction(() => {
      const version = (this.nextVersion.get(name) as { v: number }).v
      const info = this.insert.run(name, version, note, input.createdAt ?? this.now(), prompt.params.model, prompt.messages.length, JSON.stringify(prompt))
      return Number(info.lastInsertRowid)
    })()
    return toSummary(this.byId.get(id) as VersionRow)
  }

  /** Newest first; one name's versions when `name` is given. */
  list(name?: string): PromptVersionSummary[] {
    const rows = (
      name === undefined
        ? this.db.prepare(`SELECT ${SUMMARY} FROM prompt_versions ORDER BY created_at DESC, id DESC LIMIT 5000`).all()
        : this.db.prepare(`SELECT ${SUMMARY} FROM prompt_versions WHERE name = ? ORDER BY version DESC`).all(name)
    ) as VersionRow[]
    return rows.map(toSummary)
  }

  get(id: number): PromptVersion {
    const row = this.dataById.get(id) as (VersionRow & { data: string }) | undefined
    if (!row) throw new WaferError('not_found', `No prompt version with id ${id}.`)
    return { ...toSummary(row), prompt: PromptDoc.parse(JSON.parse(row.data)) }
  }

  delete(id: number): boolean {
    return this.remove.run(id).changes > 0
  }
}

function toSummary(r: VersionRow): PromptVersionSummary {
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    note: r.note,
    createdAt: r.created_at,
    model: r.model,
    messageCount: r.message_count,
  }
}
