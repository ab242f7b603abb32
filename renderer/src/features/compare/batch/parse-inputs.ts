import Papa from 'papaparse'

/**
 * Batch inputs from a CSV (first line is the header: column names become
 * {{variables}}) or JSON Lines (one object per line; a JSON array of objects
 * is accepted too). Every value becomes a string, as a prompt needs it.
 * Problems name the line, and rows that parsed are never thrown away
 * because a later one did not.
 */

export const MAX_ROWS = 5000

export interface ParsedInputs {
  format: 'csv' | 'jsonl'
  rows: Record<string, string>[]
  columns: string[]
  /** One line each, e.g. "line 4: not valid JSON (Unexpected token)". */
  problems: string[]
}

export function detectFormat(text: string, fileName?: string): 'csv' | 'jsonl' {
  if (fileName && /\.(jsonl|ndjson|json)$/i.test(fileName)) return 'jsonl'
  if (fileName && /\.(csv|tsv)$/i.test(fileName)) return 'csv'
  const first = text.trimStart()[0]
  return first === '{' || first === '[' ? 'jsonl' : 'csv'
}

export function parseInputs(text: string, fileName?: string): ParsedInputs {
  const format = detectFormat(text, fileName)
  const result = format === 'jsonl' ? parseJsonl(text) : parseCsv(text)
  if (result.rows.length > MAX_ROWS) {
    result.problems.unshift(`${result.rows.length} rows: only the first ${MAX_ROWS} are used.`)
    result.rows = result.rows.slice(0, MAX_ROWS)
  }
  const columns: string[] = []
  for (const r of result.rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k)
  return { format, rows: result.rows, columns, problems: result.problems }
}

function stringify(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

function parseCsv(text: string): { rows: Record<string, string>[]; problems: string[] } {
  const parsed = Papa.parse<Record<string, unknown>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim(),
  })
  const problems: string[] = []
  for (const e of parsed.errors.slice(0, 20)) {
    // Papa counts data rows from 0; the header is line 1.
    const line = typeof e.row === 'number' ? `line ${e.row + 2}: ` : ''
    problems.push(`${line}${e.message}`)
  }
  const fields = (parsed.meta.fields ?? []).filter((f) => f !== '')
  if (fields.length === 0 && text.trim()) problems.push('The first line should name the columns (e.g. "city,country").')
  const rows = parsed.data.map((r) => {
    const row: Record<string, string> = {}
    for (const f of fields) row[f] = stringify(r[f])
    return row
  })
  return { rows, problems }
}

function parseJsonl(text: string): { rows: Record<string, string>[]; problems: string[] } {
  const trimmed = text.trim()
  const problems: string[] = []
  const rows: Record<string, string>[] = []
  const take = (value: unknown, where: string) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${where}: expected an object like {"city": "Oslo"}`)
      return
    }
    const row: Record<string, string> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) row[k] = stringify(v)
    rows.push(row)
  }
  if (trimmed.startsWith('[')) {
    try {
      const arr = JSON.parse(trimmed) as unknown
      if (Array.isArray(arr)) {
        arr.forEach((v, i) => take(v, `item ${i + 1}`))
        return { rows, problems }
      }
    } catch {
      // Not one JSON array: read it line by line below, which names the bad line.
    }
  }
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return
    try {
      take(JSON.parse(line), `line ${i + 1}`)
    } catch (err) {
      problems.push(`line ${i + 1}: not valid JSON (${err instanceof Error ? err.message : String(err)})`)
    }
  })
  return { rows, problems: problems.slice(0, 50) }
}
