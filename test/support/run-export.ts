// A History import file holding one finished playground answer, as the app exports it:
// the long-answer e2e test and the render bench reopen such an answer from History.

export interface AnswerRun {
  id: string
  /** The user's prompt the answer replies to. */
  prompt: string
  /** The answer's text, exactly as the model sent it. */
  content: string
  maxCompletionTokens: number
}

/** The export file's JSON text (format wafer-console.run, version 1). */
export function answerRunExport({ id, prompt, content, maxCompletionTokens }: AnswerRun): string {
  const run = {
    id,
    source: 'playground',
    groupId: null,
    startedAt: Date.now() - 60_000,
    request: { model: 'gpt-oss-120b', messages: [{ role: 'user', content: prompt }], max_completion_tokens: maxCompletionTokens },
    prompt: null,
    response: { content, reasoning: null, toolCalls: [], finishReason: 'stop', completionId: null },
    usage: null,
    timeInfo: null,
    metrics: null,
    error: null,
    status: 'ok',
    costUsd: null,
    policyVerdicts: [],
    savedAt: Date.now(),
  }
  return JSON.stringify({ format: 'wafer-console.run', formatVersion: 1, exportedAt: new Date().toISOString(), run })
}
