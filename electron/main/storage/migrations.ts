import type { Migration } from './database'

/**
 * The app database's schema history. Append new migrations with the next
 * number; never edit one that has shipped.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'ui state',
    up: (db) => {
      // Small JSON documents the renderer asks main to keep (drafts, layouts).
      db.exec(`CREATE TABLE ui_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`)
    },
  },
]
