import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { createAppServices } from '@main/app-services'
import { MemoryBackend } from '@main/services/settings/key-vault'
import { afterEach, describe, expect, it, vi } from 'vitest'

// Shutting the app down stops its periodic work: a daily job left running
// after the database closed would fire into a closed connection a day later
// (in a long-lived host process such as the web host's tests, or after a
// window-all-closed on macOS that keeps the process alive).

const temps: string[] = []
afterEach(() => {
  vi.useRealTimers()
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('app services dispose', () => {
  it('stops the daily history retention before closing the database', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wafer-dispose-'))
    temps.push(dir)
    const services = await createAppServices({
      userDataDir: path.join(dir, 'Wafer Console'),
      env: {},
      secretBackend: new MemoryBackend(),
      host: 'electron',
      version: '0.0.0-test',
      platform: process.platform,
      openExternal: async () => {},
      broadcast: () => {},
    })
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    await services.dispose()
    expect(vi.getTimerCount()).toBe(0)
    // A day later nothing runs against the closed database.
    expect(() => vi.advanceTimersByTime(2 * 24 * 60 * 60 * 1000)).not.toThrow()
  })
})
