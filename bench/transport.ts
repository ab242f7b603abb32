// npm run bench -- transport [--json] [--rounds N]
// The Cerebras transport: the main-process stream pipeline against raw fetch +
// eventsource-parser and against the openai SDK's own stream iteration, on the
// same fake server in the same run; and request-body encoding costs.
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import { createParser } from 'eventsource-parser'
import OpenAI from 'openai'

import { DEFAULT_ENCODE_THRESHOLD_BYTES, encodeJsonBody, gzipBytes, packMsgpack } from '../electron/main/services/cerebras/body-encoding'
import { createCerebrasServices } from '../electron/main/services/cerebras/cerebras-services'
import type { ChatSink } from '../electron/main/services/cerebras/chat-service'
import { percentile } from '../electron/main/services/cerebras/response-metrics'
import { chatBodyOfSize } from '../test/fake-cerebras/prompt-corpus'
import { type BenchOptions, type BenchRow, row } from './types'

const SUITE = 'transport'
const MODEL = 'gpt-oss-120b'
/** Tokens per throughput run: long enough that per-request costs vanish. */
const STREAM_TOKENS = 20_000
/** Tokens per TTFT run: a short answer, as TTFT is about the start. */
const TTFT_TOKENS = 40
const KEY = 'csk-bench'

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  )

async function startFakeServer(log: (l: string) => void): Promise<{ baseUrl: string; child: ChildProcess }> {
  // A separate process, so the server's work is not billed to the client we measure.
  const cli = fileURLToPath(new URL('../test/fake-cerebras/cli.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--firehose', '--ttft-ms', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr!.on('data', () => {})
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! })
    rl.once('line', (line) => resolve(line.trim()))
    child.once('exit', (code) => reject(new Error(`fake server exited (${code})`)))
  })
  log(`fake server at ${baseUrl}`)
  return { baseUrl, child }
}

function requestBody(tokens: number, stream = true) {
  return {
    model: MODEL,
    messages: [{ role: 'user' as const, content: 'Write a long answer about wafer-scale inference.' }],
    max_completion_tokens: tokens,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  }
}

function headersFor(tokens: number): Record<string, string> {
  return { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-fake-tokens': String(tokens) }
}

/** A fetch that asks the fake for a given answer length (the SDK and our client go through it). */
function fetchWithTokens(tokens: number): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers)
    headers.set('x-fake-tokens', String(tokens))
    return fetch(input, { ...init, headers })
  }) as typeof fetch
}

interface RunResult {
  chunks: number
  ms: number
  /** Time to the first content or reasoning token handed on. */
  ttftMs: number | null
}

/** Baseline: fetch + TextDecoder + eventsource-parser; counts events (and JSON-parses only to find the first token). */
async function rawRun(baseUrl: string, tokens: number, parseJson: boolean): Promise<RunResult> {
  const t0 = performance.now()
  let chunks = 0
  let ttftMs: number | null = null
  const parser = createParser({
    onEvent: (e) => {
      chunks++
      if (parseJson || ttftMs === null) {
        const c = JSON.parse(e.data)
        const d = c.choices?.[0]?.delta
        if (ttftMs === null && d && (d.content || d.reasoning)) ttftMs = performance.now() - t0
      }
    },
  })
  const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: headersFor(tokens), body: JSON.stringify(requestBody(tokens)) })
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parser.feed(decoder.decode(value, { stream: true }))
  }
  return { chunks, ms: performance.now() - t0, ttftMs }
}

/** Second baseline: the openai SDK's own stream iteration. */
async function sdkRun(client: OpenAI, tokens: number): Promise<RunResult> {
  const t0 = performance.now()
  let chunks = 0
  let ttftMs: number | null = null
  const stream = await client.chat.completions.create(requestBody(tokens) as OpenAI.ChatCompletionCreateParamsStreaming)
  for await (const c of stream) {
    chunks++
    const d = c.choices?.[0]?.delta as { content?: string; reasoning?: string } | undefined
    if (ttftMs === null && d && (d.content || d.reasoning)) ttftMs = performance.now() - t0
  }
  return { chunks, ms: performance.now() - t0, ttftMs }
}

/** Ours: SDK request + encoding fetch, one parse per chunk, metrics, coalescing, and JSON serialisation of every IPC event. */
async function pipelineRun(services: ReturnType<typeof createCerebrasServices>, tokens: number): Promise<RunResult> {
  const t0 = performance.now()
  let ttftMs: number | null = null
  let serialisedBytes = 0
  const send = (event: string, payload: unknown) => {
    serialisedBytes += JSON.stringify({ event, payload }).length
  }
  const sink: ChatSink = {
    delta: (d) => {
      if (ttftMs === null) ttftMs = performance.now() - t0
      send('chat:delta', d)
    },
    retry: (r) => send('chat:retry', r),
    done: (d) => send('chat:done', d),
    error: (e) => send('chat:error', e),
    rateLimit: (s) => send('ratelimit:changed', s),
  }
  const started = await services.chat.start(
    { request: { model: MODEL, messages: [{ role: 'user', content: 'Write a long answer about wafer-scale inference.' }], max_completion_tokens: tokens } },
    sink,
  )
  const outcome = await started.finished
  if (outcome.terminal.kind !== 'done') throw new Error(`pipeline run failed: ${outcome.terminal.event.error.message}`)
  if (serialisedBytes === 0) throw new Error('nothing was serialised')
  // Every SSE event the server sent: role, tokens, empty delta, final.
  return { chunks: outcome.terminal.event.metrics.contentChunks + 3, ms: performance.now() - t0, ttftMs }
}

