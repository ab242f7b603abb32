import { encodingFor, generateCode, pythonCerebrasCode, pythonOpenAICode, toPython, wireBody } from '@renderer/features/playground/codegen'
import { describe, expect, it } from 'vitest'

import { bigRequest, smallRequest } from '../../support/view-code-requests'

const small = smallRequest
const big = bigRequest
const ON = { msgpack: true, gzip: true }
const OFF = { msgpack: false, gzip: false }

describe('View code', () => {
  it('shows the body main sends: the request plus stream and include_usage', () => {
    expect(wireBody(small)).toEqual({ ...small, stream: true, stream_options: { include_usage: true } })
  })

  it('encodes like main: plain JSON below 4 KB, msgpack and/or gzip above it when switched on', () => {
    expect(encodingFor(wireBody(small), ON)).toBe('json')
    expect(encodingFor(wireBody(big), ON)).toBe('msgpack+gzip')
    expect(encodingFor(wireBody(big), { msgpack: false, gzip: true })).toBe('gzip')
    expect(encodingFor(wireBody(big), OFF)).toBe('json')
  })

  it('never inlines a key: every snippet reads CEREBRAS_API_KEY from the environment', () => {
    for (const lang of ['curl', 'python-cerebras', 'python-openai', 'typescript-openai'] as const) {
      const code = generateCode(lang, big, { baseUrl: 'https://api.cerebras.ai/v1', compression: ON })
      expect(code).toMatch(/CEREBRAS_API_KEY/)
      expect(code).not.toMatch(/csk-/)
    }
  })

  it('writes Python that names the encoding, passes Cerebras-only fields through extra_body for openai, and uses Python literals', () => {
    const cerebras = pythonCerebrasCode(big, { baseUrl: 'http://127.0.0.1:9/v1', compression: ON })
    expect(cerebras).toContain('from cerebras.cloud.sdk import Cerebras')
    expect(cerebras).toContain('base_url="http://127.0.0.1:9"') // the SDK adds /v1 itself
    expect(cerebras).toContain('body = msgpack.packb(json.loads(body))')
    expect(cerebras).toContain('body = gzip.compress(body, compresslevel=1)')
    expect(cerebras).toContain('reasoning_format="parsed",')
    expect(cerebras).toContain('stream_options={\n        "include_usage": True,\n    },')
    const openai = pythonOpenAICode(small, { baseUrl: 'https://api.cerebras.ai/v1', compression: ON })
    expect(openai).not.toContain('httpx') // a small body goes as plain JSON
    expect(openai).toContain('base_url="https://api.cerebras.ai/v1"')
    expect(openai).toContain('extra_body={\n        "reasoning_format": "parsed",\n    },')
    expect(toPython({ a: [true, false, null, 1.5, 'x"y'] })).toBe(
      '{\n    "a": [\n        True,\n        False,\n        None,\n        1.5,\n        "x\\"y",\n    ],\n}',
    )
  })
})
