// A gateway policy worker: runs the shared policy engine (the same compiled
// chain as the serving thread) over large requests, so scanning them does not
// stall every other client. Requests and results cross as JSON text: copying a
// string is far cheaper than structured-cloning thousands of small objects.
import { parentPort, workerData } from 'node:worker_threads'

import { type ChatRequest, compileChain, type PolicyConfig, runChain } from '@shared/policy'

import type { FromPolicyWorker, PolicyWorkerData, ToPolicyWorker } from './policy-pool'

const port = parentPort!
const chain = compileChain((workerData as PolicyWorkerData).config as PolicyConfig)

port.on('message', (m: ToPolicyWorker) => {
  let reply: FromPolicyWorker
  try {
    const r = runChain(chain, JSON.parse(m.request) as ChatRequest, 'enforce')
    // request.messages is r.messages again: sent once, put back by the pool.
    reply = { id: m.id, result: JSON.stringify({ ...r, request: { ...r.request, messages: [] } }) }
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) }
  }
  port.postMessage(reply)
})