async function benchPipeline(opts: BenchOptions, rounds: number): Promise<BenchRow[]> {
  const { baseUrl, child } = await startFakeServer(opts.log)
  try {
    const services = createCerebrasServices({
      getApiKey: async () => KEY,
      getSettings: () => ({ baseUrl, compression: { msgpack: true, gzip: true } }),
      fetch: fetchWithTokens(STREAM_TOKENS),
    })
    const ttftServices = createCerebrasServices({
      getApiKey: async () => KEY,
      getSettings: () => ({ baseUrl, compression: { msgpack: true, gzip: true } }),
      fetch: fetchWithTokens(TTFT_TOKENS),
    })
    const sdk = new OpenAI({ apiKey: KEY, baseURL: baseUrl, maxRetries: 0, fetch: fetchWithTokens(STREAM_TOKENS) })

    // Warm up every path (JIT, connection pools) before measuring.
    for (let i = 0; i < 3; i++) {
      await rawRun(baseUrl, STREAM_TOKENS, false)
      await pipelineRun(services, STREAM_TOKENS)
      await sdkRun(sdk, STREAM_TOKENS)
    }

    const raw: number[] = []
    const rawJson: number[] = []
    const sdkRates: number[] = []
    const pipe: number[] = []
    let rawCpu = 0
    let rawChunks = 0
    let pipeCpu = 0
    let pipeChunks = 0
    for (let r = 0; r < rounds; r++) {
      // Rotate the order so drift on a shared machine hits every path alike.
      const order = [0, 1, 2, 3].map((k) => (k + r) % 4)
      for (const k of order) {
        if (k === 0) {
          const c0 = process.cpuUsage()
          const res = await rawRun(baseUrl, STREAM_TOKENS, false)
          const c = process.cpuUsage(c0)
          rawCpu += c.user + c.system
          rawChunks += res.chunks
          raw.push((res.chunks / res.ms) * 1000)
        } else if (k === 1) {
          const c0 = process.cpuUsage()
          const res = await pipelineRun(services, STREAM_TOKENS)
          const c = process.cpuUsage(c0)
          pipeCpu += c.user + c.system
          pipeChunks += res.chunks
          pipe.push((res.chunks / res.ms) * 1000)
        } else if (k === 2) {
          const res = await sdkRun(sdk, STREAM_TOKENS)
          sdkRates.push((res.chunks / res.ms) * 1000)
        } else {
          const res = await rawRun(baseUrl, STREAM_TOKENS, true)
          rawJson.push((res.chunks / res.ms) * 1000)
        }
      }
      opts.log(
        `round ${r + 1}/${rounds}: pipeline ${pipe.at(-1)!.toFixed(0)}, raw ${raw.at(-1)!.toFixed(0)}, raw+JSON ${rawJson.at(-1)!.toFixed(0)}, sdk ${sdkRates.at(-1)!.toFixed(0)} chunks/s`,
      )
    }

    // TTFT: short answers, many runs, alternating.
    const rawTtft: number[] = []
    const pipeTtft: number[] = []
    for (let i = 0; i < 5; i++) {
      await rawRun(baseUrl, TTFT_TOKENS, false)
      await pipelineRun(ttftServices, TTFT_TOKENS)
    }
    for (let i = 0; i < rounds * 6; i++) {
      const a = await rawRun(baseUrl, TTFT_TOKENS, false)
      const b = await pipelineRun(ttftServices, TTFT_TOKENS)
      if (a.ttftMs !== null) rawTtft.push(a.ttftMs)
      if (b.ttftMs !== null) pipeTtft.push(b.ttftMs)
    }
    const rawTtftP50 = median(rawTtft)
    const pipeTtftP50 = median(pipeTtft)

    return [
      row(SUITE, 'pipeline.throughput', median(pipe), 'chunks/s', median(raw)),
      row(SUITE, 'pipeline.throughput_vs_sdk', median(pipe), 'chunks/s', median(sdkRates)),
      row(SUITE, 'pipeline.throughput_vs_raw_json', median(pipe), 'chunks/s', median(rawJson)),
      row(SUITE, 'pipeline.cpu_us_per_chunk', pipeCpu / pipeChunks, 'us', rawCpu / rawChunks),
      row(SUITE, 'pipeline.added_ttft_ms', pipeTtftP50 - rawTtftP50, 'ms', rawTtftP50),
      row(SUITE, 'pipeline.ttft_p50_ms', pipeTtftP50, 'ms', rawTtftP50),
    ]
  } finally {
    child.kill()
  }
}

