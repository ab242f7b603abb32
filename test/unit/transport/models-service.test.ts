import { parsePublicModels, publicModelsUrl } from '@main/services/cerebras/models-service'
import { describe, expect, it } from 'vitest'

describe('the public model list', () => {
  it('lives next to the API: /v1 becomes /public/v1/models', () => {
    expect(publicModelsUrl('https://api.cerebras.ai/v1')).toBe('https://api.cerebras.ai/public/v1/models')
    expect(publicModelsUrl('http://127.0.0.1:8787/v1/')).toBe('http://127.0.0.1:8787/public/v1/models')
    expect(publicModelsUrl('https://proxy.example/cerebras/v1')).toBe('https://proxy.example/cerebras/public/v1/models')
  })

  it('parses limits, prices per token (kept as strings) and per 1M, and flags', () => {
    const models = parsePublicModels({
      data: [
        {
          id: 'gpt-oss-120b',
          limits: { max_context_length: 131072, max_completion_tokens: 40960 },
          pricing: { prompt: '0.00000035', completion: '0.00000075' },
          capabilities: { tools: true, vision: false },
          deprecated: false,
          preview: false,
        },
        { id: 'old', deprecated: true, pricing: { prompt: 'n/a' } },
        { name: 'no id' },
      ],
    })
    expect(models).toHaveLength(2)
    expect(models[0]).toEqual({
      id: 'gpt-oss-120b',
      name: null,
      contextLength: 131072,
      maxCompletionTokens: 40960,
      pricing: { prompt: '0.00000035', completion: '0.00000075' },
      promptPer1M: 0.35,
      completionPer1M: 0.75,
      capabilities: ['tools'],
      deprecated: false,
      preview: false,
    })
    expect(models[1]).toMatchObject({ contextLength: null, promptPer1M: null, completionPer1M: null, deprecated: true })
  })

  it('accepts the OpenRouter-style fields and bare arrays, and refuses a body without a list', () => {
    expect(parsePublicModels([{ id: 'a', context_length: 8192, max_output_length: 1024, capabilities: ['tools'] }])[0]).toMatchObject({
      contextLength: 8192,
      maxCompletionTokens: 1024,
      capabilities: ['tools'],
    })
    expect(() => parsePublicModels({ detail: 'nope' })).toThrow(/no data array/)
  })
})
