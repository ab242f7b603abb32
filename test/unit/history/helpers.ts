import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { openDatabase, type OpenedDatabase } from '@main/storage/database'
import { migrations } from '@main/storage/migrations'
import type { ResponseMetrics } from '@shared/ipc/domains/chat'
import type { PromptDoc, RunInput } from '@shared/ipc/domains/history'

export function freshDatabase(): OpenedDatabase {
  return openDatabase(path.join(mkdtempSync(path.join(os.tmpdir(), 'wafer-history-')), 'wafer.db'), migrations)
}

export function metrics(over: Partial<ResponseMetrics> = {}): ResponseMetrics {
  return {
    ttftMs: 120,
    gapP50Ms: 1,
    gapP95Ms: 3,
    contentChunks: 40,
    clientTotalMs: 400,
    clientTokensPerSec: 250,
    serverDecodeTokensPerSec: 1800,
    queueMs: 4,
    promptMs: 3,
    completionMs: 50,
    serverTotalMs: 60,
    networkOverheadMs: 340,
    request: null,
    attempts: 1,
    retryWaitMs: 0,
    ...over,
  }
}

let n = 0
export function runInput(over: Partial<RunInput> & { prompt?: PromptDoc | null; user?: string; answer?: string } = {}): RunInput {
  const { user = 'Say hello', answer = 'Hello there!', ...rest } = over
  n++
  return {
    id: `run-${n}`,
    source: 'playground',
    startedAt: 1_760_000_000_000 + n * 1000,
    request: {
      model: 'gpt-oss-120b',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: user },
      ],
      max_completion_tokens: 256,
    },
    response: { content: answer, reasoning: null, toolCalls: [], finishReason: 'stop', completionId: 'chatcmpl-1' },
    usage: { prompt_tokens: 12, completion_tokens: 40, total_tokens: 52 },
    timeInfo: { queue_time: 0.004, prompt_time: 0.003, completion_time: 0.05, total_time: 0.06 },
    metrics: metrics(),
    error: null,
    status: 'ok',
    costUsd: 0.0000342,
    ...rest,
  }
}

export function promptDoc(over: Partial<PromptDoc> = {}): PromptDoc {
  return {
    system: 'You are a careful assistant.',
    messages: [{ id: 'm1', role: 'user', content: 'Summarise {{topic}} in one line.' }],
    params: {
      model: 'gpt-oss-120b',
      temperature: 0.2,
      topP: null,
      maxCompletionTokens: 512,
      seed: null,
      stop: [],
      reasoningEffort: 'low',
      responseFormat: 'text',
      schemaName: 'response',
      schemaText: '',
      schemaStrict: true,
      toolsText: '',
      toolChoice: null,
      logprobs: false,
      topLogprobs: null,
    },
    variables: { topic: 'wafer-scale chips' },
    ...over,
  }
}
