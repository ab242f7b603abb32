import type { BodyEncoding, ChatRequest } from '@shared/ipc/domains/chat'
import { chooseEncoding } from '@shared/transport/encoding-choice'

/**
 * "View code": the request Wafer sends, as curl, Python (cerebras-cloud-sdk
 * and openai) and TypeScript (openai). The body is exactly what main puts
 * on the wire (the request plus `stream: true` and
 * `stream_options.include_usage`), encoded the way the compression settings
 * encode it. The key is always read from CEREBRAS_API_KEY, never inlined.
 */

export interface CodeOptions {
  /** Base URL including /v1, as in Settings. */
  baseUrl: string
  compression: { msgpack: boolean; gzip: boolean }
}

export type CodeLanguage = 'curl' | 'python-cerebras' | 'python-openai' | 'typescript-openai'

export const CODE_LANGUAGES: { id: CodeLanguage; label: string }[] = [
  { id: 'curl', label: 'curl' },
  { id: 'python-cerebras', label: 'Python · cerebras-cloud-sdk' },
  { id: 'python-openai', label: 'Python · openai' },
  { id: 'typescript-openai', label: 'TypeScript · openai' },
]

/** The body main sends for a streamed chat. */
export function wireBody(request: ChatRequest): Record<string, unknown> {
  return { ...request, stream: true, stream_options: { include_usage: true } }
}

export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length
}

/** How main would encode this body with these settings. */
export function encodingFor(body: Record<string, unknown>, compression: CodeOptions['compression']): BodyEncoding {
  return chooseEncoding(utf8Length(JSON.stringify(body)), compression)
}

const usesMsgpack = (e: BodyEncoding) => e === 'msgpack' || e === 'msgpack+gzip'
const usesGzip = (e: BodyEncoding) => e === 'gzip' || e === 'msgpack+gzip'

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/** The Cerebras SDKs add /v1 themselves; their base URL is the host part. */
function sdkBaseUrl(baseUrl: string): string {
  return trimSlash(baseUrl).replace(/\/v1$/, '')
}

const DEFAULT_BASE = 'https://api.cerebras.ai/v1'
const isDefaultBase = (url: string) => trimSlash(url) === DEFAULT_BASE

// ---- curl

function heredocDelimiter(json: string): string {
  let d = 'JSON'
  while (json.includes(`\n${d}\n`) || json.endsWith(`\n${d}`)) d += '_'
  return d
}

export function curlCode(request: ChatRequest, opts: CodeOptions): string {
  const body = wireBody(request)
  const json = JSON.stringify(body, null, 2)
  const encoding = encodingFor(body, opts.compression)
  const url = `${trimSlash(opts.baseUrl)}/chat/completions`
  const delim = heredocDelimiter(json)
  const pipeline: string[] = []
  const headers = ['-H "Authorization: Bearer $CEREBRAS_API_KEY"']
  const comments: string[] = []
  if (usesMsgpack(encoding)) {
    comments.push('# The body goes as MessagePack (needs Python with `pip install msgpack`).')
    pipeline.push(`python3 -c 'import json, sys, msgpack; sys.stdout.buffer.write(msgpack.packb(json.load(sys.stdin)))' <<'${delim}'`)
    headers.push('-H "Content-Type: application/vnd.msgpack"')
  } else {
    headers.push('-H "Content-Type: application/json"')
  }
  if (usesGzip(encoding)) {
    comments.push('# The body is gzipped (Content-Encoding: gzip).')
    pipeline.push(pipeline.length ? 'gzip -1 -c' : `gzip -1 -c <<'${delim}'`)
    headers.push('-H "Content-Encoding: gzip"')
  }
  const curl = [`curl -sN ${url}`, ...headers, '--data-binary @-'].join(' \\\n  ')
  const first = pipeline.length ? `${pipeline.join(' | ')} | ${curl}` : `${curl} <<'${delim}'`
  return [...comments, first, json, delim].join('\n')
}

// ---- Python

function pyString(s: string): string {
  return JSON.stringify(s)
}