const SIZES: [string, number][] = [
  ['1KB', 1024],
  ['10KB', 10 * 1024],
  ['100KB', 100 * 1024],
  ['1MB', 1024 * 1024],
]

type Mode = 'json' | 'msgpack' | 'gzip' | 'msgpack_gzip'

/** Time to turn the request object into wire bytes in each encoding, with the production functions. */
async function encodeOnce(mode: Mode, body: object): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now()
  let bytes: number
  if (mode === 'json') bytes = Buffer.byteLength(JSON.stringify(body))
  else if (mode === 'msgpack') bytes = packMsgpack(body).byteLength
  else if (mode === 'gzip') bytes = (await gzipBytes(JSON.stringify(body))).byteLength
  else bytes = (await gzipBytes(packMsgpack(body))).byteLength
  return { ms: performance.now() - t0, bytes }
}

async function medianEncode(mode: Mode, body: object, reps: number): Promise<{ ms: number; bytes: number }> {
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < reps; i++) {
    const r = await encodeOnce(mode, body)
    times.push(r.ms)
    bytes = r.bytes
  }
  return { ms: median(times), bytes }
}

async function benchEncoding(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  const modes: Mode[] = ['json', 'msgpack', 'gzip', 'msgpack_gzip']
  for (const [label, size] of SIZES) {
    const body = chatBodyOfSize(size)
    const reps = size >= 1024 * 1024 ? 15 : size >= 100 * 1024 ? 40 : 200
    for (const m of modes) await medianEncode(m, body, 3)
    const json = await medianEncode('json', body, reps)
    for (const m of modes) {
      const r = m === 'json' ? json : await medianEncode(m, body, reps)
      rows.push(row(SUITE, `encode.${m}.${label}.ms`, r.ms, 'ms', m === 'json' ? null : json.ms))
      rows.push(row(SUITE, `encode.${m}.${label}.wire_ratio`, r.bytes / json.bytes, 'ratio'))
    }
    opts.log(`encode ${label}: done`)
  }

  // Below the threshold the body goes as JSON: measure what deciding that costs.
  const small = JSON.stringify(chatBodyOfSize(1024))
  const settings = { msgpack: true, gzip: true }
  const passthrough: number[] = []
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now()
    const e = await encodeJsonBody(small, settings)
    passthrough.push(performance.now() - t0)
    if (e.encoding !== 'json') throw new Error('a 1 KB body should go as JSON')
  }
  rows.push(row(SUITE, 'encode.below_threshold.added_ms', median(passthrough), 'ms'))

  // Where msgpack+gzip starts to pay: encode time < upload time saved, on a
  // 100 Mbit/s and a 1 Gbit/s uplink (the threshold is chosen from these).
  const measured: { size: number; encodeMs: number; savedBytes: number }[] = []
  for (const size of [1024, 2048, 3072, 4096, 6144, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576]) {
    const body = chatBodyOfSize(size)
    const reps = size >= 262144 ? 10 : 60
    const json = await medianEncode('json', body, reps)
    const enc = await medianEncode('msgpack_gzip', body, reps)
    measured.push({ size, encodeMs: enc.ms, savedBytes: json.bytes - enc.bytes })
  }
  const gainMs = (m: (typeof measured)[number], bitsPerSec: number) => ((m.savedBytes * 8) / bitsPerSec) * 1000 - m.encodeMs
  for (const [label, bitsPerSec] of [
    ['100mbit', 100e6],
    ['1gbit', 1e9],
  ] as const) {
    const first = measured.find((m) => gainMs(m, bitsPerSec) > 0)
    // No row when it never pays within 1 MB on that link (see net_gain_ms).
    if (first) rows.push(row(SUITE, `encode.break_even_bytes_${label}`, first.size, 'bytes', DEFAULT_ENCODE_THRESHOLD_BYTES))
    for (const m of measured.filter((x) => x.size === 4096 || x.size === 1048576)) {
      rows.push(row(SUITE, `encode.net_gain_ms_${label}.${m.size === 4096 ? '4KB' : '1MB'}`, gainMs(m, bitsPerSec), 'ms'))
    }
  }
  rows.push(row(SUITE, 'encode.threshold_bytes', DEFAULT_ENCODE_THRESHOLD_BYTES, 'bytes'))
  return rows
}

export default async function transport(opts: BenchOptions): Promise<BenchRow[]> {
  const i = opts.args.indexOf('--rounds')
  const rounds = i >= 0 ? Math.max(1, Number(opts.args[i + 1]) || 8) : 8
  const encoding = await benchEncoding(opts)
  const pipeline = await benchPipeline(opts, rounds)
  return [...pipeline, ...encoding]
}
