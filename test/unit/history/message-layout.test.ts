import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { HistoryStore, HistoryTransfer, PromptVersionStore } from '@main/services/history'
import { MessageStore } from '@main/services/history/message-store'
import { HistoryRetention } from '@main/services/history/retention'
import { openDatabase, type OpenedDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import type { ChatMessage } from '@shared/ipc/domains/chat'
import { type PromptMessage, type RunInput, RunInput as RunInputSchema } from '@shared/ipc/domains/history'
import { afterEach, describe, expect, it } from 'vitest'

import { openSchema6, saveRunsV6 } from '../../support/history-v6'
import { freshDatabase, promptDoc, runInput } from './helpers'

// Each message is stored once (migration 7): a run keeps its own turn, its
// answer and its figures, and refers to the messages it sent again. What a
// run shows when reopened, exported or searched is what it was saved with.

let opened: OpenedDatabase | undefined
afterEach(() => opened?.close())

const long = (word: string, n = 40) => Array.from({ length: n }, (_, i) => `${word}${i % 7}`).join(' ')

/** A chat as the playground saves it: each run sends the turns and answers before it again, and keeps the prompt document. */
function chat(prefix: string, turns: number, t0 = 1_770_000_000_000): RunInput[] {
  const runs: RunInput[] = []
  const sent: ChatMessage[] = [{ role: 'system', content: `You are a ${prefix} guide.` }]
  const doc: PromptMessage[] = []
  for (let t = 0; t < turns; t++) {
    const user = `${prefix} question ${t}: ${long(`${prefix}q${t}x`)}`
    const answer = `${prefix} answer ${t}: ${long(`${prefix}a${t}y`, 60)}`
    sent.push({ role: 'user', content: user })
    doc.push({ id: `${prefix}-u${t}`, role: 'user', content: user })
    const base = runInput({ id: `${prefix}-${t}`, startedAt: t0 + t * 1000, answer })
    runs.push({
      ...base,
      request: { ...base.request, messages: [...sent] },
      prompt: promptDoc({ system: `You are a ${prefix} guide.`, messages: [...doc] }),
    })
    sent.push({ role: 'assistant', content: answer })
    doc.push({ id: `${prefix}-a${t}`, role: 'assistant', content: answer, reasoning: `thinking about ${prefix} ${t}` })
  }
  return runs
}

/** Runs of every shape the store meets: a chat, tool calls and reasoning, content parts, a demo run, compare lanes sending one request, an error. */
function variety(): RunInput[] {
  const tools = runInput({
    id: 'tools',
    startedAt: 1_770_000_100_000,
    request: {
      model: 'gpt-oss-120b',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is the weather in Oslo? Please answer with a tool call only.' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', content: '{"celsius":4}', tool_call_id: 'c1' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    },
    response: { content: 'It is 4 °C in Oslo.', reasoning: long('ponder'), toolCalls: [], finishReason: 'stop', completionId: 'x1' },
  })
  const lane = (id: string, model: string, startedAt: number) =>
    runInput({
      id,
      startedAt,
      source: 'compare',
      groupId: 'g1',
      request: { model, messages: [{ role: 'user', content: long('racer') }] },
      answer: long(`lane${id}`),
    })
  const failed = runInput({
    id: 'failed',
    startedAt: 1_770_000_300_000,
    status: 'error',
    answer: '',
    error: { code: 'rate_limited', message: 'Too many requests' },
  })
  const demo = runInput({ id: 'demo', startedAt: 1_770_000_400_000, demo: true, endpoint: { kind: 'demo', host: '127.0.0.1:1234' } })
  return [tools, lane('l1', 'gpt-oss-120b', 1_770_000_200_000), lane('l2', 'llama3.1-8b', 1_770_000_200_000), failed, demo]
}

/** What getRun gives back for a saved input: the record as validated, with when it was saved and the endpoint. */
function expected(input: RunInput, savedAt: number) {
  const run = RunInputSchema.parse(input)
  return { ...run, endpoint: run.endpoint ?? (run.demo ? { kind: 'demo', host: '' } : null), savedAt }
}

/** Every stored text, as text (bodies may be stored deflated). */
function allTexts(o: OpenedDatabase): string[] {
  const store = new MessageStore(o.db)
  return (o.db.prepare('SELECT id FROM texts').all() as { id: number }[]).map((r) => store.text(r.id))
}
const copies = (o: OpenedDatabase, text: string) => allTexts(o).filter((t) => t === text).length

const count = (o: OpenedDatabase, table: string) => (o.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

describe('migration 7 on a database written by schema 6', () => {
  it('converts every run in place: each reopens exactly as saved, search by turn and by earlier turns still works, nothing is stored twice', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-layout-')), 'wafer.db')
    const old = openSchema6(file)
    expect(old.version).toBe(6)
    const inputs = [...chat('otter', 4), ...variety(), ...chat('heron', 3, 1_770_001_000_000)]
    saveRunsV6(old, inputs, 1_770_009_000_000)
    const before = new Map((old.db.prepare('SELECT id, rid FROM runs').all() as { id: string; rid: number }[]).map((r) => [r.id, r.rid]))
    old.close()

    opened = openDatabase(file, migrations)
    expect(opened.applied).toEqual([7])
    const s = new HistoryStore(opened.db)
    for (const input of inputs) expect(s.getRun(input.id)).toEqual(expected(input, 1_770_009_000_000))
    // Same rows, same keys: the list's order and cursors are unchanged.
    const after = new Map((opened.db.prepare('SELECT id, rid FROM runs').all() as { id: string; rid: number }[]).map((r) => [r.id, r.rid]))
    expect(after).toEqual(before)
    expect(s.listRuns({ limit: 200 }).runs).toHaveLength(inputs.length)

    // Search: a run's own turn by default; the chat's earlier turns with the switch, each saying where it matched.
    expect(s.listRuns({ text: 'otterq1x3' }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['otter-1', 'prompt']])
    expect(s.listRuns({ text: 'otterq1x3', includeEarlier: true }).runs.map((r) => [r.id, r.matchedIn])).toEqual([
      ['otter-3', 'earlier'],
      ['otter-2', 'earlier'],
      ['otter-1', 'prompt'],
    ])
    expect(s.listRuns({ text: 'otterq1x3', includeEarlier: true }).runs[0].snippet).toContain('\uE000otterq1x3\uE001')
    expect(s.listRuns({ text: 'heronA0y2' }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['heron-0', 'answer']])
    expect(s.listRuns({ text: 'laneL2' }).runs.map((r) => r.id)).toEqual(['l2'])
    expect(s.listRuns({ text: 'racer0', includeEarlier: true }).runs.map((r) => r.id)).toEqual(['l2', 'l1'])
    // The tool run's own turn is the tool result; its question and the call are earlier turns that no saved run answered.
    expect(s.listRuns({ text: 'celsius' }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['tools', 'prompt']])
    expect(s.listRuns({ text: 'oslo' }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['tools', 'answer']])
    expect(s.listRuns({ text: 'weather', includeEarlier: true }).runs.map((r) => [r.id, r.matchedIn])).toEqual([['tools', 'earlier']])

    // Stored once: every answer is one text (the run's answer, the next run's assistant turn and the prompt document's copy).
    const answer0 = inputs[0].response.content
    expect(copies(opened, answer0)).toBe(1)
    // The otter chat's messages: 1 system + 4 user + 3 assistant nodes shared by all four runs (not 1 + 3 + 5 + 7).
    const sentNodes = opened.db
      .prepare(
        `WITH RECURSIVE up(id) AS (SELECT request_tip FROM runs WHERE id = 'otter-3' UNION SELECT m.parent FROM message_nodes m JOIN up ON m.id = up.id) SELECT COUNT(*) AS n FROM up WHERE id IS NOT NULL`,
      )
      .get() as { n: number }
    expect(sentNodes.n).toBe(8)
    // No run keeps the whole chat or its earlier turns as text of its own.
    const widest = opened.db.prepare('SELECT MAX(length(data)) AS n FROM runs').get() as { n: number }
    expect(widest.n).toBeLessThan(1500)
  })

  it('leaves an empty history empty and keeps working', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-layout-')), 'wafer.db')
    openSchema6(file).close()
    opened = openDatabase(file, migrations)
    const s = new HistoryStore(opened.db)
    s.saveRuns(chat('kite', 2))
    expect(s.listRuns({ text: 'kiteq0x1', includeEarlier: true }).runs.map((r) => r.id)).toEqual(['kite-1', 'kite-0'])
  })
})

