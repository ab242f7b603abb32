import { createStore } from 'zustand/vanilla'

import { api } from '../../api'
import { DEFAULT_SAMPLES, newSampleKey, promptSample, type Sample } from './bench-core'

/** The test bench's sample prompts, kept between runs as a UI document. */

export const BENCH_KEY = 'policies.bench'

export interface BenchState {
  samples: Sample[]
  loaded: boolean
}

export const defaultSamples = (): Sample[] => DEFAULT_SAMPLES.map((s) => promptSample(s.prompt, s.id))

export const benchStore = createStore<BenchState>(() => ({ samples: defaultSamples(), loaded: false }))

function isSample(v: unknown): v is Sample {
  const s = v as Sample
  return (
    !!s &&
    typeof s === 'object' &&
    typeof s.key === 'string' &&
    Array.isArray(s.messages) &&
    s.messages.every((m) => m && typeof m.role === 'string' && typeof m.content === 'string')
  )
}

let saveTimer: ReturnType<typeof setTimeout> | undefined

function save(samples: Sample[]): void {
  clearTimeout(saveTimer)
  saveTimer = setTimeout(() => {
    const json = JSON.stringify(samples)
    if (json.length < 900_000) void api.stateSet({ key: BENCH_KEY, value: samples }).catch(() => undefined)
  }, 400)
}

export async function loadBench(): Promise<void> {
  if (benchStore.getState().loaded) return
  try {
    const { value } = await api.stateGet({ key: BENCH_KEY })
    if (Array.isArray(value) && value.every(isSample)) {
      benchStore.setState({ samples: value, loaded: true })
      return
    }
  } catch {
    // Keep the default samples.
  }
  benchStore.setState({ loaded: true })
}

export function setSamples(samples: Sample[]): void {
  benchStore.setState({ samples })
  save(samples)
}

export function updateMessage(key: string, index: number, content: string): void {
  setSamples(
    benchStore.getState().samples.map((s) => (s.key === key ? { ...s, messages: s.messages.map((m, i) => (i === index ? { ...m, content } : m)) } : s)),
  )
}

export function addSample(): void {
  setSamples([...benchStore.getState().samples, { key: newSampleKey(), messages: [{ role: 'user', content: '' }] }])
}

export function removeSample(key: string): void {
  setSamples(benchStore.getState().samples.filter((s) => s.key !== key))
}
