import type { Assertion, BatchCell, BatchSnapshot } from '@shared/ipc/domains/compare'
import Papa from 'papaparse'

/**
 * A batch's matrix as CSV (one line per input: its columns, then for each
 * model its output, status, figures and assertion results) or as JSON (the
 * same, structured). Partial batches export what they have.
 */

export function describeAssertion(a: Assertion): string {
  switch (a.kind) {
    case 'contains':
      return `contains "${a.text}"${a.caseSensitive ? ' (case-sensitive)' : ''}`
    case 'regex':
      return `matches /${a.pattern}/${a.ignoreCase ? 'i' : ''}`
    case 'json':
      return 'valid JSON'
    case 'json_schema':
      return 'matches JSON schema'
    case 'max_latency':
      return `latency ≤ ${a.ms} ms`
  }
}

export function cellAt(snapshot: Pick<BatchSnapshot, 'cells'>, row: number, laneId: string): BatchCell | undefined {
  return snapshot.cells.find((c) => c.row === row && c.laneId === laneId)
}

/** Pass counts per column and assertion: passed of checked. */
export function passCounts(
  snapshot: Pick<BatchSnapshot, 'cells' | 'assertions' | 'lanes'>,
): Record<string, Record<string, { passed: number; checked: number }>> {
  const out: Record<string, Record<string, { passed: number; checked: number }>> = {}
  for (const lane of snapshot.lanes) {
    out[lane.laneId] = {}
    for (const a of snapshot.assertions) if (!a.laneId || a.laneId === lane.laneId) out[lane.laneId][a.id] = { passed: 0, checked: 0 }
  }
  for (const c of snapshot.cells) {
    for (const r of c.assertions) {
      const slot = out[c.laneId]?.[r.id]
      if (!slot) continue
      slot.checked++
      if (r.pass) slot.passed++
    }
  }
  return out
}

function laneHeading(snapshot: Pick<BatchSnapshot, 'lanes'>, laneId: string): string {
  const lane = snapshot.lanes.find((l) => l.laneId === laneId)!
  const same = snapshot.lanes.filter((l) => l.model === lane.model).length > 1
  return same ? `${lane.model} [${laneId}]` : lane.model
}

export function batchToCsv(snapshot: BatchSnapshot, inputs: readonly Record<string, string>[]): string {
  const inputColumns: string[] = []
  for (const r of inputs) for (const k of Object.keys(r)) if (!inputColumns.includes(k)) inputColumns.push(k)
  const header = ['row', ...inputColumns]
  for (const lane of snapshot.lanes) {
    const h = laneHeading(snapshot, lane.laneId)
    header.push(`${h} output`, `${h} status`, `${h} error`, `${h} latency_ms`, `${h} ttft_ms`, `${h} completion_tokens`, `${h} decode_tokens_per_sec`)
    for (const a of snapshot.assertions) if (!a.laneId || a.laneId === lane.laneId) header.push(`${h} ${describeAssertion(a)}`)
  }
  const lines: unknown[][] = []
  for (let row = 0; row < snapshot.rowCount; row++) {
    const line: unknown[] = [row + 1, ...inputColumns.map((c) => inputs[row]?.[c] ?? '')]
    for (const lane of snapshot.lanes) {
      const cell = cellAt(snapshot, row, lane.laneId)
      const m = cell?.metrics
      line.push(
        cell?.output ?? '',
        cell?.status ?? '',
        cell?.error?.message ?? '',
        num(m?.totalMs),
        num(m?.ttftMs),
        num(m?.completionTokens),
        num(m?.decodeTokensPerSec),
      )
      for (const a of snapshot.assertions) {
        if (a.laneId && a.laneId !== lane.laneId) continue
        const r = cell?.assertions.find((x) => x.id === a.id)
        line.push(r ? (r.pass ? 'pass' : 'fail') : '')
      }
    }
    lines.push(line)
  }
  // Excel needs \r\n and reads a leading BOM as "this is UTF-8".
  return '\uFEFF' + Papa.unparse({ fields: header, data: lines }, { newline: '\r\n' })
}

function num(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(Math.round(v * 100) / 100)
}

export function batchToJson(snapshot: BatchSnapshot, inputs: readonly Record<string, string>[], exportedAt = new Date()): string {
  return JSON.stringify(
    {
      format: 'wafer-console.batch',
      formatVersion: 1,
      exportedAt: exportedAt.toISOString(),
      batchId: snapshot.batchId,
      status: snapshot.progress.status,
      lanes: snapshot.lanes,
      assertions: snapshot.assertions.map((a) => ({ ...a, description: describeAssertion(a) })),
      passCounts: passCounts(snapshot),
      rows: Array.from({ length: snapshot.rowCount }, (_, row) => ({
        row: row + 1,
        input: inputs[row] ?? {},
        results: Object.fromEntries(snapshot.lanes.map((l) => [l.laneId, cellAt(snapshot, row, l.laneId) ?? null])),
      })),
    },
    null,
    2,
  )
}