describe('the new layout', () => {
  it('grows with what is new: a later run of a chat adds about its own turn and answer', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    const runs = chat('crane', 12)
    const texts: number[] = []
    for (const run of runs) {
      s.saveRun(run)
      texts.push((opened.db.prepare('SELECT COALESCE(SUM(length(body)), 0) AS n FROM text_bodies').get() as { n: number }).n)
      expect(allTexts(opened).filter((t) => t === run.response.content)).toHaveLength(1)
    }
    // Each run after the first stores its own turn and answer once (a few hundred characters here, deflated), not the chat so far.
    const added = texts.slice(1).map((n, i) => n - texts[i])
    const own = (r: RunInput) => (r.request.messages.at(-1)?.content as string).length + r.response.content.length
    added.forEach((n, i) => expect(n).toBeLessThan(own(runs[i + 1]) * 1.2))
    for (const run of runs) expect(s.getRun(run.id as string)).toMatchObject({ request: run.request, prompt: run.prompt })
  })

  it('replacing or deleting runs removes the messages and texts no run refers to any more, and keeps the others', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    const runs = chat('swan', 3)
    s.saveRuns(runs)
    // Replace the first turn's answer: the second run no longer continues it, but still reopens and is found by its earlier turns.
    const changed = { ...runs[0], response: { ...runs[0].response, content: 'A different answer about swans and lakes.' } }
    s.saveRun(changed, 5)
    expect(s.getRun('swan-1')).toEqual(expected(runs[1], (s.getRun('swan-1') as { savedAt: number }).savedAt))
    expect(s.listRuns({ text: 'swanA0y3', includeEarlier: true }).runs.map((r) => [r.id, r.matchedIn])).toEqual([
      ['swan-2', 'earlier'],
      ['swan-1', 'earlier'],
    ])
    // The old first answer is still sent by the later runs, so it stays; the replaced record's own texts are not duplicated.
    expect(copies(opened, runs[0].response.content)).toBe(1)
    s.deleteRuns(['swan-0'])
    expect(s.getRun('swan-2')).toEqual(expected(runs[2], (s.getRun('swan-2') as { savedAt: number }).savedAt))
    expect(s.listRuns({ text: 'swanq0x1', includeEarlier: true }).runs.map((r) => r.id)).toEqual(['swan-2', 'swan-1'])
    s.deleteRuns(['swan-1', 'swan-2'])
    expect([count(opened, 'runs'), count(opened, 'texts'), count(opened, 'message_nodes')]).toEqual([0, 0, 0])
    expect(s.listRuns({ text: 'swanq0x1', includeEarlier: true }).runs).toEqual([])
  })

  it('retention deletes the messages only the deleted runs referred to', () => {
    opened = freshDatabase()
    const now = 1_770_100_000_000
    const s = new HistoryStore(opened.db, () => now)
    const versions = new PromptVersionStore(opened.db, () => now)
    versions.save({ name: 'kept', prompt: promptDoc() })
    s.saveRuns([...chat('old', 3, now - 40 * 86_400_000), ...chat('new', 2, now - 86_400_000)])
    const retention = new HistoryRetention(opened.db, () => now)
    expect(retention.apply({ kind: 'days', days: 30 }).deleted).toBe(3)
    expect(allTexts(opened).filter((t) => t.includes('old'))).toEqual([])
    expect(allTexts(opened).filter((t) => t.includes('new')).length).toBeGreaterThan(0)
    expect(s.getRun('new-1')).toEqual(expected(chat('new', 2, now - 86_400_000)[1], now))
    expect(versions.list()).toHaveLength(1)
    retention.apply({ kind: 'runs', runs: 0 })
    expect([count(opened, 'runs'), count(opened, 'texts'), count(opened, 'message_nodes')]).toEqual([0, 0, 0])
  })

  it('exports a run in the same format as before and imports it back identical', () => {
    opened = freshDatabase()
    let t = 1_770_200_000_000
    const s = new HistoryStore(opened.db, () => t)
    const transfer = new HistoryTransfer(s, new PromptVersionStore(opened.db), () => t)
    const runs = [...chat('lark', 3), ...variety()]
    const savedAt = t
    s.saveRuns(runs)
    for (const run of runs) {
      t += 1000
      const file = transfer.exportRun(run.id as string)
      // The file holds the whole record, messages included, as the schema-6 store exported it.
      expect(JSON.parse(file.json)).toEqual({
        format: 'wafer-console.run',
        formatVersion: 1,
        exportedAt: new Date(t).toISOString(),
        run: expected(run, savedAt),
      })
      const imported = transfer.import(file.json)
      expect(imported).toEqual({ kind: 'run', id: `${run.id}-import1` })
      // Imported back: the same record (the file's savedAt kept), and it exports to the same file.
      const { id: _id, ...copy } = s.getRun(`${run.id}-import1`)
      const { id: _orig, ...original } = expected(run, savedAt)
      expect(copy).toEqual(original)
      expect(JSON.parse(transfer.exportRun(`${run.id}-import1`).json).run).toEqual({ ...expected(run, savedAt), id: `${run.id}-import1` })
    }
  })

  it('keeps search in start-time order and pages right when older runs arrive later (imports between saved runs)', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    const at = (i: number) => 1_770_300_000_000 + i * 1000
    // Two runs far apart, then twenty between them, each older than the last (each lands right after the first).
    s.saveRuns([runInput({ id: 'first', startedAt: at(0), user: 'zebra first' }), runInput({ id: 'last', startedAt: at(100), user: 'zebra last' })])
    for (let i = 20; i >= 1; i--) s.saveRun(runInput({ id: `mid-${i}`, startedAt: at(i), user: `zebra middle ${i}` }))
    const expectedOrder = ['last', ...Array.from({ length: 20 }, (_, i) => `mid-${20 - i}`), 'first']
    expect(s.listRuns({ text: 'zebra', limit: 100 }).runs.map((r) => r.id)).toEqual(expectedOrder)
    // Page by page, and within a date range, as the list without a search gives them.
    const pages: string[] = []
    let cursor: string | undefined
    do {
      const page = s.listRuns({ text: 'zebra', limit: 7, ...(cursor ? { cursor } : {}) })
      pages.push(...page.runs.map((r) => r.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(pages).toEqual(expectedOrder)
    expect(s.listRuns({ text: 'zebra', from: at(5), to: at(9) }).runs.map((r) => r.id)).toEqual(['mid-9', 'mid-8', 'mid-7', 'mid-6', 'mid-5'])
    expect(s.listRuns({ from: at(5), to: at(9) }).runs.map((r) => r.id)).toEqual(['mid-9', 'mid-8', 'mid-7', 'mid-6', 'mid-5'])
  })

  it('keeps long texts of any script exactly, however they are split into parts', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    // Emoji (surrogate pairs) across every part boundary, text that does not compress, and text that does.
    const emoji = '😀'.repeat(1501) + 'x'
    const noise = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('')
    const plain = 'ordinary words again and again '.repeat(200)
    for (const [i, text] of [emoji, `x${emoji}`, noise, plain].entries()) {
      s.saveRun(runInput({ id: `long-${i}`, user: text, answer: text }))
      const run = s.getRun(`long-${i}`)
      expect(run.request.messages[1].content).toBe(text)
      expect(run.response.content).toBe(text)
    }
  })

  it('marks in the passage what the index matched: folded case and accents, a prefix while typing, a phrase, and a window of 16 words in a long text', () => {
    opened = freshDatabase()
    const s = new HistoryStore(opened.db)
    const filler = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ')
    s.saveRun(runInput({ id: 'accents', user: 'Crème brûlée at the Café', answer: `${filler} the quick brown fox jumps ${filler}` }))
    const passage = (text: string) => s.listRuns({ text }).runs[0]?.snippet
    expect(passage('creme')).toBe('You are terse.\n\n\uE000Crème\uE001 brûlée at the Café')
    expect(passage('caf')).toBe('You are terse.\n\nCrème brûlée at the \uE000Café\uE001')
    expect(passage('"brown fox"')).toMatch(/^….*the quick \uE000brown\uE001 \uE000fox\uE001 jumps.*…$/)
    expect(passage('"brown fox"')?.match(/\p{L}+\d*/gu)).toHaveLength(16)
    // A phrase in the wrong order is no match, here as in the index.
    expect(s.listRuns({ text: '"fox brown"' }).runs).toEqual([])
  })
})
