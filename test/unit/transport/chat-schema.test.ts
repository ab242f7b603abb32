import { channels } from '@shared/ipc/contract'
import { ChatRequest, ChatStartArgs } from '@shared/ipc/domains/chat'
import { describe, expect, it } from 'vitest'

describe('the chat request schema', () => {
  it('accepts every field Cerebras documents', () => {
    const full = {
      model: 'gpt-oss-120b',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '42' },
      ],
      max_completion_tokens: 1024,
      min_tokens: 1,
      temperature: 0.7,
      top_p: 0.9,
      seed: 7,
      stop: ['a', 'b', 'c', 'd'],
      n: 1,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      logit_bias: { '123': -100 },
      logprobs: true,
      top_logprobs: 20,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      reasoning_effort: 'high',
      reasoning_format: 'parsed',
      prediction: { type: 'content', content: 'guess' },
      prompt_cache_key: 'k',
      service_tier: 'flex',
    }
    expect(ChatRequest.safeParse(full).success).toBe(true)
  })

  it('rejects unknown fields, as the API does, at every level', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] }
    expect(ChatRequest.safeParse({ ...base, foo: 1 }).success).toBe(false)
    expect(ChatRequest.safeParse({ ...base, messages: [{ role: 'user', content: 'x', extra: 1 }] }).success).toBe(false)
    expect(ChatRequest.safeParse({ ...base, response_format: { type: 'json_object', schema: {} } }).success).toBe(false)
    expect(ChatStartArgs.safeParse({ request: base, stream: true }).success).toBe(false)
  })

  it('enforces the documented limits', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] }
    expect(ChatRequest.safeParse({ ...base, stop: ['a', 'b', 'c', 'd', 'e'] }).success).toBe(false)
    expect(ChatRequest.safeParse({ ...base, top_logprobs: 21 }).success).toBe(false)
    expect(ChatRequest.safeParse({ ...base, reasoning_effort: 'max' }).success).toBe(false)
    expect(ChatRequest.safeParse({ ...base, messages: [] }).success).toBe(false)
    expect(ChatRequest.safeParse({ ...base, tools: [{ type: 'function', function: { name: 'bad name!' } }] }).success).toBe(false)
    expect(ChatStartArgs.safeParse({ request: base, requestId: '../etc' }).success).toBe(false)
  })

  it('refuses tool parameters or a response schema nested too deeply to send as JSON, saying so', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] }
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const tools = ChatRequest.safeParse({ ...base, tools: [{ type: 'function', function: { name: 'f', parameters: { x: deep } } }] })
    expect(tools.success).toBe(false)
    expect(tools.error?.issues[0]).toMatchObject({
      path: ['tools', 0, 'function', 'parameters'],
      message: 'it cannot be written as JSON: it is nested too deeply, or refers to itself',
    })
    const schema = ChatRequest.safeParse({ ...base, response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { x: deep } } } })
    expect(schema.error?.issues[0].message).toBe('it cannot be written as JSON: it is nested too deeply, or refers to itself')
    // Nesting a real schema has (a few dozen levels) is fine.
    let nested: unknown = { type: 'string' }
    for (let i = 0; i < 50; i++) nested = { type: 'object', properties: { a: nested } }
    expect(ChatRequest.safeParse({ ...base, tools: [{ type: 'function', function: { name: 'f', parameters: nested } }] }).success).toBe(true)
  })

  it('registers the chat and models channels and events in the contract', () => {
    for (const name of ['chat:start', 'chat:abort', 'chat:complete', 'models:list', 'models:public', 'ratelimit:get']) {
      expect(channels).toHaveProperty(name)
    }
  })
})
