import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

import { FakeCerebras } from '@main/services/demo/fake-cerebras/server'
import { testKey } from '@main/services/settings/key-tester'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Testing a key against the models list, as Settings and the welcome panel
 * do: a good key lists its models, a wrong one is refused, and an
 * unreachable host or a base URL that is not the API each say so.
 */

const GOOD_KEY = 'csk-' + 'goodkey0123456789'.repeat(3)
const WRONG_KEY = 'csk-' + 'wrongkey012345678'.repeat(3)

let fake: FakeCerebras
let baseUrl: string
const servers: Server[] = []

/** A local HTTP server answering every request with `handler`. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  fake = new FakeCerebras({ apiKeys: [GOOD_KEY] })
  baseUrl = await fake.start()
})

afterAll(async () => {
  await fake.stop()
  for (const s of servers) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

const deps = { fetch: globalThis.fetch }

describe('testKey', () => {
  it('lists the model ids a good key can call, and only its last four characters', async () => {
    const result = await testKey(deps, { baseUrl, apiKey: GOOD_KEY })
    expect(result).toMatchObject({ ok: true, baseUrl, hint: GOOD_KEY.slice(-4) })
    if (!result.ok) throw new Error('expected ok')
    expect(result.models).toContain('gpt-oss-120b')
    expect(result.models).toEqual([...result.models].sort())
    expect(JSON.stringify(result)).not.toContain(GOOD_KEY)
    const asked = fake.received.at(-1)!
    expect(asked.path).toBe('/v1/models')
    expect(asked.headers.authorization).toBe(`Bearer ${GOOD_KEY}`)
  })

  it('says a wrong key was refused (401), with the server message', async () => {
    const result = await testKey(deps, { baseUrl, apiKey: WRONG_KEY })
    expect(result).toMatchObject({ ok: false, reason: 'wrong_key', status: 401, hint: WRONG_KEY.slice(-4) })
    if (result.ok) throw new Error('expected a failure')
    expect(result.message).toMatch(/refused this key \(401: Wrong API Key\)/)
    expect(JSON.stringify(result)).not.toContain(WRONG_KEY)
  })

  it('says when there is no key to test, without calling anything', async () => {
    const before = fake.received.length
    expect(await testKey(deps, { baseUrl, apiKey: undefined })).toMatchObject({ ok: false, reason: 'no_key', hint: null })
    expect(fake.received.length).toBe(before)
  })

  it('says an unreachable host could not be reached', async () => {
    const gone = new FakeCerebras()
    const goneUrl = await gone.start()
    await gone.stop()
    const result = await testKey(deps, { baseUrl: goneUrl, apiKey: GOOD_KEY })
    expect(result).toMatchObject({ ok: false, reason: 'network', status: null })
    if (result.ok) throw new Error('expected a failure')
    expect(result.message).toMatch(/Nothing answered at 127\.0\.0\.1:\d+ \(connection refused\)/)
  })

  it('says a host that does not answer in time timed out', async () => {
    const silent = await serve(() => {
      /* never answers */
    })
    const result = await testKey({ ...deps, timeoutMs: 300 }, { baseUrl: `${silent}/v1`, apiKey: GOOD_KEY })
    expect(result).toMatchObject({ ok: false, reason: 'network' })
    if (result.ok) throw new Error('expected a failure')
    expect(result.message).toMatch(/did not answer within 0\.3 s/)
  })

  it('says a base URL without a models list (404) is wrong, and how it should look', async () => {
    const result = await testKey(deps, { baseUrl: `${fake.origin}/api`, apiKey: GOOD_KEY })
    expect(result).toMatchObject({ ok: false, reason: 'base_url', status: 404 })
    if (result.ok) throw new Error('expected a failure')
    expect(result.message).toMatch(/has no models list \(404\).*\/v1/)
  })

  it('says a page that is not a model list is not the Cerebras API', async () => {
    const site = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><body>Welcome</body></html>')
    })
    const result = await testKey(deps, { baseUrl: site, apiKey: GOOD_KEY })
    expect(result).toMatchObject({ ok: false, reason: 'base_url', status: 200 })
  })

  it('does not follow a redirect (it could carry the key to another host)', async () => {
    let elsewhere = 0
    const target = await serve((_req, res) => {
      elsewhere++
      res.end('{}')
    })
    const redirecting = await serve((_req, res) => {
      res.writeHead(302, { location: `${target}/v1/models` })
      res.end()
    })
    const result = await testKey(deps, { baseUrl: `${redirecting}/v1`, apiKey: GOOD_KEY })
    expect(result).toMatchObject({ ok: false, reason: 'base_url', status: 302 })
    if (result.ok) throw new Error('expected a failure')
    expect(result.message).toContain(`redirect to ${target}/v1/models`)
    expect(elsewhere).toBe(0)
  })

  it('refuses a base URL that is not http(s)', async () => {
    expect(await testKey(deps, { baseUrl: 'ftp://example.com/v1', apiKey: GOOD_KEY })).toMatchObject({ ok: false, reason: 'base_url' })
  })
})
