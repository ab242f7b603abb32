import { currentEndpointKey, endpointName, measuredElsewhere, measuredOn, summarizeMeasured } from '@renderer/lib/measured'
import type { RunEndpoint } from '@shared/endpoint'
import type { MetricPoint } from '@shared/ipc/domains/history'
import { describe, expect, it } from 'vitest'

/* "Measured by you": medians per model from saved runs, per endpoint: real Cerebras, the demo, a fake or replay server never mix. */

const CEREBRAS: RunEndpoint = { kind: 'cerebras', host: 'api.cerebras.ai' }
const FAKE: RunEndpoint = { kind: 'fake', host: '127.0.0.1:4010' }
const REPLAY: RunEndpoint = { kind: 'replay', host: '127.0.0.1:4020' }

const point = (id: string, model: string, decode: number, ttft: number, endpoint: RunEndpoint | null, demo?: true): MetricPoint => ({
  id,
  startedAt: Number(id.replace(/\D/g, '')),
  model,
  ttftMs: ttft,
  decodeTokensPerSec: decode,
  ...(demo ? { demo } : {}),
  endpoint,
})

const points = [
  point('r1', 'gpt-oss-120b', 2000, 100, CEREBRAS),
  point('r2', 'gpt-oss-120b', 2200, 120, CEREBRAS),
  point('r3', 'gpt-oss-120b', 3000, 140, CEREBRAS),
  point('f4', 'gpt-oss-120b', 1500, 80, FAKE),
  point('p5', 'gpt-oss-120b', 2950, 60, REPLAY),
  point('d6', 'gpt-oss-120b', 9000, 5, { kind: 'demo', host: '127.0.0.1:51234' }, true),
  // A demo run saved before endpoints were recorded: still the demo.
  point('d7', 'zai-glm-4.7', 8000, 6, null, true),
  // A run saved before endpoints were recorded: belongs to none, so counted nowhere.
  point('u8', 'gpt-oss-120b', 100, 900, null),
]

describe('summarizeMeasured', () => {
  const all = summarizeMeasured(points)

  it('keeps each endpoint apart', () => {
    expect(Object.keys(all).sort()).toEqual(['127.0.0.1:4010', '127.0.0.1:4020', 'api.cerebras.ai', 'demo'])
    expect(all['api.cerebras.ai']['gpt-oss-120b']).toMatchObject({
      runs: 3,
      decodeTokensPerSecP50: 2200,
      ttftMsP50: 120,
      lastAt: 3,
      demo: false,
      endpoint: CEREBRAS,
    })
    expect(all['127.0.0.1:4010']['gpt-oss-120b']).toMatchObject({ runs: 1, decodeTokensPerSecP50: 1500, endpoint: FAKE })
    expect(all['127.0.0.1:4020']['gpt-oss-120b']).toMatchObject({ runs: 1, decodeTokensPerSecP50: 2950, endpoint: REPLAY })
    expect(Object.keys(all.demo).sort()).toEqual(['gpt-oss-120b', 'zai-glm-4.7'])
    expect(all.demo['gpt-oss-120b']).toMatchObject({ runs: 1, decodeTokensPerSecP50: 9000, demo: true })
  })

  it('shows the endpoint in use: the demo while it is on, else the base URL’s host', () => {
    expect(currentEndpointKey('https://api.cerebras.ai/v1', false)).toBe('api.cerebras.ai')
    expect(measuredOn(all, currentEndpointKey('https://api.cerebras.ai/v1', false))['gpt-oss-120b'].runs).toBe(3)
    expect(measuredOn(all, currentEndpointKey('http://127.0.0.1:4010/v1', false))['gpt-oss-120b'].decodeTokensPerSecP50).toBe(1500)
    expect(measuredOn(all, currentEndpointKey('https://api.cerebras.ai/v1', true))['gpt-oss-120b'].demo).toBe(true)
    expect(measuredOn(all, currentEndpointKey('http://10.0.0.9:9999/v1', false))).toEqual({})
    expect(measuredOn(all, currentEndpointKey(null, false))).toEqual({})
  })

  it('lists a model’s figures on the other endpoints, newest first', () => {
    expect(measuredElsewhere(all, 'gpt-oss-120b', 'api.cerebras.ai').map((m) => m.endpoint.kind)).toEqual(['demo', 'replay', 'fake'])
  })

  it('names each endpoint', () => {
    expect(endpointName(CEREBRAS)).toBe('Cerebras')
    expect(endpointName(FAKE)).toBe('the fake server at 127.0.0.1:4010')
    expect(endpointName(REPLAY)).toBe('the replay server at 127.0.0.1:4020')
    expect(endpointName({ kind: 'custom', host: 'llm.internal:8443' })).toBe('llm.internal:8443')
  })
})
