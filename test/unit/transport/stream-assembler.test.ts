import { type CoalescedDelta, DeltaCoalescer } from '@main/services/cerebras/delta-coalescer'
import { ResponseTimings } from '@main/services/cerebras/response-metrics'
import { MalformedChunk, StreamAssembler, StreamErrorChunk } from '@main/services/cerebras/stream-assembler'
import { describe, expect, it } from 'vitest'

import { ManualClock } from '../../support/test-clocks'

function setup() {
  const clock = new ManualClock()
  const sent: CoalescedDelta[] = []
  const coalescer = new DeltaCoalescer((d) => sent.push(d), clock, 0)
  const timings = new ResponseTimings(0)
  let readAt = 0
  const a = new StreamAssembler(coalescer, timings, () => readAt)
  const feed = (chunks: string[]) => {
    for (const c of chunks) {
      readAt += 1
      a.handleData(c)
      coalescer.endOfRead()
    }
    coalescer.flush()
  }
  return { a, sent, timings, feed, coalescer }
}

const head = (extra = '') => `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-oss-120b"${extra},"choices":[{"index":0,"delta":`
const text = (key: string, s: string, h = head()) => `${h}{"${key}":${JSON.stringify(s)}},"finish_reason":null}]}`
const final = `${head()}{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":9,"total_tokens":12},"time_info":{"queue_time":0.001,"prompt_time":0.002,"completion_time":0.01,"total_time":0.02,"created":1.5}}`

describe('assembling a Cerebras stream', () => {
  it('gives the exact text, including quotes, escapes, unicode and lone backslashes', () => {
    const pieces = ['Hello', ' "quoted"', ' back\\slash', ' tab\t', ' \u00e9\u{1F680}', ' line\nbreak', ' \\"', ' \u2028', ' end']
    const { a, sent, feed } = setup()
    feed([`${head()}{"role":"assistant"},"finish_reason":null}]}`, ...pieces.map((p) => text('content', p)), final])
    expect(sent.map((d) => d.content ?? '').join('')).toBe(pieces.join(''))
    expect(a.contentChars).toBe(pieces.join('').length)
    expect(a.finishReason).toBe('stop')
    expect(a.usage).toEqual({ prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 })
    expect(a.timeInfo).toEqual({ queue_time: 0.001, prompt_time: 0.002, completion_time: 0.01, total_time: 0.02, created: 1.5 })
    expect(a.completionId).toBe('chatcmpl-1')
  })

  it('takes usage from a final chunk even when its layout matches a text chunk, and does not skip it', () => {
    const { a, feed, sent } = setup()
    const h = head()
    // Same prefix and suffix as text chunks, but with usage after: must go through the full parse.
    const sneaky = `${h}{"content":"x"},"finish_reason":null}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`
    // Same prefix and suffix again, but a second key inside the delta: the text is only "y".
    const twoKeys = `${h}{"content":"y","role":"assistant"},"finish_reason":null}]}`
    feed([text('content', 'a'), text('content', 'b'), sneaky, twoKeys])
    expect(a.usage?.completion_tokens).toBe(2)
    expect(sent.map((d) => d.content).join('')).toBe('abxy')
  })

  it('handles chunks whose key order or fields change mid-stream', () => {
    const { feed, sent } = setup()
    feed([
      text('content', 'a'),
      `{"choices":[{"delta":{"content":"b"},"index":0}],"id":"chatcmpl-1","model":"m","object":"chat.completion.chunk"}`,
      text('content', 'c', head(',"system_fingerprint":"fp"')),
      `${head()}{"role":"assistant","content":"d"},"finish_reason":null}]}`,
      text('content', 'e'),
    ])
    expect(sent.map((d) => d.content).join('')).toBe('abcde')
  })

  it('streams reasoning and content separately and times every text chunk', () => {
    const { feed, sent, timings } = setup()
    feed([text('reasoning', 'think'), text('reasoning', ' more'), text('content', 'answer'), final])
    expect(sent.map((d) => d.reasoning ?? '').join('')).toBe('think more')
    expect(sent.map((d) => d.content ?? '').join('')).toBe('answer')
    expect(timings.contentChunks).toBe(3)
    expect(timings.firstTokenAt).toBe(1)
  })

  it('assembles tool calls whose arguments arrive in pieces', () => {
    const { a, feed } = setup()
    feed([
      `${head()}{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"search","arguments":"{\\"q\\""}}]},"finish_reason":null}]}`,
      `${head()}{"tool_calls":[{"index":0,"function":{"arguments":":\\"x\\"}"}}]},"finish_reason":null}]}`,
      `${head()}{},"finish_reason":"tool_calls"}]}`,
    ])
    expect(a.toolCalls()).toEqual([{ id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"q":"x"}' } }])
    expect(a.finishReason).toBe('tool_calls')
  })

  it('accepts [DONE] and notes it', () => {
    const { a, feed } = setup()
    feed([text('content', 'x'), '[DONE]'])
    expect(a.sawDoneMarker).toBe(true)
  })

  it('throws on a mid-stream error chunk, with its status code', () => {
    const { a } = setup()
    expect(() => a.handleData('{"error":{"id":"x","code":"internal_error","message":"boom","param":null,"type":"server_error"},"status_code":500}')).toThrow(
      StreamErrorChunk,
    )
    try {
      a.handleData('{"error":{"message":"slow down","type":"too_many_requests_error"},"status_code":429}')
    } catch (e) {
      expect((e as StreamErrorChunk).body).toMatchObject({ message: 'slow down', statusCode: 429 })
    }
  })

  it('throws on a malformed chunk, whether or not a template was learned', () => {
    const { a } = setup()
    expect(() => a.handleData('{"id":"x","choices":[{"delta":{"content":"br')).toThrow(MalformedChunk)
    a.handleData(text('content', 'ok'))
    expect(() => a.handleData(`${head()}{"content":"unterminated},"finish_reason":null}]`)).toThrow(MalformedChunk)
    expect(() => a.handleData('42')).toThrow(MalformedChunk)
  })

  it('drops usage it cannot trust rather than inventing numbers', () => {
    const { a } = setup()
    a.handleData(`${head()}{},"finish_reason":"stop"}],"usage":{"prompt_tokens":"many"}}`)
    expect(a.usage).toBeNull()
  })
})
