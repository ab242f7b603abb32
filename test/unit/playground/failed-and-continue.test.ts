import { docFromRun } from '@renderer/features/history/reopen'
import { buildRequest, CONTINUE_PROMPT, sentMessages } from '@renderer/features/playground/build-request'
import { loadRequestChecks } from '@renderer/features/playground/request-checks'
import { defaultParams } from '@renderer/lib/doc-defaults'
import { describeFinish } from '@renderer/ui/finish-reason'
import type { PromptDoc, PromptMessage, RunRecord } from '@shared/ipc/domains/history'
import { beforeAll, describe, expect, it } from 'vitest'

// The request's schemas load after the playground's first frame in the app (request-checks.ts); here, up front.
beforeAll(() => loadRequestChecks())

/*
 * What the playground sends after a failed prompt (not the failed prompt)
 * and after a cut-off answer the user continues (the answer, then a turn
 * asking for the rest); and how each way an answer can end is named.
 */

function doc(messages: PromptMessage[], over: Partial<PromptDoc> = {}): PromptDoc {
  return { system: 'Be brief.', messages, params: defaultParams('gpt-oss-120b'), variables: {}, ...over }
}

const failed = { code: 'context_length_exceeded', message: 'Please reduce the length of the messages.' }

describe('failed turns', () => {
  it('are left out of the request, with any partial answer their run left', () => {
    const d = doc([
      { id: 'u1', role: 'user', content: 'First question' },
      { id: 'a1', role: 'assistant', content: 'First answer' },
      { id: 'u2', role: 'user', content: 'A prompt that failed', failed },
      { id: 'a2', role: 'assistant', content: 'Half an ans', failed },
      { id: 'u3', role: 'user', content: 'The next prompt' },
    ])
    expect(buildRequest(d).request!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: 'The next prompt' },
    ])
    expect(sentMessages(d).map((m) => m.id)).toEqual(['u1', 'a1', 'u3'])
  })

  it('do not block sending with their empty variables, and a conversation of only failed turns has nothing to send', () => {
    const d = doc([
      { id: 'u1', role: 'user', content: 'Tell me about {{topic}}', failed },
      { id: 'u2', role: 'user', content: 'Plain' },
    ])
    expect(buildRequest(d).issues.filter((i) => i.level === 'error')).toEqual([])
    const onlyFailed = buildRequest(doc([{ id: 'u1', role: 'user', content: 'Hi', failed }]))
    expect(onlyFailed.request).toBeNull()
    expect(onlyFailed.issues.map((i) => i.message)).toEqual(['Write a message to send.'])
  })
})

describe('continuing a cut-off answer', () => {
  it('sends the conversation with the partial answer, then asks for the rest', () => {
    const d = doc([
      { id: 'u1', role: 'user', content: 'List ten birds' },
      { id: 'a1', role: 'assistant', content: '1. Heron\n2. Ki', finishReason: 'length' },
    ])
    expect(buildRequest(d, { continueAnswer: true }).request!.messages.slice(1)).toEqual([
      { role: 'user', content: 'List ten birds' },
      { role: 'assistant', content: '1. Heron\n2. Ki' },
      { role: 'user', content: CONTINUE_PROMPT },
    ])
    // A plain send is unchanged: the answer's finish reason is not sent.
    expect(buildRequest(d).request!.messages.at(-1)).toEqual({ role: 'assistant', content: '1. Heron\n2. Ki' })
  })

  it('refuses when the conversation does not end with an answer', () => {
    const built = buildRequest(doc([{ id: 'u1', role: 'user', content: 'Hi' }]), { continueAnswer: true })
    expect(built.request).toBeNull()
    expect(built.issues.map((i) => i.message)).toContain('Only the last answer can be continued.')
  })
})

describe('how an answer ended', () => {
  it('names every end but a normal stop', () => {
    expect(describeFinish('stop')).toBeNull()
    expect(describeFinish(null)).toBeNull()
    expect(describeFinish('length')).toMatchObject({ label: 'Cut off: token limit', tone: 'warn' })
    expect(describeFinish('content_filter')).toMatchObject({ label: 'Stopped by content filter', tone: 'danger' })
    expect(describeFinish('tool_calls')).toMatchObject({ label: 'Waiting for tool results', tone: 'info' })
    expect(describeFinish('something_new')).toMatchObject({ label: 'Ended: something_new' })
  })

  it('comes back with a run reopened from History', () => {
    const run = {
      id: 'r1',
      request: { model: 'gpt-oss-120b', messages: [{ role: 'user', content: 'Go' }] },
      prompt: null,
      response: { content: 'Cut he', reasoning: null, toolCalls: [], finishReason: 'length', completionId: null },
    } as unknown as RunRecord
    expect(docFromRun(run).messages.at(-1)).toMatchObject({ role: 'assistant', content: 'Cut he', finishReason: 'length' })
    const stopped = { ...run, response: { ...run.response, finishReason: 'stop' } } as RunRecord
    expect(docFromRun(stopped).messages.at(-1)).not.toHaveProperty('finishReason')
  })
})
