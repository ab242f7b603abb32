// The audit writer thread: owns one AuditLog and commits what the gateway's
// thread sends it. Entries sent in one turn of this thread's event loop are
// committed together (AuditLog commits at the end of the tick), so a busy
// gateway gets group commits without waiting for them.
import { parentPort, workerData } from 'node:worker_threads'

import { WaferError } from '@shared/ipc/errors'

import { memoryReducingGc, startIdleMemoryTrim } from '../idle-memory-trim'
import { type AuditLog, openAuditLog } from './store'
import type { FromWriter, ToWriter, WriterData } from './writer-protocol'

const port = parentPort!
const send = (m: FromWriter) => port.postMessage(m)
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err))

let log: AuditLog | undefined
try {
  log = openAuditLog({ ...(workerData as WriterData).options, onError: (err) => send({ type: 'error', message: err.message }) })
  send({ type: 'ready' })
  // This thread idles most of its life: give back what opening the log and each burst of commits grew.
  const gc = memoryReducingGc()
  if (gc) startIdleMemoryTrim({ gc })
} catch (err) {
  send({ type: 'failed', message: messageOf(err), code: err instanceof WaferError ? err.code : 'storage' })
  port.close()
}

/** Runs a request and answers it, with the error when it fails. */
function reply(id: number, run: () => unknown): void {
  try {
    run()
    send({ type: 'done', id })
  } catch (err) {
    send({ type: 'done', id, error: messageOf(err) })
  }
}

/** Appends waiting for their commit: answered together by one flush at the end of this turn (a group commit). */
let acks: number[] = []

function commitAcks(): void {
  const ids = acks
  acks = []
  let error: string | undefined
  try {
    log?.flush()
  } catch (err) {
    error = messageOf(err)
  }
  for (const id of ids) send({ type: 'done', id, ...(error ? { error } : {}) })
}

port.on('message', (m: ToWriter) => {
  if (!log) return
  switch (m.type) {
    case 'append': {
      let refused: string | undefined
      for (const entry of m.entries) {
        try {
          log.append(entry)
        } catch (err) {
          refused = `An audit entry was refused: ${messageOf(err)}`
          send({ type: 'error', message: refused })
        }
      }
      if (m.ack === undefined) return
      if (refused) return send({ type: 'done', id: m.ack, error: refused })
      if (!acks.length) setImmediate(commitAcks)
      acks.push(m.ack)
      return
    }
    case 'flush':
      return reply(m.id, () => log!.flush())
    case 'prune':
      try {
        log.prune()
      } catch (err) {
        send({ type: 'error', message: `Pruning the audit log failed: ${messageOf(err)}` })
      }
      return
    case 'close':
      reply(m.id, () => log!.close())
      log = undefined
      port.close()
      return
  }
})
