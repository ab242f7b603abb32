import { gunzipSync } from 'node:zlib'

import { chooseEncoding, DEFAULT_ENCODE_THRESHOLD_BYTES, encodeJsonBody } from '@main/services/cerebras/body-encoding'
import { unpack } from 'msgpackr'
import { describe, expect, it } from 'vitest'

import { chatBodyOfSize } from '../../fake-cerebras/prompt-corpus'

const on = { msgpack: true, gzip: true }

describe('request body encoding', () => {
  it('sends bodies below the threshold as the JSON it was given, untouched', async () => {
    const json = JSON.stringify(chatBodyOfSize(1024))
    const e = await encodeJsonBody(json, on)
    expect(e.encoding).toBe('json')
    expect(e.body).toBe(json)
    expect(e.headers).toEqual({ 'content-type': 'application/json' })
    expect(e.wireBytes).toBe(e.jsonBytes)
    expect(e.encodeMs).toBe(0)
  })

  it('encodes large bodies as gzipped MessagePack that decodes to the same request', async () => {
    const value = chatBodyOfSize(64 * 1024)
    const json = JSON.stringify(value)
    const e = await encodeJsonBody(json, on)
    expect(e.encoding).toBe('msgpack+gzip')
    expect(e.headers).toEqual({ 'content-type': 'application/vnd.msgpack', 'content-encoding': 'gzip' })
    expect(unpack(gunzipSync(e.body as Uint8Array))).toEqual(JSON.parse(json))
    expect(e.jsonBytes).toBe(Buffer.byteLength(json))
    expect(e.wireBytes).toBe((e.body as Uint8Array).byteLength)
    expect(e.wireBytes / e.jsonBytes).toBeLessThan(0.35)
  })

  it('packs from the original object the same as from its JSON, skipping undefined like JSON does', async () => {
    const value = { ...chatBodyOfSize(8 * 1024), seed: undefined, temperature: 0.25 }
    const json = JSON.stringify(value)
    const fromObject = await encodeJsonBody(json, { msgpack: true, gzip: false, value })
    const fromJson = await encodeJsonBody(json, { msgpack: true, gzip: false })
    expect(unpack(fromObject.body as Uint8Array)).toEqual(JSON.parse(json))
    expect(Buffer.from(fromObject.body as Uint8Array).equals(Buffer.from(fromJson.body as Uint8Array))).toBe(true)
  })

  it('each switch works alone', async () => {
    const json = JSON.stringify(chatBodyOfSize(16 * 1024))
    const gz = await encodeJsonBody(json, { msgpack: false, gzip: true })
    expect(gz.headers).toEqual({ 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(gunzipSync(gz.body as Uint8Array).toString('utf8')).toBe(json)
    const mp = await encodeJsonBody(json, { msgpack: true, gzip: false })
    expect(mp.headers).toEqual({ 'content-type': 'application/vnd.msgpack' })
    const off = await encodeJsonBody(json, { msgpack: false, gzip: false })
    expect(off.encoding).toBe('json')
  })

  it('counts JSON bytes as UTF-8, so non-ASCII prompts cross the threshold honestly', async () => {
    const json = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'é'.repeat(DEFAULT_ENCODE_THRESHOLD_BYTES / 2 + 10) }] })
    expect(json.length).toBeLessThan(DEFAULT_ENCODE_THRESHOLD_BYTES)
    const e = await encodeJsonBody(json, on)
    expect(e.jsonBytes).toBe(Buffer.byteLength(json))
    expect(e.encoding).toBe('msgpack+gzip')
  })

  it('chooses by size and switches', () => {
    expect(chooseEncoding(100, on)).toBe('json')
    expect(chooseEncoding(DEFAULT_ENCODE_THRESHOLD_BYTES, on)).toBe('msgpack+gzip')
    expect(chooseEncoding(1e6, { msgpack: false, gzip: true })).toBe('gzip')
    expect(chooseEncoding(1e6, { msgpack: true, gzip: false })).toBe('msgpack')
    expect(chooseEncoding(1e6, on, 2e6)).toBe('json')
  })
})
