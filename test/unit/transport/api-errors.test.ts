import { errorFromHttp, formatDuration, parseContextLength, parseErrorBody } from '@main/services/cerebras/api-errors'
import { describe, expect, it } from 'vitest'

describe('parsing error bodies', () => {
  it('reads the flat Cerebras shape', () => {
    expect(parseErrorBody({ message: 'Wrong API Key', type: 'invalid_request_error', param: 'api_key', code: 'wrong_api_key' })).toEqual({
      message: 'Wrong API Key',
      type: 'invalid_request_error',
      param: 'api_key',
      code: 'wrong_api_key',
      statusCode: null,
    })
  })
  it('reads the nested OpenAI shape and mid-stream chunks with status_code', () => {
    expect(parseErrorBody({ error: { message: 'x', type: 't', param: null, code: 'c' } })).toMatchObject({ message: 'x', code: 'c', param: null })
    expect(parseErrorBody('{"error":{"id":"1","code":"internal_error","message":"boom","param":null,"type":"server_error"},"status_code":503}')).toMatchObject({
      message: 'boom',
      statusCode: 503,
      type: 'server_error',
    })
  })
  it('reads {detail}, FastAPI validation lists, plain text, and returns undefined for nothing', () => {
    expect(parseErrorBody({ detail: 'Not authenticated' })?.message).toBe('Not authenticated')
    expect(parseErrorBody({ detail: [{ loc: ['body', 'model'], msg: 'field required' }] })).toMatchObject({ message: 'field required', param: 'body.model' })
    expect(parseErrorBody('<html>Bad gateway</html>')?.message).toBe('<html>Bad gateway</html>')
    expect(parseErrorBody('')).toBeUndefined()
    expect(parseErrorBody({ unrelated: true })).toBeUndefined()
  })
})

describe('errors a user can act on', () => {
  it('401 and 403 point to Settings', () => {
    for (const status of [401, 403]) {
      const e = errorFromHttp({ status, body: parseErrorBody({ detail: 'Not authenticated' }), model: 'm' })
      expect(e.code).toBe('auth')
      expect(e.message).toMatch(/Check your API key in Settings\.$/)
      expect(e.details).toMatchObject({ action: 'open-settings' })
    }
  })
  it('context_length_exceeded says both numbers', () => {
    const e = errorFromHttp({
      status: 400,
      model: 'gpt-oss-120b',
      body: parseErrorBody({
        message: 'Please reduce the length of the messages or completion. Current length is 196699 while limit is 131072',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      }),
    })
    expect(e.code).toBe('context_length_exceeded')
    expect(e.message).toBe(
      'The request is 196,699 tokens long but gpt-oss-120b accepts at most 131,072 (prompt plus max_completion_tokens). Shorten the conversation or lower max_completion_tokens.',
    )
    expect(parseContextLength('current length is 1,000 while limit is 900')).toEqual({ current: 1000, limit: 900 })
  })
  it('model_not_found is recognised by code or by message', () => {
    expect(
      errorFromHttp({
        status: 404,
        model: 'x',
        body: parseErrorBody({ message: 'Model x does not exist or you do not have access to it.', code: 'model_not_found' }),
      }).code,
    ).toBe('model_not_found')
    expect(errorFromHttp({ status: 404, model: 'x', body: parseErrorBody({ message: 'Model x not found' }) }).code).toBe('model_not_found')
    expect(errorFromHttp({ status: 404, model: 'x', body: parseErrorBody({ detail: 'Not Found' }) }).message).toMatch(/Check the base URL/)
  })
  it('429 names the quota and when it resets', () => {
    const e = errorFromHttp({
      status: 429,
      model: 'm',
      resetSeconds: 33011.38,
      body: parseErrorBody({ message: 'Tokens per day limit exceeded', type: 'too_many_tokens_error', code: 'token_quota_exceeded' }),
    })
    expect(e.code).toBe('rate_limited')
    expect(e.message).toBe('Cerebras rate limit reached for m: token quota. It resets in 9 h 10 min. (Tokens per day limit exceeded)')
  })
  it('5xx bodies with only {message, type} still read well', () => {
    expect(errorFromHttp({ status: 500, model: 'm', body: parseErrorBody({ message: 'oops', type: 'server_error' }) }).message).toBe(
      'Cerebras had a server error (500): oops',
    )
    expect(errorFromHttp({ status: 502, model: 'm', body: undefined }).message).toBe('Cerebras had a server error (502): HTTP 502')
  })
  it('formats durations for people', () => {
    expect(formatDuration(0.2)).toBe('under a second')
    expect(formatDuration(1.25)).toBe('2 s')
    expect(formatDuration(600)).toBe('10 min')
    expect(formatDuration(86_399)).toBe('24 h')
    expect(formatDuration(5400)).toBe('1 h 30 min')
  })
})
