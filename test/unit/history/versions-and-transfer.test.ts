import { createHistoryHandlers } from '@main/handlers/history'
import type { CallContext } from '@main/ipc/dispatcher'
import { createHistoryServices, type HistoryServices } from '@main/services/history'
import type { OpenedDatabase } from '@main/storage/database'
import { channels, type EventName } from '@shared/ipc/contract'
import { WaferError } from '@shared/ipc/errors'
import { afterEach, describe, expect, it } from 'vitest'

import { freshDatabase, promptDoc, runInput } from './helpers'

let opened: OpenedDatabase | undefined
afterEach(() => opened?.close())

function services(): HistoryServices {
  opened = freshDatabase()
  let t = 1_770_000_000_000
  return createHistoryServices(opened.db, () => (t += 1000))
}

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof WaferError ? err.code : 'not a WaferError'
  }
  return undefined
}

describe('named prompt versions', () => {
  it('numbers versions per name, lists newest first, and gives back the whole prompt', () => {
    const { versions } = services()
    const v1 = versions.save({ name: 'summariser', prompt: promptDoc() })
    const v2 = versions.save({ name: 'summariser', note: 'shorter', prompt: promptDoc({ system: 'Be brief.' }) })
    const other = versions.save({ name: 'classifier', prompt: promptDoc({ messages: [] }) })
    expect([v1.version, v2.version, other.version]).toEqual([1, 2, 1])
    expect(v2).toMatchObject({ name: 'summariser', note: 'shorter', model: 'gpt-oss-120b', messageCount: 1 })
    expect(versions.list().map((v) => `${v.name}@${v.version}`)).toEqual(['classifier@1', 'summariser@2', 'summariser@1'])
    expect(versions.list('summariser').map((v) => v.version)).toEqual([2, 1])
    expect(versions.get(v2.id).prompt).toEqual(promptDoc({ system: 'Be brief.' }))
  })

  it('fills defaults for parameters an older prompt did not have, and refuses a bad prompt or name', () => {
    const { versions } = services()
    const old = promptDoc() as unknown as { params: Record<string, unknown> }
    delete old.params.toolsText
    delete old.params.schemaStrict
    const saved = versions.save({ name: 'old', prompt: old })
    expect(versions.get(saved.id).prompt.params).toMatchObject({ toolsText: '', schemaStrict: true })
    expect(errorCode(() => versions.save({ name: 'bad', prompt: { messages: 'nope' } }))).toBe('bad_request')
    expect(errorCode(() => versions.save({ name: '   ', prompt: promptDoc() }))).toBe('bad_request')
    expect(errorCode(() => versions.get(999))).toBe('not_found')
    expect(versions.delete(saved.id)).toBe(true)
    expect(versions.delete(saved.id)).toBe(false)
  })
})

describe('export and import', () => {
  it('round-trips a run through JSON, giving it a new id when the original is still there', () => {
    const { runs, transfer } = services()
    const input = runInput({ id: 'exp-1', prompt: promptDoc() })
    runs.saveRun(input)
    const file = transfer.exportRun('exp-1')
    expect(file.filename).toMatch(/^run-gpt-oss-120b-\d{4}-\d{2}-\d{2}T\d{6}Z\.json$/)
    const parsed = JSON.parse(file.json)
    expect(parsed).toMatchObject({ format: 'wafer-console.run', formatVersion: 1, run: { id: 'exp-1' } })

    const again = transfer.import(file.json)
    expect(again).toEqual({ kind: 'run', id: 'exp-1-import1' })
    const { savedAt: savedA, id: _idA, ...original } = runs.getRun('exp-1')
    const { savedAt: savedB, id: _idB, ...copy } = runs.getRun('exp-1-import1')
    expect(copy).toEqual(original)
    expect(savedB).toBe(savedA) // the original save time travels with the file

    runs.deleteRuns(['exp-1', 'exp-1-import1'])
    expect(transfer.import(file.json)).toEqual({ kind: 'run', id: 'exp-1' })
  })

  it('imports a prompt version as the next version under its name, noting where it came from', () => {
    const { versions, transfer } = services()
    const v = versions.save({ name: 'Extractor', note: 'baseline', prompt: promptDoc() })
    const file = transfer.exportVersion(v.id)
    expect(file.filename).toBe('prompt-extractor-v1.json')
    const result = transfer.import(file.json)
    expect(result).toMatchObject({ kind: 'version', name: 'Extractor', version: 2 })
    const imported = versions.get((result as { id: number }).id)
    expect(imported.note).toBe('baseline (imported from v1)')
    expect(imported.prompt).toEqual(promptDoc())
  })

  it('explains what is wrong with a file that is not an export', () => {
    const { transfer } = services()
    const message = (json: string) => {
      try {
        transfer.import(json)
      } catch (err) {
        return (err as WaferError).message
      }
      return 'accepted'
    }
    expect(message('{not json')).toMatch(/not JSON/)
    expect(message('{"hello":1}')).toMatch(/Not a Wafer Console export/)
    expect(message(JSON.stringify({ format: 'wafer-console.run', formatVersion: 1, exportedAt: 'x', run: { id: 'r' } }))).toMatch(
      /The run file is not valid: run\./,
    )
  })
})

