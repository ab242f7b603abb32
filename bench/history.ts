// npm run bench -- history [--json] [--runs N]: History at scale. A database
// of 100,000 generated runs in chats of 1–20 turns (written straight through
// the store, in transactions of a few thousand runs) behind `npm run web`;
// Chromium scrolls the History list from top to bottom (main-thread tasks from
// a Chromium trace, the page's element count sampled every frame), then opens
// the oldest run. Search and storage are measured on the store itself.
// WAFER_BENCH_HISTORY_DB=<file>: the filled database is kept in that file and
// reused by later runs (a copy is served), instead of minutes of filling each
// time; a file that holds another number of runs is refused.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { Browser, Page } from 'playwright-core'

import { HistoryStore } from '../electron/main/services/history/history-store'
import { openDatabase } from '../electron/main/storage/database'
import { migrations } from '../electron/main/storage/migrations'
import { launchBrowser } from '../test/support/browser'
import { chatRuns, vocabulary } from '../test/support/history-fill'
import { openSchema6, saveRunsV6 } from '../test/support/history-v6'
import { startWebHost } from '../test/support/web-host'
import { buildProductionRenderer, longTaskBreakdown, rendererTasks, startTrace } from './render'
import { type BenchOptions, type BenchRow, row } from './types'

const S = 'history'
/** Targets from issue 17. */
const LONG_TASK_TARGET_MS = 50
const DOM_NODES_TARGET = 1500
const SEARCH_TARGET_MS = 50
const OPEN_TARGET_MS = 100
const BYTES_RATIO_TARGET = 1.5

const BATCH = 5000

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]
}

