import { AuditQuery } from '@shared/audit/types'
import { WaferError } from '@shared/ipc/errors'

export const DEFAULT_PAGE = 100

export interface CompiledQuery {
  /** Appended after `SELECT … FROM audit_records`. */
  where: string
  params: unknown[]
  limit: number
}

const toMs = (t: number | string): number => (typeof t === 'number' ? t : Date.parse(t))

/** `nextCursor` values are `s<seq>`: opaque to callers, and a page never shifts when new records arrive. */
export function encodeCursor(seq: number): string {
  return `s${seq}`
}

function decodeCursor(c: string): number {
  const m = /^s(\d{1,15})$/.exec(c)
  if (!m) throw new WaferError('bad_request', 'Invalid audit cursor: pass the nextCursor of a previous page')
  return Number(m[1])
}

/** SQL true when the request_started row in `audit_records` (unaliased) has its request_completed record. */
export const COMPLETED =
  "EXISTS (SELECT 1 FROM audit_records c WHERE c.request_id = audit_records.request_id AND c.kind = 'request_completed' AND c.seq > audit_records.seq)"

/** The select list of a browse page: the record's columns and, for request_started rows, whether they finished. */
export const FINISHED_COLUMN = `CASE WHEN kind = 'request_started' THEN ${COMPLETED} END AS finished`

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => '\\' + ch)

/**
 * Compiles a browse/filter request into SQL over indexed columns, newest
 * first. `textHash` is the salted hash of `q.text`, so a search for a raw
 * value finds the findings it produced without the value being stored.
 */
export function compileQuery(raw: unknown, textHash: (text: string) => string): CompiledQuery & { parsed: AuditQuery } {
  const parsed = AuditQuery.safeParse(raw ?? {})
  if (!parsed.success) {
    throw new WaferError(
      'bad_request',
      `Invalid audit query: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
        .join('; ')}`,
    )
  }
  const q = parsed.data
  const clauses: string[] = []
  const params: unknown[] = []
  if (q.from !== undefined) {
    clauses.push('time >= ?')
    params.push(toMs(q.from))
  }
  if (q.to !== undefined) {
    clauses.push('time < ?')
    params.push(toMs(q.to))
  }
  if (q.requestId !== undefined) {
    clauses.push('request_id = ?')
    params.push(q.requestId)
  }
  const inList = (column: string, v: string | string[]) => {
    const list = Array.isArray(v) ? v : [v]
    clauses.push(`${column} IN (${list.map(() => '?').join(', ')})`)
    params.push(...list)
  }
  if (q.kind !== undefined) inList('kind', q.kind)
  if (q.unfinished) clauses.push(`kind = 'request_started' AND NOT ${COMPLETED}`)
  if (q.verdict !== undefined) inList('verdict', q.verdict)
  if (q.text !== undefined) {
    const like = `%${escapeLike(q.text.toLowerCase())}%`
    const columns = ['request_id', 'client', 'target', 'model', 'kind', 'verdicts', 'findings', 'detail']
    const textual = columns.map((c) => `lower(coalesce(${c}, '')) LIKE ? ESCAPE '\\'`)
    // A finding also matches the raw value it came from, through its salted hash (hex: nothing in it for LIKE to escape).
    clauses.push(`(${textual.join(' OR ')} OR findings LIKE ?)`)
    params.push(...columns.map(() => like), `%${textHash(q.text)}%`)
  }
  if (q.cursor !== undefined) {
    clauses.push('seq < ?')
    params.push(decodeCursor(q.cursor))
  }
  return {
    where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '',
    params,
    limit: q.limit ?? DEFAULT_PAGE,
    parsed: q,
  }
}
