import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createAppServices } from '@main/app-services'
import { createDispatcher } from '@main/ipc/dispatcher'
import { MemoryBackend } from '@main/services/settings/key-vault'
import type { ArgsOf, ChannelName, ResultOf } from '@shared/ipc/contract'
import type { PlaygroundDraft } from '@shared/ipc/domains/playground'
import { WaferError } from '@shared/ipc/errors'
import { afterEach, describe, expect, it } from 'vitest'

/*
 * The playground's draft is checked by main, both ways, so the renderer can
 * take it as it comes while it starts (no schema built there). Driven through
 * the dispatcher, as the renderer calls it, against a real app database.
 */

const temps: string[] = []
const open: Array<{ dispose(): Promise<void> }> = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose()
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function app(userDataDir = mkdtempSync(path.join(os.tmpdir(), 'wafer-draft-'))) {
  temps.push(userDataDir)
  const services = await createAppServices({
    userDataDir,
    env: {},
    secretBackend: new MemoryBackend(),
    host: 'web',
    version: '0.0.0-test',
    platform: process.platform,
    openExternal: async () => {},
    broadcast: () => {},
  })
  open.push(services)
  const dispatch = createDispatcher(services.handlers, { validateResults: true })
  const call = async <C extends ChannelName>(channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> => {
    const env = await dispatch(channel, args, { via: 'web', emit: () => {} })
    if (!env.ok) throw WaferError.fromWire(env.error)
    return env.value as ResultOf<C>
  }
  return { call, userDataDir, services }
}

const params: PlaygroundDraft['panes'][number]['doc']['params'] = {
  model: 'gpt-oss-120b',
  temperature: null,
  topP: null,
  maxCompletionTokens: null,
  seed: null,
  stop: [],
  reasoningEffort: null,
  responseFormat: 'text',
  schemaName: 'answer',
  schemaText: '',
  schemaStrict: true,
  toolsText: '',
  toolChoice: null,
  logprobs: false,
  topLogprobs: null,
}

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
  it('is empty on a fresh install, then gives back what was saved, checked', async () => {
    const { call } = await app()
    expect(await call('playground:draft-get', {})).toEqual({ draft: null, setAside: false })
    await call('playground:draft-set', { draft })
    const back = await call('playground:draft-get', {})
    expect(back.setAside).toBe(false)
    expect(back.draft).toMatchObject({ layout: 2, activePane: 'p2', panes: [{ id: 'p1', composer: 'unsent text' }, { id: 'p2' }] })
    expect(back.draft!.panes[0].doc.messages).toEqual(draft.panes[0].doc.messages)
  })

  it('refuses a draft that is not one, and keeps the one it had', async () => {
    const { call } = await app()
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

  it('sets aside a kept draft that no longer reads (an older version, a damaged row), and says so', async () => {
    const { call } = await app()
    // What an older build (or a damaged file) left under the draft's key, written as any UI document is.
    await call('state:set', { key: 'playground.draft', value: { version: 0, panes: 'old' } })
    expect(await call('playground:draft-get', {})).toEqual({ draft: null, setAside: true })
    // Saving a new draft replaces it.
    await call('playground:draft-set', { draft })
    expect((await call('playground:draft-get', {})).setAside).toBe(false)
  })

  it('reads the draft an earlier version kept under the same key', async () => {
    const { call } = await app()
    await call('state:set', { key: 'playground.draft', value: draft })
    expect((await call('playground:draft-get', {})).draft?.activePane).toBe('p2')
  })
})