/** JSON → a Python literal (True/False/None), indented like json.dumps(indent=4). */
export function toPython(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent)
  const inner = ' '.repeat(indent + 4)
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None'
  if (typeof value === 'string') return pyString(value)
  if (Array.isArray(value)) {
    if (!value.length) return '[]'
    return `[\n${value.map((v) => `${inner}${toPython(v, indent + 4)}`).join(',\n')},\n${pad}]`
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  if (!entries.length) return '{}'
  return `{\n${entries.map(([k, v]) => `${inner}${pyString(k)}: ${toPython(v, indent + 4)}`).join(',\n')},\n${pad}}`
}

/** Fields the openai Python SDK does not know go through extra_body. */
const OPENAI_PY_EXTRA = new Set(['min_tokens', 'reasoning_format'])

function pyKwargs(body: Record<string, unknown>, extra: Set<string>): string {
  const known = Object.entries(body).filter(([k]) => !extra.has(k))
  const rest = Object.fromEntries(Object.entries(body).filter(([k]) => extra.has(k)))
  const lines = known.map(([k, v]) => `    ${k}=${toPython(v, 4)},`)
  if (Object.keys(rest).length) lines.push(`    extra_body=${toPython(rest, 4)},`)
  return lines.join('\n')
}

function pythonTransport(encoding: BodyEncoding): string[] {
  if (encoding === 'json') return []
  const steps: string[] = []
  if (usesMsgpack(encoding)) steps.push('        body = msgpack.packb(json.loads(body))', '        headers["Content-Type"] = "application/vnd.msgpack"')
  if (usesGzip(encoding)) steps.push('        body = gzip.compress(body, compresslevel=1)', '        headers["Content-Encoding"] = "gzip"')
  return [
    '',
    '',
    'class CerebrasPayloadTransport(httpx.HTTPTransport):',
    `    """Sends chat bodies as ${encoding} (Cerebras payload optimization)."""`,
    '',
    '    def handle_request(self, request: httpx.Request) -> httpx.Response:',
    '        if not request.url.path.endswith("/chat/completions"):',
    '            return super().handle_request(request)',
    '        body = request.read()',
    '        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}',
    ...steps,
    '        encoded = httpx.Request(request.method, request.url, headers=headers, content=body, extensions=request.extensions)',
    '        return super().handle_request(encoded)',
  ]
}

function pythonImports(encoding: BodyEncoding, sdkImport: string): string[] {
  const std = ['os']
  if (usesMsgpack(encoding)) std.unshift('json')
  if (usesGzip(encoding)) std.unshift('gzip')
  const lines = [`import ${std.sort().join(', ')}`, '']
  if (encoding !== 'json') lines.push('import httpx')
  if (usesMsgpack(encoding)) lines.push('import msgpack')
  lines.push(sdkImport)
  return lines
}

const PY_LOOP = [
  '',
  'for chunk in stream:',
  '    if not chunk.choices:',
  '        continue',
  '    delta = chunk.choices[0].delta',
  '    if getattr(delta, "reasoning", None):',
  '        print(delta.reasoning, end="", flush=True)',
  '    if delta.content:',
  '        print(delta.content, end="", flush=True)',
  '    if getattr(chunk, "usage", None):',
  '        print("\\n", chunk.usage, getattr(chunk, "time_info", None))',
]

export function pythonCerebrasCode(request: ChatRequest, opts: CodeOptions): string {
  const body = wireBody(request)
  const encoding = encodingFor(body, opts.compression)
  const args = ['    api_key=os.environ["CEREBRAS_API_KEY"],']
  if (!isDefaultBase(opts.baseUrl)) args.push(`    base_url=${pyString(sdkBaseUrl(opts.baseUrl))},`)
  if (encoding !== 'json') args.push('    http_client=httpx.Client(transport=CerebrasPayloadTransport()),')
  return [
    ...pythonImports(encoding, 'from cerebras.cloud.sdk import Cerebras'),
    ...pythonTransport(encoding),
    '',
    '',
    'client = Cerebras(',
    ...args,
    ')',
    '',
    'stream = client.chat.completions.create(',
    pyKwargs(body, new Set()),
    ')',
    ...PY_LOOP,
  ].join('\n')
}

