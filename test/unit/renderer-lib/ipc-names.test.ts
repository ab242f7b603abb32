import { fileURLToPath } from 'node:url'

import { CHANNEL_METHODS, EVENT_NAMES } from '@renderer/api/ipc-names'
import { channelNames, eventNames, methodName } from '@shared/ipc/contract'
import { describe, expect, it } from 'vitest'

import { rendererConfig } from '../../../renderer/vite.config'

/*
 * The renderer build replaces api/ipc-names.ts with the contract's names
 * alone (no zod schemas at start-up). What it writes must be what the
 * module itself gives, channel for channel and event for event.
 */

describe('the channel names the renderer is built with', () => {
  it('are the contract’s, each with its bridge method', async () => {
    expect(CHANNEL_METHODS.map(([c]) => c)).toEqual(channelNames)
    expect(CHANNEL_METHODS.every(([c, m]) => m === methodName(c))).toBe(true)
    expect(EVENT_NAMES).toEqual(eventNames)

    const plugin = (rendererConfig.plugins ?? []).flat().find((p) => p && typeof p === 'object' && 'name' in p && p.name === 'wafer-ipc-names-only')
    expect(plugin).toBeDefined()
    const load = (plugin as { load: (id: string) => string | null }).load
    const file = fileURLToPath(new URL('../../../renderer/src/api/ipc-names.ts', import.meta.url))
    expect(load(`${fileURLToPath(new URL('../../../renderer/src/api/unwrap.ts', import.meta.url))}`)).toBeNull()
    const code = load(file)
    expect(code).not.toMatch(/^\s*import\b/m)
    const built = (await import(`data:text/javascript,${encodeURIComponent(code!)}`)) as { CHANNEL_METHODS: unknown; EVENT_NAMES: unknown }
    expect(built.CHANNEL_METHODS).toEqual(CHANNEL_METHODS)
    expect(built.EVENT_NAMES).toEqual(EVENT_NAMES)
  })
})
