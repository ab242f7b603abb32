import { defaultParams } from '@renderer/lib/doc-defaults'
import type { PlaygroundDraft } from '@shared/ipc/domains/playground'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { type AppHarness, startAppHarness } from '../policies-app/app-harness'

/*
 * The playground's draft is checked by main, both ways, so the renderer can
 * take it as it comes while it starts (no schema built there). Driven through
 * the dispatcher, as the renderer calls it, against a real app database.
 */

let app: AppHarness
beforeEach(async () => {
  app = await startAppHarness()
})
afterEach(() => app.stop())

const params = defaultParams('gpt-oss-120b')

const draft: PlaygroundDraft = {
  version: 1,
  layout: 2,
  activePane: 'p2',
  panes: [
    { id: 'p1', doc: { system: 'Be brief.', messages: [{ id: 'm1', role: 'user', content: 'Hello' }], params, variables: {} }, composer: 'unsent text' },
    { id: 'p2', doc: { system: '', messages: [], params, variables: { name: 'Ada' } }, composer: '' },
  ],
}

describe('the playground draft, kept and checked by main', () => {
  it('is empty on a fresh install, then gives back what was saved, checked, across a restart', async () => {
    const { call } = app
    expect(await call('playground:draft-get', {})).toEqual({ draft: null, setAside: false })
    await call('playground:draft-set', { draft })
    const back = await call('playground:draft-get', {})
    expect(back.setAside).toBe(false)
    expect(back.draft).toMatchObject({ layout: 2, activePane: 'p2', panes: [{ id: 'p1', composer: 'unsent text' }, { id: 'p2' }] })
    expect(back.draft!.panes[0].doc.messages).toEqual(draft.panes[0].doc.messages)
    // And after a restart.
    await app.restart()
    expect(await app.call('playground:draft-get', {})).toEqual(back)
  })

  it('refuses a draft that is not one, and keeps the one it had', async () => {
    const { call } = app
    await call('playground:draft-set', { draft })
    for (const bad of [
      { ...draft, layout: 3 },
      { ...draft, panes: [] },
      { ...draft, panes: [{ id: 'p1', doc: { messages: 'nope' }, composer: '' }] },
      { ...draft, panes: [{ ...draft.panes[0], composer: 'x'.repeat(1_000_001) }] },
    ]) {
      await expect(call('playground:draft-set', { draft: bad as never })).rejects.toMatchObject({ code: 'bad_request' })
    }
    expect((await call('playground:draft-get', {})).draft?.panes[0].composer).toBe('unsent text')
  })

  it('refuses a UI document nested too deeply to keep as JSON, saying so, and keeps the one it had', async () => {
    const { call } = app
    await call('state:set', { key: 'compare.setup', value: { lanes: 2 } })
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    await expect(call('state:set', { key: 'compare.setup', value: deep })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('nested too deeply'),
    })
    expect((await call('state:get', { key: 'compare.setup' })).value).toEqual({ lanes: 2 })
  })

  it('sets aside a kept draft that no longer reads (an older version, a damaged row), and says so', async () => {
    const { call } = app
    // What an older build (or a damaged file) left under the draft's key, written as any UI document is.
    await call('state:set', { key: 'playground.draft', value: { version: 0, panes: 'old' } })
    expect(await call('playground:draft-get', {})).toEqual({ draft: null, setAside: true })
    // Saving a new draft replaces it.
    await call('playground:draft-set', { draft })
    expect((await call('playground:draft-get', {})).setAside).toBe(false)
  })

  it('reads the draft an earlier version kept under the same key', async () => {
    const { call } = app
    await call('state:set', { key: 'playground.draft', value: draft })
    expect((await call('playground:draft-get', {})).draft?.activePane).toBe('p2')
  })
})
