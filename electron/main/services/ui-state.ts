import type Database from 'libsql'

/** Small JSON documents the renderer keeps in main (drafts, layouts). */
export class UiStateStore {
  private readonly getStmt
  private readonly setStmt

  constructor(
    db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.getStmt = db.prepare('SELECT value, updated_at FROM ui_state WHERE key = ?')
    this.setStmt = db.prepare(
      'INSERT INTO ui_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
  }

  get(key: string): { value: unknown; updatedAt: string | null } {
    const row = this.getStmt.get(key) as { value: string; updated_at: string } | undefined
    if (!row) return { value: null, updatedAt: null }
    return { value: JSON.parse(row.value) as unknown, updatedAt: row.updated_at }
  }

  set(key: string, value: unknown): { updatedAt: string } {
    const updatedAt = this.now().toISOString()
    this.setStmt.run(key, JSON.stringify(value ?? null), updatedAt)
    return { updatedAt }
  }
}