describe('the history handlers', () => {
  it('save, list, get, search, export, import and delete through the channels, answering what the contract says', async () => {
    const history = services()
    const events: { event: EventName; payload: unknown }[] = []
    const h = createHistoryHandlers({ history, broadcast: (event, payload) => events.push({ event, payload }) })
    const ctx = { emit: () => {}, via: 'web' } as CallContext
    const call = async <C extends keyof typeof h>(c: C, raw: unknown) => {
      const spec = channels[c]
      const args = spec.args.parse(raw)
      const result = await (h[c] as (a: unknown, x: CallContext) => unknown)(args, ctx)
      return spec.result.parse(result) as Awaited<ReturnType<(typeof h)[C]>>
    }

    await call('history:save', { run: runInput({ id: 'h1', user: 'tell me about pelicans', answer: 'They are birds.' }) })
    await call('history:save', { run: runInput({ id: 'h2', user: 'and crows?', answer: 'Also birds.' }) })
    expect(events.map((e) => e.payload)).toEqual([
      { reason: 'saved', ids: ['h1'] },
      { reason: 'saved', ids: ['h2'] },
    ])
    expect((await call('history:list', { text: 'pelicans' })).runs.map((r) => r.id)).toEqual(['h1'])
    expect((await call('history:get', { id: 'h2' })).response.content).toBe('Also birds.')
    expect((await call('history:models', {})).models).toEqual(['gpt-oss-120b'])
    expect((await call('history:metrics', {})).points).toHaveLength(2)

    const file = await call('history:export', { kind: 'run', id: 'h1' })
    expect(await call('history:import', { json: file.json })).toEqual({ kind: 'run', id: 'h1-import1' })
    const saved = await call('versions:save', { name: 'birds', prompt: promptDoc() })
    expect((await call('versions:list', {})).versions.map((v) => v.id)).toEqual([saved.id])
    expect((await call('versions:get', { id: saved.id })).prompt.variables).toEqual({ topic: 'wafer-scale chips' })
    const vfile = await call('history:export', { kind: 'version', id: saved.id })
    expect(await call('history:import', { json: vfile.json })).toMatchObject({ kind: 'version', version: 2 })
    expect(await call('history:delete', { ids: ['h1', 'h1-import1'] })).toEqual({ deleted: 2 })
    expect(await call('versions:delete', { id: saved.id })).toEqual({ deleted: true })
    expect(events.at(-2)?.payload).toEqual({ reason: 'deleted', ids: ['h1', 'h1-import1'] })

    // A stopped run with its partial text is a valid save.
    await call('history:save', {
      run: runInput({
        id: 'stopped',
        status: 'aborted',
        error: { code: 'aborted', message: 'Stopped' },
        response: { content: 'half an ans', reasoning: null, toolCalls: [], finishReason: null, completionId: null },
        usage: null,
        timeInfo: null,
      }),
    })
    expect((await call('history:list', { text: 'ans' })).runs[0]).toMatchObject({ id: 'stopped', status: 'aborted', outputPreview: 'half an ans' })
  })
})
