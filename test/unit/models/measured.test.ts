import { summarizeMeasured } from '@renderer/lib/measured'
import type { MetricPoint } from '@shared/ipc/domains/history'
import { describe, expect, it } from 'vitest'

/* "Measured by you": medians per model from saved runs, never mixing demo runs (made-up figures) with real ones. */

const point = (id: string, model: string, decode: number, ttft: number, demo?: true): MetricPoint => ({
  id,
  startedAt: Number(id.replace(/\D/g, '')),
  model,
  ttftMs: ttft,
  decodeTokensPerSec: decode,
  ...(demo ? { demo } : {}),
})

const points = [
  point('r1', 'gpt-oss-120b', 2000, 100),
  point('r2', 'gpt-oss-120b', 2200, 120),
  point('r3', 'gpt-oss-120b', 3000, 140),
  point('d4', 'gpt-oss-120b', 9000, 5, true),
  point('d5', 'zai-glm-4.7', 8000, 6, true),
]

describe('summarizeMeasured', () => {
  it('uses only real runs by default', () => {
    const m = summarizeMeasured(points)
    expect(Object.keys(m)).toEqual(['gpt-oss-120b'])
    expect(m['gpt-oss-120b']).toMatchObject({ runs: 3, decodeTokensPerSecP50: 2200, ttftMsP50: 120, lastAt: 3, demo: false })
  })

  it('uses only demo runs while the demo endpoint is on, and says so', () => {
    const m = summarizeMeasured(points, true)
    expect(Object.keys(m).sort()).toEqual(['gpt-oss-120b', 'zai-glm-4.7'])
    expect(m['gpt-oss-120b']).toMatchObject({ runs: 1, decodeTokensPerSecP50: 9000, demo: true })
  })
})
