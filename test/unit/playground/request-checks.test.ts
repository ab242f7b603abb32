import { buildRequest, parseTools } from '@renderer/features/playground/build-request'
import { loadRequestChecks, requestChecks } from '@renderer/features/playground/request-checks'
import { defaultParams } from '@renderer/lib/doc-defaults'
import type { PromptDoc } from '@shared/ipc/domains/history'
import { describe, expect, it, vi } from 'vitest'

// The chat request's schemas load after the playground's first frame (request-checks.ts): until they are in, no
// request is built (so nothing unchecked can be sent), and once they are, the same document builds.
describe('the request checks, loaded after the first frame', () => {
  const doc: PromptDoc = {
    system: '',
    messages: [{ id: 'u1', role: 'user', content: 'Hello' }],
    params: { ...defaultParams('gpt-oss-120b'), toolsText: '{"name": "lookup", "parameters": {"type": "object"}}' },
    variables: {},
  }

  it('builds no request before they are in, and says why', () => {
    expect(requestChecks()).toBeNull()
    const built = buildRequest(doc)
    expect(built.request).toBeNull()
    expect(built.issues).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringMatching(/still loading/) }))
    expect(parseTools(doc.params.toolsText)).toEqual({ tools: [], issues: [expect.objectContaining({ field: 'tools', level: 'error' })] })
  })

  it('leaves them out when their chunk fails to load, and loads them on the next call', async () => {
    vi.doMock('@shared/ipc/domains/chat', () => {
      throw new Error('the chunk is gone')
    })
    // (vitest wraps the error of a mock that throws)
    await expect(loadRequestChecks()).rejects.toThrow()
    expect(requestChecks()).toBeNull()
    expect(buildRequest(doc).request).toBeNull()
    vi.doUnmock('@shared/ipc/domains/chat')
    vi.resetModules()
    const loaded = await loadRequestChecks()
    expect(requestChecks()).toBe(loaded)
  })

  it('builds and checks the request once they are in, loaded once however often asked', async () => {
    const [a, b] = await Promise.all([loadRequestChecks(), loadRequestChecks()])
    expect(a).toBe(b)
    expect(requestChecks()).toBe(a)
    const built = buildRequest(doc)
    expect(built.issues).toEqual([])
    expect(built.request).toMatchObject({ model: 'gpt-oss-120b', tools: [{ type: 'function', function: { name: 'lookup' } }] })
    // Still checked against the schema: a tool name the API refuses is an error, not sent.
    expect(parseTools('{"name": "bad name!"}').issues[0]).toMatchObject({ level: 'error', field: 'tools' })
  })
})
