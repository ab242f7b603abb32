import type { IncomingMessage, ServerResponse } from 'node:http'

import { refusedKey } from './admission'
import { FAKE_MODELS, type FakeModel, findFakeModel } from './fake-models'
import { type Json, sendJson } from './responses'

/**
 * The two model lists: `GET /v1/models` (the models a key can call, key
 * required) and the public catalog `GET /public/v1/models[/{id}]` (no key).
 */

export function accessibleModels(req: IncomingMessage, res: ServerResponse, apiKeys: string[] | undefined): void {
  if (refusedKey(req, res, apiKeys)) return
  const created = 1_735_689_600
  sendJson(res, 200, {
    object: 'list',
    data: FAKE_MODELS.map((m) => ({ id: m.id, created, object: 'model', owned_by: m.ownedBy })),
  })
}

export function publicModels(res: ServerResponse): void {
  sendJson(res, 200, { object: 'list', data: FAKE_MODELS.map(publicEntry) })
}

export function publicModel(res: ServerResponse, id: string): void {
  const m = findFakeModel(id)
  if (!m) return sendJson(res, 404, { detail: `Model '${id}' not found or not publicly available` })
  sendJson(res, 200, publicEntry(m))
}

function publicEntry(m: FakeModel): Json {
  return {
    id: m.id,
    name: m.id,
    limits: { max_context_length: m.contextLength, max_completion_tokens: m.maxCompletionTokens },
    pricing: m.pricing ?? { prompt: null, completion: null },
    capabilities: m.capabilities,
    deprecated: m.deprecated,
    preview: m.preview,
  }
}