export function pythonOpenAICode(request: ChatRequest, opts: CodeOptions): string {
  const body = wireBody(request)
  const encoding = encodingFor(body, opts.compression)
  const args = ['    api_key=os.environ["CEREBRAS_API_KEY"],', `    base_url=${pyString(trimSlash(opts.baseUrl))},`]
  if (encoding !== 'json') args.push('    http_client=httpx.Client(transport=CerebrasPayloadTransport()),')
  return [
    ...pythonImports(encoding, 'from openai import OpenAI'),
    ...pythonTransport(encoding),
    '',
    '',
    'client = OpenAI(',
    ...args,
    ')',
    '',
    'stream = client.chat.completions.create(',
    pyKwargs(body, OPENAI_PY_EXTRA),
    ')',
    ...PY_LOOP,
  ].join('\n')
}

// ---- TypeScript

export function typescriptOpenAICode(request: ChatRequest, opts: CodeOptions): string {
  const body = wireBody(request)
  const encoding = encodingFor(body, opts.compression)
  const lines: string[] = ["import OpenAI from 'openai'"]
  if (usesMsgpack(encoding)) lines.push("import { Packr } from 'msgpackr'")
  if (usesGzip(encoding)) lines.push("import { gzipSync } from 'node:zlib'")
  if (encoding !== 'json') {
    lines.push(
      '',
      ...(usesMsgpack(encoding) ? ['// Plain MessagePack maps, readable by any decoder.', 'const packr = new Packr({ useRecords: false })', ''] : []),
      `/** Sends chat bodies as ${encoding} (Cerebras payload optimization). */`,
      'const cerebrasFetch: typeof fetch = async (url, init) => {',
      "  if (!String(url).endsWith('/chat/completions') || typeof init?.body !== 'string') return fetch(url, init)",
      '  const headers = new Headers(init.headers)',
      '  let body: Uint8Array = new TextEncoder().encode(init.body)',
    )
    if (usesMsgpack(encoding)) lines.push('  body = packr.pack(JSON.parse(init.body))', "  headers.set('Content-Type', 'application/vnd.msgpack')")
    if (usesGzip(encoding)) lines.push('  body = gzipSync(body, { level: 1 })', "  headers.set('Content-Encoding', 'gzip')")
    lines.push('  return fetch(url, { ...init, headers, body })', '}')
  }
  lines.push(
    '',
    'const client = new OpenAI({',
    '  apiKey: process.env.CEREBRAS_API_KEY,',
    `  baseURL: ${JSON.stringify(trimSlash(opts.baseUrl))},`,
    ...(encoding !== 'json' ? ['  fetch: cerebrasFetch,'] : []),
    '})',
    '',
    `const body = ${JSON.stringify(body, null, 2)}`,
    '',
    '// Cerebras-only fields (time_info, reasoning) are not in the SDK types; they arrive all the same.',
    'const stream = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsStreaming)',
    'for await (const chunk of stream) {',
    '  const delta = chunk.choices[0]?.delta as { content?: string; reasoning?: string } | undefined',
    '  if (delta?.reasoning) process.stdout.write(delta.reasoning)',
    '  if (delta?.content) process.stdout.write(delta.content)',
    "  if (chunk.usage) console.log('\\n', chunk.usage, (chunk as { time_info?: unknown }).time_info)",
    '}',
  )
  return lines.join('\n')
}

export function generateCode(language: CodeLanguage, request: ChatRequest, opts: CodeOptions): string {
  switch (language) {
    case 'curl':
      return curlCode(request, opts)
    case 'python-cerebras':
      return pythonCerebrasCode(request, opts)
    case 'python-openai':
      return pythonOpenAICode(request, opts)
    case 'typescript-openai':
      return typescriptOpenAICode(request, opts)
  }
}
