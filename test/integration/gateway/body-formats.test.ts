import { gzipSync } from 'node:zlib'

import { Packr } from 'msgpackr'
import { describe, expect } from 'vitest'

import { gatewayTest, policyYaml, sharedGateway, target } from './harness'

// The content types a chat body may come as: JSON and MessagePack (gzip or not).
// Others, text/plain above all (what a web page can POST with no CORS preflight), get 415.
/** `gw`: one gateway for the file (64 KiB bodies); `post(body, headers)` a chat request to it. */
const it = gatewayTest({ ttftMs: 1, tokensPerSecond: 50_000, replyTokens: 5 })
  .extend(
    'gw',
    { scope: 'file' },
    sharedGateway((upstream) => policyYaml(target('primary', 'fake-fast', upstream), '[pii-detector]'), { maxBodyBytes: 64 * 1024 }),
  )
  .extend(
    'post',
    { scope: 'file' },
    async ({ gw }) =>
      (body: BodyInit, headers: Record<string, string>) =>
        fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body }),
  )

const chat = { model: 'fake-fast', messages: [{ role: 'user', content: 'Write to jane@example.com please' }] }
const packr = new Packr({ useRecords: false })

describe('the body formats the gateway accepts', () => {
  it.for<[string, Record<string, string>]>([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['text/plain;charset=UTF-8 (what fetch sends for a string body)', { 'content-type': 'text/plain;charset=UTF-8' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['JSON in another charset', { 'content-type': 'application/json; charset=latin1' }],
  ])('refuses %s with 415 in the OpenAI error shape, before anything goes upstream', async ([, headers], { fake, post }) => {
    fake.reset()
    const r = await post(JSON.stringify(chat), headers)
    expect(r.status).toBe(415)
    expect(await r.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'unsupported_media_type', param: 'content-type' } })
    expect(fake.received).toHaveLength(0)
  })

  it('refuses a body without a Content-Type with 415', async ({ post }) => {
    const r = await post(new Blob([JSON.stringify(chat)]), {})
    expect(r.status).toBe(415)
    expect(await r.json()).toMatchObject({ error: { code: 'unsupported_media_type' } })
  })

  it('refuses an encoding other than gzip with 415', async ({ post }) => {
    const r = await post(JSON.stringify(chat), { 'content-type': 'application/json', 'content-encoding': 'br' })
    expect(r.status).toBe(415)
    expect(await r.json()).toMatchObject({ error: { code: 'unsupported_content_encoding' } })
  })

  it.for<[string, Record<string, string>, (b: object) => string | Buffer]>([
    ['application/json', { 'content-type': 'application/json' }, (b: object) => JSON.stringify(b)],
    ['application/json; charset=utf-8', { 'content-type': 'application/json; charset=utf-8' }, (b: object) => JSON.stringify(b)],
    ['JSON, gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, (b: object) => gzipSync(JSON.stringify(b))],
    ['application/vnd.msgpack (the app client)', { 'content-type': 'application/vnd.msgpack' }, (b: object) => packr.pack(b)],
    ['application/msgpack', { 'content-type': 'application/msgpack' }, (b: object) => packr.pack(b)],
    ['application/x-msgpack, gzip', { 'content-type': 'application/x-msgpack', 'content-encoding': 'gzip' }, (b: object) => gzipSync(packr.pack(b))],
  ])('accepts %s and applies the policy to it', async ([, headers, encode], { fake, post }) => {
    fake.reset()
    const r = await post(encode(chat) as BodyInit, headers)
    expect(r.status).toBe(200)
    expect(r.headers.get('x-wafer-policy-verdict')).toBe('redact')
    expect(JSON.stringify(fake.received.at(-1)!.body)).not.toContain('jane@example.com')
  })

  it('answers MessagePack that does not decode with 400', async ({ post }) => {
    const r = await post(new Uint8Array([0xc1, 0xc1]), { 'content-type': 'application/vnd.msgpack' })
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: { code: 'invalid_msgpack' } })
  })

  it('answers MessagePack nested too deeply to read with 400 saying so, and reads the next body as usual', async ({ post }) => {
    // {model, messages: [[[…60,000 deep…[1]…]]] (under the 64 KiB limit)}: decoding it recursively runs out of stack.
    const head = packr.pack({ model: 'fake-fast', messages: 0 }).subarray(0, -1)
    const deep = Buffer.concat([head, Buffer.alloc(60_000, 0x91), Buffer.from([0x01])])
    const r = await post(deep as BodyInit, { 'content-type': 'application/vnd.msgpack' })
    expect(r.status).toBe(400)
    expect(await r.json()).toMatchObject({ error: { code: 'invalid_msgpack', message: 'The body is not valid MessagePack: it is nested too deeply to read.' } })
    const next = await post(packr.pack(chat) as BodyInit, { 'content-type': 'application/vnd.msgpack' })
    expect(next.status).toBe(200)
  })

  it('stops inflating a gzip body at the body limit (413), however small it came', async ({ post }) => {
    const bomb = gzipSync(JSON.stringify({ ...chat, messages: [{ role: 'user', content: 'a'.repeat(20_000_000) }] }))
    expect(bomb.length).toBeLessThan(64 * 1024)
    const r = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(r.status).toBe(413)
    expect(await r.json()).toMatchObject({ error: { code: 'body_too_large' } })
  })
})
