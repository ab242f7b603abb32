import type { BodyEncoding } from '../ipc/domains/chat'

/*
 * Which encoding a request body gets: browser-safe, so main (which encodes)
 * and the renderer's View code (which shows the headers) decide alike.
 */

export interface CompressionSettings {
  msgpack: boolean
  gzip: boolean
}

/**
 * Bodies smaller than this go as JSON. From the transport bench (rows
 * encode.*): msgpack+gzip costs ~0.1 ms at 1 KB and saves ~470 bytes, which
 * is less than 0.1 ms of upload even at 10 Mbit/s; at 10 KB it saves ~70%
 * for ~0.13 ms. It starts to pay on a 100 Mbit/s uplink at 2–3 KB
 * (encode.break_even_bytes_100mbit), and Cerebras itself says requests
 * under a few KB may not benefit. 4 KB leaves a margin above that.
 */
export const DEFAULT_ENCODE_THRESHOLD_BYTES = 4 * 1024

/** How `settings` would encode a body of `jsonBytes`, without encoding it. */
export function chooseEncoding(jsonBytes: number, settings: CompressionSettings, thresholdBytes = DEFAULT_ENCODE_THRESHOLD_BYTES): BodyEncoding {
  if (jsonBytes < thresholdBytes) return 'json'
  if (settings.msgpack && settings.gzip) return 'msgpack+gzip'
  if (settings.msgpack) return 'msgpack'
  if (settings.gzip) return 'gzip'
  return 'json'
}