/** Write `count` generated runs into the database file through the store, a batch per transaction. */
function fill(file: string, count: number, log: (l: string) => void): { firstId: string; lastId: string } {
  const opened = openDatabase(file, migrations)
  const store = new HistoryStore(opened.db)
  const started = Date.now()
  let batch: Parameters<HistoryStore['saveRuns']>[0][number][] = []
  let firstId = ''
  let lastId = ''
  let n = 0
  for (const run of chatRuns(count, { maxTurns: 20, promptWords: 12, answerWords: 30 })) {
    if (!firstId) firstId = run.id
    lastId = run.id
    batch.push(run)
    if (batch.length === BATCH) {
      store.saveRuns(batch)
      n += batch.length
      batch = []
      if (n % 20_000 === 0) log(`  ${n} runs written (${((Date.now() - started) / 1000).toFixed(0)} s)`)
    }
  }
  if (batch.length) store.saveRuns(batch)
  opened.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
  opened.close()
  log(`filled ${count} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return { firstId, lastId }
}

/**
 * p95 of a one-word search (the first page, as the list asks for it) over 40
 * words of varied frequency: the run's own turn and answer (the default), or
 * with the earlier turns too (what every search matched before).
 */
function searchP95(file: string, includeEarlier = false): number {
  const opened = openDatabase(file, migrations)
  const store = new HistoryStore(opened.db)
  const words = vocabulary()
  // From the most common words to rare ones (the generator draws word i with falling probability).
  const picks = Array.from({ length: 40 }, (_, i) => words[Math.floor((i / 40) ** 2 * words.length)])
  store.listRuns({ text: picks[0], limit: 50, includeEarlier })
  const times: number[] = []
  for (const w of picks) {
    const t0 = performance.now()
    store.listRuns({ text: w, limit: 50, includeEarlier })
    times.push(performance.now() - t0)
  }
  opened.close()
  return p95(times)
}

/** The oldest run of a database filled earlier, after checking it holds `count` runs. */
function filledRuns(file: string, count: number): string {
  const opened = openDatabase(file, migrations)
  try {
    const { n } = opened.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }
    if (n !== count) throw new Error(`${file} holds ${n} runs, not ${count}: remove it or pass --runs ${n}`)
    const oldest = opened.db.prepare('SELECT id FROM runs ORDER BY started_at, id LIMIT 1').get() as { id: string }
    opened.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    return oldest.id
  } finally {
    opened.close()
  }
}

type RunBatch = Parameters<HistoryStore['saveRuns']>[0]

/**
 * Bytes the database grows per run for 10-turn chats of 1,000-token answers
 * (about 4,000 characters each), against the bytes of each run's new text:
 * its own prompt turn and its answer. `layout` 'v6' writes the rows as the
 * schema-6 store did (every run kept the whole chat), 'current' through the
 * store: the two measured in the same run.
 */
export function bytesPerRun(dir: string, layout: 'v6' | 'current'): { grown: number; newText: number } {
  const file = path.join(dir, `bytes-${layout}.db`)
  const opened = layout === 'v6' ? openSchema6(file) : openDatabase(file, migrations)
  const store = layout === 'current' ? new HistoryStore(opened.db) : null
  const save = (runs: RunBatch) => (store ? store.saveRuns(runs) : saveRunsV6(opened, runs))
  const size = () => {
    opened.db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    const pages = (opened.db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count
    const pageSize = (opened.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size
    return pages * pageSize
  }
  // A first chat, unmeasured, so the tables and indexes have their first pages.
  save([...chatRuns(10, { maxTurns: 1, promptWords: 60, answerWords: 700 }, { seed: 3, idPrefix: 'warm' })])
  const before = size()
  const chats = 20
  let newText = 0
  let runs = 0
  for (let c = 0; c < chats; c++) {
    const messages: { role: 'user' | 'assistant'; content: string }[] = []
    const gen = chatRuns(10, { maxTurns: 1, promptWords: 60, answerWords: 700 }, { seed: 100 + c, idPrefix: `b${c}` })
    for (let t = 0; t < 10; t++) {
      const one = gen.next().value as ReturnType<typeof chatRuns> extends Generator<infer R> ? R : never
      const prompt = (one.request.messages[0].content as string) ?? ''
      messages.push({ role: 'user', content: prompt })
      save([
        {
          ...one,
          id: `bytes-${c}-${t}`,
          startedAt: Date.UTC(2026, 1, 1) + (c * 10 + t) * 1000,
          request: { ...one.request, messages: [...messages] },
        },
      ])
      newText += Buffer.byteLength(prompt) + Buffer.byteLength(one.response.content)
      messages.push({ role: 'assistant', content: one.response.content })
      runs++
    }
  }
  const grown = size() - before
  opened.close()
  return { grown: grown / runs, newText: newText / runs }
}

interface ScrollResult {
  longestTaskMs: number
  tasksOver50: number
  maxNodes: number
  loaded: number
  scrollMs: number
  openOldestMs: number
}

async function scrollAndOpen(page: Page, total: number, oldestId: string, log: (l: string) => void): Promise<ScrollResult> {
  await page.getByTestId('nav-history').click()
  await page.getByTestId('history-row').first().waitFor({ timeout: 60_000 })
  const cdp = await page.context().newCDPSession(page)
  const stopTrace = await startTrace(cdp)
  // In the page: scroll the list a screenful and more each frame until every run is loaded and the last is in view.
  const scrolled = (await page.evaluate(`(async () => {
    const list = document.querySelector('[data-testid="history-list"]')
    const t0 = performance.now()
    let maxNodes = document.getElementsByTagName('*').length
    for (;;) {
      list.scrollTop += 6000
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))
      maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length)
      const loaded = Number(list.dataset.count)
      const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 2
      if (loaded >= ${total} && atEnd && list.getAttribute('aria-busy') === 'false') return { maxNodes, loaded, ms: performance.now() - t0 }
      if (performance.now() - t0 > 900000) return { maxNodes, loaded, ms: performance.now() - t0 }
    }
  })()`)) as { maxNodes: number; loaded: number; ms: number }
  // Open the oldest run: from the click to its prompt on screen.
  const openOldestMs = (await page.evaluate(`(async () => {
    const row = document.querySelector('[data-testid="history-row"][data-run-id="${oldestId}"]')
    if (!row) return -1
    const t0 = performance.now()
    row.click()
    for (;;) {
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))
      const detail = document.querySelector('[data-testid="run-detail"]')
      if (detail && detail.getAttribute('data-run-id') === '${oldestId}') return performance.now() - t0
      if (performance.now() - t0 > 30000) return -1
    }
  })()`)) as number
  const trace = await stopTrace()
  const tasks = rendererTasks(trace)
  await cdp.detach()
  const result = {
    longestTaskMs: tasks.reduce((max, t) => Math.max(max, t), tasks.length ? 0 : NaN),
    tasksOver50: tasks.filter((t) => t > LONG_TASK_TARGET_MS).length,
    maxNodes: scrolled.maxNodes,
    loaded: scrolled.loaded,
    scrollMs: scrolled.ms,
    openOldestMs,
  }
  log(
    `history scroll: ${result.loaded} runs loaded in ${(result.scrollMs / 1000).toFixed(1)} s; at most ${result.maxNodes} elements; ` +
      `${tasks.length} tasks, longest ${result.longestTaskMs.toFixed(1)} ms (${result.tasksOver50} over 50 ms); oldest opened in ${openOldestMs.toFixed(0)} ms`,
  )
  if (tasks.some((t) => t > LONG_TASK_TARGET_MS)) log(`  long tasks spent: ${longTaskBreakdown(trace)}`)
  return result
}

export default async function history(opts: BenchOptions): Promise<BenchRow[]> {
  const i = opts.args.indexOf('--runs')
  const total = i >= 0 ? Number(opts.args[i + 1]) : 100_000
  buildProductionRenderer(opts.log)
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'wafer-history-bench-'))
  const bytes = bytesPerRun(scratch, 'current')
  const bytesV6 = bytesPerRun(scratch, 'v6')
  opts.log(
    `bytes per run (10-turn chats, ~1,000-token answers): ${bytes.grown.toFixed(0)} B grown for ${bytes.newText.toFixed(0)} B of new text ` +
      `(schema-6 layout, same runs: ${bytesV6.grown.toFixed(0)} B)`,
  )
  const kept = process.env.WAFER_BENCH_HISTORY_DB
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'wafer-history-bench-data-'))
  const file = path.join(userDataDir, 'wafer.db')
  let firstId: string
  if (kept && existsSync(kept)) {
    firstId = filledRuns(kept, total)
    copyFileSync(kept, file)
    opts.log(`reusing the ${total} runs filled in ${kept}`)
  } else {
    firstId = fill(kept ?? file, total, opts.log).firstId
    if (kept) copyFileSync(kept, file)
  }
  const host = await startWebHost({}, { userDataDir })
  let browser: Browser | undefined
  try {
    const search = searchP95(file)
    const searchAll = searchP95(file, true)
    opts.log(`one-word search, first page: p95 ${search.toFixed(1)} ms (${searchAll.toFixed(1)} ms with earlier turns)`)
    browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(host.url)
    const scroll = await scrollAndOpen(page, total, firstId, opts.log)
    if (errors.length) opts.log(`page errors: ${errors.join(' | ')}`)
    // Each figure's baseline is its target (ratio ≤ 1 meets it), except bytes per run: its baseline is the run's new text.
    const k = total >= 1000 ? `${Math.round(total / 1000)}k` : String(total)
    return [
      row(S, `history.scroll_${k}.longest_task_ms`, scroll.longestTaskMs, 'ms', LONG_TASK_TARGET_MS),
      row(S, `history.scroll_${k}.dom_nodes`, scroll.maxNodes, 'count', DOM_NODES_TARGET),
      row(S, `history.scroll_${k}.tasks_over_50ms`, scroll.tasksOver50, 'count'),
      row(S, `history.scroll_${k}.loaded_runs`, scroll.loaded, 'count', total),
      row(S, `history.scroll_${k}.scroll_ms`, scroll.scrollMs, 'ms'),
      row(S, 'history.search_p95_ms', search, 'ms', SEARCH_TARGET_MS),
      row(S, 'history.search_p95_ms.with_earlier_turns', searchAll, 'ms', SEARCH_TARGET_MS),
      row(S, 'history.open_oldest_ms', scroll.openOldestMs, 'ms', OPEN_TARGET_MS),
      row(S, 'history.bytes_per_run', bytes.grown, 'B', bytes.newText),
      row(S, 'history.bytes_per_run.schema6_layout', bytesV6.grown, 'B', bytes.newText),
      row(S, 'history.bytes_per_run.target_ratio', BYTES_RATIO_TARGET, 'ratio'),
    ]
  } finally {
    await browser?.close()
    await host.stop()
    rmSync(scratch, { recursive: true, force: true })
  }
}
