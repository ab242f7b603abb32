import { HistoryStore } from '@main/services/history'
import { FEW_HITS } from '@main/services/history/history-store'
import type { OpenedDatabase } from '@main/storage/database'
import { type RunQuery, SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/ipc/domains/history'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { chatRuns } from '../../support/history-fill'
import { freshDatabase } from './helpers'

// A search with earlier turns finds a run by its own turn and answer or by
// any run up its chat. A word few runs hold is looked for through its runs'
// continuations; a word most runs hold by walking the list newest first and
// stopping once a page is full. Both must give the same runs, in order,
// page after page, with the filters, as the data says.

const RUNS = 2400

let opened: OpenedDatabase
let store: HistoryStore
/** Per run, newest first: id, model, and the words of its own turn and answer and of the turns before it in its chat. */
const runs: { id: string; model: string; own: Set<string>; before: Set<string> }[] = []

beforeAll(() => {
  opened = freshDatabase()
  store = new HistoryStore(opened.db)
  const all = [...chatRuns(RUNS, { maxTurns: 12, promptWords: 8, answerWords: 12 }, { seed: 5 })]
  store.saveRuns(all)
  const chats = new Map<string, Set<string>>()
  for (const r of all) {
    const chat = r.id.slice(0, r.id.lastIndexOf('-'))
    const before = new Set(chats.get(chat) ?? [])
    const user = r.request.messages.at(-1)?.content as string
    const own = new Set(`${user} ${r.response.content}`.split(' '))
    runs.unshift({ id: r.id, model: r.request.model, own, before })
    chats.set(chat, new Set([...before, ...own]))
  }
}, 60_000)

afterAll(() => opened?.close())

function everyPage(query: RunQuery): { id: string; matchedIn?: string | null; snippet: string | null }[] {
  const out: { id: string; matchedIn?: string | null; snippet: string | null }[] = []
  for (let cursor: string | undefined, n = 0; n < 1000; n++) {
    const page = store.listRuns({ ...query, limit: 37, ...(cursor ? { cursor } : {}) })
    out.push(...page.runs.map((r) => ({ id: r.id, matchedIn: r.matchedIn, snippet: r.snippet })))
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return out
}

/** Words by how many runs they would find: the most (walked) and a few (looked for through continuations). */
function wordsByReach(): { common: string; rare: string } {
  const reach = new Map<string, number>()
  for (const r of runs) for (const w of new Set([...r.own, ...r.before])) reach.set(w, (reach.get(w) ?? 0) + 1)
  const sorted = [...reach].sort((a, b) => b[1] - a[1])
  const rare = sorted.find(([, n]) => n > 40 && n < 120)
  if (!rare) throw new Error('no rare word in the generated runs')
  return { common: sorted[0][0], rare: rare[0] }
}

describe('search with earlier turns', () => {
  it.each(['common', 'rare'] as const)('finds every run a %s word matched, newest first, page after page, with filters', (kind) => {
    const word = wordsByReach()[kind]
    for (const model of [undefined, 'llama3.1-8b']) {
      const expected = runs.filter((r) => (model === undefined || r.model === model) && (r.own.has(word) || r.before.has(word)))
      // A trailing space: the word itself, not a prefix of longer ones.
      const found = everyPage({ text: `${word} `, includeEarlier: true, ...(model ? { model } : {}) })
      expect(found.map((f) => f.id)).toEqual(expected.map((r) => r.id))
      for (const [i, f] of found.entries()) {
        expect(f.matchedIn).toEqual(expected[i].own.has(word) ? expect.stringMatching(/^(prompt|answer)$/) : 'earlier')
        expect(f.snippet).toContain(`${SNIPPET_OPEN}${word}${SNIPPET_CLOSE}`)
      }
    }
    // Each way of finding them is used: the common word's own hits are too many to read all, the rare word's are not.
    const hits = runs.filter((r) => r.own.has(word)).length
    if (kind === 'common') expect(hits).toBeGreaterThan(FEW_HITS)
    else expect(hits).toBeLessThan(FEW_HITS)
  })

  it('finds no more than the default scope when the word is in no earlier turn', () => {
    const { rare } = wordsByReach()
    const own = everyPage({ text: `${rare} ` }).map((f) => f.id)
    expect(own).toEqual(runs.filter((r) => r.own.has(rare)).map((r) => r.id))
    expect(everyPage({ text: 'zzzznothing', includeEarlier: true })).toEqual([])
  })
})
