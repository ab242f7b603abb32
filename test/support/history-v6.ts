import { earlierText, outputPreview, outputText, promptPreview, turnText } from '@main/services/history/run-text'
import { openDatabase, type OpenedDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import { RunInput } from '@shared/ipc/domains/history'

/**
 * A database as schema 6 (before migration 7) kept runs, and a writer that
 * saves runs as that version's store did: one row per run with the whole
 * record as JSON, its own turn, its answer and the chat's earlier turns as
 * text, and the search index over the three. For the migration test and for
 * measuring the old layout next to the new one.
 */

export function openSchema6(file: string): OpenedDatabase {
  return openDatabase(
    file,
    migrations.filter((m) => m.version <= 6),
  )
}

/** Save runs as the schema-6 store did (rid from the start time; demo runs marked; the endpoint in its side table). */
export function saveRunsV6(opened: OpenedDatabase, inputs: readonly RunInput[], savedAt = 1_770_000_000_000): void {
  const db = opened.db
  const insert = db.prepare(`INSERT INTO runs (rid, id, started_at, saved_at, source, group_id, model, status, is_error, error_code,
    ttft_ms, decode_tps, prompt_tokens, completion_tokens, cost_usd,
    prompt_preview, output_preview, turn_text, output_text, earlier_text, data) VALUES (${Array.from({ length: 21 }, () => '?').join(', ')})`)
  const lastRid = db.prepare('SELECT MAX(rid) AS rid FROM runs WHERE rid >= ? AND rid < ?')
  const markDemo = db.prepare('INSERT OR IGNORE INTO demo_runs (id) VALUES (?)')
  const setEndpoint = db.prepare('INSERT OR REPLACE INTO run_endpoints (id, kind, host) VALUES (?, ?, ?)')
  db.transaction(() => {
    for (const input of inputs) {
      const run = RunInput.parse(input)
      const base = run.startedAt * 1024
      const last = (lastRid.get(base, base + 1024) as { rid: number | null }).rid
      const m = run.metrics
      insert.run(
        last === null ? base : last + 1,
        run.id,
        run.startedAt,
        savedAt,
        run.source,
        run.groupId,
        run.request.model,
        run.status,
        run.status === 'error' ? 1 : 0,
        run.error?.code ?? null,
        m?.ttftMs ?? null,
        m?.serverDecodeTokensPerSec ?? null,
        run.usage?.prompt_tokens ?? null,
        run.usage?.completion_tokens ?? null,
        run.costUsd,
        promptPreview(run),
        outputPreview(run),
        turnText(run),
        outputText(run),
        earlierText(run),
        JSON.stringify(run),
      )
      if (run.demo) markDemo.run(run.id)
      const endpoint = run.endpoint ?? (run.demo ? { kind: 'demo' as const, host: '' } : null)
      if (endpoint) setEndpoint.run(run.id, endpoint.kind, endpoint.host)
    }
  })()
}
