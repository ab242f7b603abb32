import { createRequire } from 'node:module'
import { promisify } from 'node:util'
import { constants as zlibConstants, gzip as gzipCallback } from 'node:zlib'

import type { BodyEncoding } from '@shared/ipc/domains/chat'
import type { Packr } from 'msgpackr'

/**
 * Request-body encoding for Cerebras's payload optimisation: MessagePack
 * and/or gzip. Below a size threshold the body goes as plain JSON, because
 * there the encode cost is larger than the bytes it saves (see
 * `npm run bench -- transport`, rows encode.*).
 */

export { chooseEncoding, type CompressionSettings, DEFAULT_ENCODE_THRESHOLD_BYTES } from '@shared/transport/encoding-choice'
import { chooseEncoding, type CompressionSettings, DEFAULT_ENCODE_THRESHOLD_BYTES } from '@shared/transport/encoding-choice'

/**
 * gzip level 1: on the bench's 1 MB chat prompt it reaches a wire ratio of
 * 0.215 in ~6–7 ms, where level 5 (the Python clients' choice) reaches 0.18
 * in ~13 ms. The extra 37 KB level 5 saves take less time to upload than
 * its extra encode time on links faster than ~50 Mbit/s.
 */
export const GZIP_LEVEL = 1

export const MSGPACK_CONTENT_TYPE = 'application/vnd.msgpack'
export const JSON_CONTENT_TYPE = 'application/json'

let packr: Packr | undefined
/**
 * msgpackr loads with the first body big enough to encode: most requests go
 * as plain JSON, and `wafer gateway run` starts sooner and smaller without it.
 */
function msgpackPacker(): Packr {
  if (!packr) {
    const { Packr } = createRequire(import.meta.url)('msgpackr') as typeof import('msgpackr')
    // Standard MessagePack maps (no msgpackr record extension) so any decoder
    // can read it; undefined properties are skipped exactly as JSON.stringify does.
    packr = new Packr({ useRecords: false, skipValues: [undefined] } as ConstructorParameters<typeof Packr>[0])
  }
  return packr
}

const gzipAsync = promisify(gzipCallback)

export interface EncodedBody {
  body: string | Uint8Array
  encoding: BodyEncoding
  headers: { 'content-type': string; 'content-encoding'?: 'gzip' }
  jsonBytes: number
  wireBytes: number
  encodeMs: number
}

export interface EncodeOptions extends CompressionSettings {
  thresholdBytes?: number
  /** The object the JSON was made from; saves re-parsing it for msgpack. */
  value?: unknown
  now?: () => number
}

export function packMsgpack(value: unknown): Uint8Array {
  return msgpackPacker().pack(value)
}

export function gzipBytes(input: Uint8Array | string): Promise<Uint8Array> {
  return gzipAsync(input, { level: GZIP_LEVEL, strategy: zlibConstants.Z_DEFAULT_STRATEGY })
}

/**
 * Encode a JSON request body as the settings ask. gzip runs on libuv's
 * thread pool so a megabyte prompt does not stall other streams in main.
 */
export async function encodeJsonBody(json: string, opts: EncodeOptions): Promise<EncodedBody> {
  const now = opts.now ?? (() => performance.now())
  const threshold = opts.thresholdBytes ?? DEFAULT_ENCODE_THRESHOLD_BYTES
  const jsonBytes = Buffer.byteLength(json)
  const encoding = chooseEncoding(jsonBytes, opts, threshold)
  if (encoding === 'json') {
    return { body: json, encoding, headers: { 'content-type': JSON_CONTENT_TYPE }, jsonBytes, wireBytes: jsonBytes, encodeMs: 0 }
  }
  const started = now()
  let bytes: Uint8Array | string = json
  if (encoding === 'msgpack' || encoding === 'msgpack+gzip') {
    bytes = packMsgpack(opts.value !== undefined ? opts.value : JSON.parse(json))
  }
  if (encoding === 'gzip' || encoding === 'msgpack+gzip') bytes = await gzipBytes(bytes)
  const body = bytes
  const wireBytes = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
  const encodeMs = now() - started
  const contentType = encoding === 'gzip' ? JSON_CONTENT_TYPE : MSGPACK_CONTENT_TYPE
  return {
    body,
    encoding,
    headers: encoding === 'msgpack' ? { 'content-type': contentType } : { 'content-type': contentType, 'content-encoding': 'gzip' },
    jsonBytes,
    wireBytes,
    encodeMs,
  }
}
