import type { IncomingMessage, ServerResponse } from 'node:http'

import { refusedKey } from './admission'
import { findFakeModel, RETIRED_MODEL_IDS } from './fake-models'
import { type Fault, FAULT_HEADER, faultFromModel, numberParam, parseFault } from './faults'
import { answerImmediateFault } from './immediate-faults'
import type { ResolvedOptions } from './options'
import type { FakePromptCache } from './prompt-cache'
import type { FakeRateLimits } from './rate-limit-headers'
import type { ReceivedRequest } from './recording'
import { planReply } from './reply'
import type { ReplyContext } from './reply-shapes'
import { BodyError, type ChatBody, decodeBody, estimatePromptTokens, validateChatBody } from './request-body'
import { contextLengthBody, modelNotFoundBody, sendJson } from './responses'
import { streamReply } from './stream-reply'
import { wholeReply } from './whole-reply'

/**
 * `POST /v1/chat/completions`: the encoding and key checks, the body decoded
 * and validated, the request's fault, rate-limit charge, model and context
 * checks, then the answer, streamed or whole.
 */

export interface ChatRouteDeps {
  opts: ResolvedOptions
  limits: FakeRateLimits
  /** The fault this request gets (see chooseFault). */
  pickFault(req: IncomingMessage, body: Record<string, unknown> | null): Fault | undefined
  /** A new completion id. */
  nextId(): string
  /** Cerebras's prompt cache, played per API key (absent: nothing is ever cached). */
  promptCache?: FakePromptCache
}

export async function serveChat(deps: ChatRouteDeps, req: IncomingMessage, res: ServerResponse, raw: Buffer, record: ReceivedRequest): Promise<void> {
  const { opts } = deps
  const encoded = /msgpack/i.test(record.contentType ?? '') || (record.contentEncoding ?? '').toLowerCase() === 'gzip'
  const headerFault = typeof req.headers[FAULT_HEADER] === 'string' ? parseFault(req.headers[FAULT_HEADER] as string) : undefined
  if (encoded && (opts.rejectEncoded || headerFault?.kind === 'reject_encoded')) {
    record.fault = 'reject_encoded'
    const status = opts.rejectEncoded || 415
    return sendJson(res, status, {
      message: `Unsupported request encoding: ${record.contentType ?? ''} ${record.contentEncoding ?? ''}`.trim(),
      type: 'invalid_request_error',
      param: null,
      code: 'unsupported_media_type',
    })
  }

  if (refusedKey(req, res, opts.apiKeys)) return

  let body: ChatBody
  try {
    const decoded = decodeBody(raw, record.contentType ?? undefined, record.contentEncoding ?? undefined)
    record.body = decoded.value
    record.format = decoded.format
    record.gzip = decoded.gzip
    body = validateChatBody(decoded.value)
  } catch (err) {
    if (!(err instanceof BodyError)) throw err
    return sendJson(res, 400, { message: err.message, type: 'invalid_request_error', param: err.param, code: err.code })
  }

  const fault = deps.pickFault(req, record.body)
  record.fault = fault?.spec ?? null
  const modelFromFault = fault?.params.model
  const modelId = modelFromFault ?? (faultFromModel(body.model) ? 'gpt-oss-120b' : body.model)
  const model = findFakeModel(modelId)
  const promptTokens = estimatePromptTokens(body)
  const reserve = promptTokens + (body.max_completion_tokens ?? body.max_tokens ?? model?.maxCompletionTokens ?? 0)
  const id = deps.nextId()
  // Every answer carries the completion id as Cerebras sends it, errors included; and the rate-limit figures.
  const rl = { ...deps.limits.charge(body.model, reserve), 'inference-id': id }

  if (fault) {
    const handled = answerImmediateFault(fault, res, rl, body, promptTokens)
    if (handled) return
  }
  if (!model || RETIRED_MODEL_IDS.includes(modelId)) {
    return sendJson(res, 404, modelNotFoundBody(body.model), rl)
  }
  const limit = model.contextLength
  const requested = promptTokens + (body.max_completion_tokens ?? body.max_tokens ?? 0)
  if (requested > limit) return sendJson(res, 400, contextLengthBody(requested, limit), rl)

  const tps =
    Number(req.headers['x-fake-tps']) ||
    (fault?.kind === 'slow_drip' ? 1000 / numberParam(fault, 'gap_ms', 150) : undefined) ||
    (model.fixedSpeed ? model.tokensPerSecond : (opts.tokensPerSecond ?? model.tokensPerSecond))
  const ttftMs = req.headers['x-fake-ttft-ms'] !== undefined ? Number(req.headers['x-fake-ttft-ms']) : opts.ttftMs
  const naturalTokens = Number(req.headers['x-fake-tokens']) || opts.replyTokens
  // A prompt that begins with whole 128-token blocks an earlier request sent reports them as cached_tokens.
  const cachedTokens = deps.promptCache?.use(`${req.headers.authorization ?? ''}\u0000${body.model}`, body, promptTokens) ?? 0
  const plan = { ...planReply(body, model, { naturalTokens, promptTokens }), cachedTokens }
  const choices = typeof body.n === 'number' && Number.isInteger(body.n) && body.n > 1 ? Math.min(body.n, 16) : 1
  const topLogprobs = typeof body.top_logprobs === 'number' ? Math.max(0, Math.min(20, Math.floor(body.top_logprobs))) : 0
  const ctx: ReplyContext = {
    id,
    choices,
    logprobs: body.logprobs === true,
    topLogprobs,
    model: body.model,
    plan,
    tps,
    ttftMs,
    record,
    fault,
    rl,
    startedAt: Date.now(),
  }
  if (body.stream) return streamReply(res, ctx, opts)
  return wholeReply(res, ctx, opts.firehose)
}
