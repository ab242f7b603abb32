import { buildRequest, parseTools } from '@renderer/features/playground/build-request'
import { loadRequestChecks } from '@renderer/features/playground/request-checks'
import { strictSchemaProblems } from '@renderer/features/playground/strict-schema'
import { findVariables, promptTexts, substitute } from '@renderer/features/playground/variables'
import { defaultParams } from '@renderer/lib/doc-defaults'
import { fmtUsd } from '@renderer/lib/format'
import { budgetWarnings } from '@renderer/lib/tokens/budget'
import { costUsd, modelFacts } from '@renderer/lib/tokens/cost'
import { tokenizerFor } from '@renderer/lib/tokens/families'
import { countPrompt, countPromptSliced, loadTokenCounter } from '@renderer/lib/tokens/tokenizers'
import type { PromptDoc } from '@shared/ipc/domains/history'
import { beforeAll, describe, expect, it } from 'vitest'

// The request's schemas load after the playground's first frame in the app (request-checks.ts); here, up front.
beforeAll(() => loadRequestChecks())

function doc(over: Partial<PromptDoc> = {}, params: Partial<PromptDoc['params']> = {}): PromptDoc {
  return {
    system: '',
    messages: [{ id: 'u1', role: 'user', content: 'Hello' }],
    params: { ...defaultParams('gpt-oss-120b'), ...params },
    variables: {},
    ...over,
  }
}

const errors = (d: PromptDoc) =>
  buildRequest(d)
    .issues.filter((i) => i.level === 'error')
    .map((i) => i.message)

describe('prompt variables', () => {
  it('finds {{names}} in the system prompt and user turns, in order, but not in answers or tool results', () => {
    const d = doc({
      system: 'You are {{ persona }}.',
      messages: [
        { id: '1', role: 'user', content: 'Tell {{audience}} about {{topic}} and {{topic}}' },
        { id: '2', role: 'assistant', content: 'Template: {{not_a_variable}}' },
      ],
    })
    expect(findVariables(promptTexts(d, ['and {{extra}}']))).toEqual(['persona', 'audience', 'topic', 'extra'])
    expect(substitute('{{a}} {{ b }} {{c}} {{ not valid! }}', { a: '1', b: '2' })).toBe('1 2 {{c}} {{ not valid! }}')
  })

  it('blocks sending while a variable is empty and names every missing one', () => {
    const d = doc({
      system: 'As {{persona}}',
      messages: [{ id: '1', role: 'user', content: 'About {{topic}}' }],
      variables: { persona: 'a pirate', topic: '' },
    })
    expect(buildRequest(d).request).toBeNull()
    expect(errors(d)).toEqual(['Fill in {{topic}} in Variables before sending.'])
    const filled = buildRequest({ ...d, variables: { persona: 'a pirate', topic: 'tides' } })
    expect(filled.request?.messages).toEqual([
      { role: 'system', content: 'As a pirate' },
      { role: 'user', content: 'About tides' },
    ])
  })
})

describe('building the request', () => {
  it('sends only the parameters that are set, exactly as the API names them', () => {
    const built = buildRequest(
      doc(
        { system: 'Be brief.' },
        { temperature: 0.3, topP: 0.9, maxCompletionTokens: 200, seed: 7, stop: ['END', ''], reasoningEffort: 'high', logprobs: true, topLogprobs: 3 },
      ),
    )
    expect(built.issues).toEqual([])
    expect(built.request).toEqual({
      model: 'gpt-oss-120b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 200,
      seed: 7,
      stop: ['END'],
      reasoning_effort: 'high',
      logprobs: true,
      top_logprobs: 3,
    })
  })

  it('refuses combinations the API rejects, before sending', () => {
    expect(errors(doc({}, { model: 'qwen-3-32b', reasoningEffort: 'low' }))).toEqual(['reasoning_effort is not supported by qwen-3-32b; set it to "default".'])
    expect(errors(doc({}, { topLogprobs: 2 }))).toEqual(['top_logprobs needs logprobs turned on.'])
    expect(errors(doc({}, { stop: ['a', 'b', 'c', 'd', 'e'] }))).toEqual(['At most 4 stop sequences.'])
    expect(errors(doc({ messages: [] }))).toEqual(['Write a message to send.'])
    expect(
      errors(
        doc({
          messages: [
            { id: '1', role: 'user', content: 'x' },
            { id: '2', role: 'tool', content: '42', toolCallId: 'nope' },
          ],
        }),
      ),
    ).toEqual(['A tool result must answer a tool call of an earlier assistant message.'])
  })

  it('builds a strict json_schema response format, and explains each strict-mode violation instead of sending', () => {
    const good = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false }
    const ok = buildRequest(doc({}, { responseFormat: 'json_schema', schemaName: 'reply', schemaText: JSON.stringify(good) }))
    expect(ok.request?.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'reply', schema: good, strict: true } })

    const bad = {
      type: 'object',
      properties: {
        id: { type: ['string', 'null'] },
        tags: { type: 'array', items: true },
        kind: { anyOf: [1, 2, 3, 4, 5, 6].map((n) => ({ const: n })) },
        nested: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'] },
      },
      required: ['id', 'tags', 'kind'],
    }
    const messages = errors(doc({}, { responseFormat: 'json_schema', schemaText: JSON.stringify(bad) }))
    expect(messages).toEqual([
      '#/required: strict mode needs every property in "required"; missing: "nested" (make optional ones nullable with anyOf […, {"type": "null"}])',
      '#/properties/id: "type": ["string", "null"] is not allowed in strict mode; use "anyOf": [{"type": "string"}, {"type": "null"}]',
      '#/properties/tags/items: "items": true is not allowed in strict mode; describe the items with a schema',
      '#/properties/kind/anyOf: anyOf has 6 branches; strict mode allows at most 5',
      '#/properties/nested/required: strict mode needs every property in "required"; missing: "b" (make optional ones nullable with anyOf […, {"type": "null"}])',
    ])
    // Without strict, the same schema is sent as written.
    expect(buildRequest(doc({}, { responseFormat: 'json_schema', schemaText: JSON.stringify(bad), schemaStrict: false })).request).not.toBeNull()
    expect(errors(doc({}, { responseFormat: 'json_schema', schemaText: '{"type":' }))[0]).toMatch(/^The JSON schema is not valid JSON/)
    expect(errors(doc({}, { responseFormat: 'json_schema', schemaText: '[]' }))).toEqual(['The JSON schema must be an object.'])
    expect(errors(doc({}, { responseFormat: 'json_schema', schemaName: 'has space', schemaText: '{}' }))).toEqual([
      'The schema name must be 1–64 letters, digits, _ or -.',
    ])
  })

  it('checks strict schemas inside $defs and array items too', () => {
    expect(
      strictSchemaProblems({ $defs: { p: { type: 'object', properties: { x: {} } } }, type: 'array', items: { type: ['a', 'b'] } }).map((p) => p.path),
    ).toEqual(['#/items', '#/$defs/p/required'])
  })

  it('accepts tools as a list, one definition or the short form, and checks strict tool parameters', () => {
    const full = { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } } }
    expect(parseTools(JSON.stringify([full])).tools).toEqual([full])
    expect(parseTools(JSON.stringify(full)).tools).toEqual([full])
    expect(parseTools(JSON.stringify({ name: 'lookup', parameters: full.function.parameters })).tools).toEqual([full])
    expect(parseTools('[{"type":"function","function":{"name":"bad name"}}]').issues[0].message).toMatch(/^Tool 1: function\.name/)
    expect(parseTools('{oops').issues[0].message).toMatch(/^Tools are not valid JSON/)
    const strictBad = { type: 'function', function: { name: 'f', strict: true, parameters: { type: 'object', properties: { a: { type: 'string' } } } } }
    expect(parseTools(JSON.stringify([strictBad])).issues.map((i) => i.message)).toEqual([
      'Tool f (strict) #/required: strict mode needs every property in "required"; missing: "a" (make optional ones nullable with anyOf […, {"type": "null"}])',
    ])
  })

  it('sends an assistant tool call and the typed result so the conversation can continue', () => {
    const built = buildRequest(
      doc(
        {
          messages: [
            { id: '1', role: 'user', content: 'Weather?' },
            {
              id: '2',
              role: 'assistant',
              content: '',
              toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
            },
            { id: '3', role: 'tool', content: '{"temp": 4}', toolCallId: 'call_1' },
          ],
        },
        { toolsText: '[{"type":"function","function":{"name":"weather"}}]' },
      ),
    )
    expect(built.issues).toEqual([])
    expect(built.request?.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', content: '{"temp": 4}', tool_call_id: 'call_1' },
    ])
  })
})

describe('tokens, cost and budget before sending', () => {
  it('picks each model family its own tokenizer, and says when a count is an estimate', () => {
    expect(tokenizerFor('gpt-oss-120b')).toMatchObject({ family: 'o200k_harmony', exact: true })
    expect(tokenizerFor('llama-3.3-70b')).toMatchObject({ family: 'llama3', exact: true })
    expect(tokenizerFor('llama3.1-8b')).toMatchObject({ family: 'llama3', exact: true })
    expect(tokenizerFor('qwen-3-32b')).toMatchObject({ family: 'qwen3', exact: true })
    expect(tokenizerFor('zai-glm-4.7')).toMatchObject({ family: 'o200k_base', exact: false })
  })

  it('counts prompt tokens with the shipped vocabularies plus the chat template overhead', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.'
    const harmony = await loadTokenCounter('o200k_harmony')
    const llama = await loadTokenCounter('llama3')
    const qwen = await loadTokenCounter('qwen3')
    expect(harmony.count(text)).toBe(10)
    expect(llama.count(text)).toBe(10)
    expect(qwen.count(text)).toBe(10)
    expect(harmony.count('naïve façade 🚀')).toBeGreaterThan(3)
    const parts = [
      { text: 'You are terse.', message: true },
      { text, message: true },
    ]
    expect(countPrompt(harmony, 'o200k_harmony', parts)).toBe(2 + harmony.count('You are terse.') + 4 + 10 + 4)

    // Long answers are counted in slices (yielding to the page between them) to the same total.
    const long = Array.from({ length: 3000 }, (_, i) => `word${i % 50} and some more text,`).join(' ')
    const longParts = [...parts, { text: long, message: true }]
    for (const [counter, family] of [
      [harmony, 'o200k_harmony'],
      [llama, 'llama3'],
      [qwen, 'qwen3'],
    ] as const) {
      expect(await countPromptSliced(counter, family, longParts, () => false, 0)).toBe(countPrompt(counter, family, longParts))
    }
    expect(await countPromptSliced(harmony, 'o200k_harmony', longParts, () => true, 0)).toBeNull()
  }, 60_000)

  it('estimates cost from the catalog price and shows unknown prices as a dash', () => {
    const facts = modelFacts('gpt-oss-120b')
    expect(facts).toMatchObject({ inputPer1M: 0.35, outputPer1M: 0.75, contextLength: 131_072, freeContextLength: 65_536, source: 'catalog' })
    expect(costUsd(facts, 1000, 4096)).toBeCloseTo((1000 * 0.35 + 4096 * 0.75) / 1e6, 12)
    expect(fmtUsd(costUsd(modelFacts('qwen-3.8-27b'), 10, 10))).toBe('—')
    const live = modelFacts('gpt-oss-120b', [
      {
        id: 'gpt-oss-120b',
        name: null,
        contextLength: 100_000,
        maxCompletionTokens: 8000,
        pricing: { prompt: null, completion: null },
        promptPer1M: 0.5,
        completionPer1M: 1,
        capabilities: [],
        deprecated: false,
        preview: false,
      },
    ])
    expect(live).toMatchObject({ inputPer1M: 0.5, contextLength: 100_000, maxCompletionTokens: 8000, source: 'live' })
  })

  it('warns when prompt + max_completion_tokens exceeds the context or the tokens left this minute', () => {
    const facts = modelFacts('gpt-oss-120b')
    const ids = (i: Parameters<typeof budgetWarnings>[0]) => budgetWarnings(i).map((w) => w.id)
    expect(ids({ promptTokens: 1000, maxCompletionTokens: 1000, facts, tpmRemaining: 60_000, tpmResetSeconds: 10 })).toEqual([])
    expect(ids({ promptTokens: 130_000, maxCompletionTokens: 4096, facts, tpmRemaining: null, tpmResetSeconds: null })).toEqual(['context'])
    expect(ids({ promptTokens: 64_000, maxCompletionTokens: 4096, facts, tpmRemaining: null, tpmResetSeconds: null })).toEqual(['free-context'])
    expect(ids({ promptTokens: 100, maxCompletionTokens: 50_000, facts, tpmRemaining: null, tpmResetSeconds: null })).toEqual(['max-output'])
    const tpm = budgetWarnings({ promptTokens: 500, maxCompletionTokens: null, facts, tpmRemaining: 20_000, tpmResetSeconds: 12.2 })
    expect(tpm.map((w) => w.id)).toEqual(['tpm'])
    expect(tpm[0].message).toContain('≈41,460 tokens but only 20,000 are left this minute')
    expect(tpm[0].message).toContain('resets in 13 s')
    expect(tpm[0].message).toContain('unset means the model maximum')
  })
})
