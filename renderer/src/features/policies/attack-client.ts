import type { PolicyConfig } from '@shared/policy'
import type { AttackSuiteReport } from '@shared/policy/attack-suite'

import type { AttackReply, AttackRequest } from './attack-messages'

/**
 * Runs the attack suite in a worker (attack-worker.ts). A new run ends the
 * one before it (its worker is terminated), so only the latest answers.
 */
let current: { worker: Worker; reject: (e: Error) => void } | null = null
let nextId = 1

export function cancelAttackSuite(): void {
  if (!current) return
  current.worker.terminate()
  current.reject(new Error('cancelled'))
  current = null
}

export function runAttackSuiteInWorker(config: PolicyConfig, seed: number, onProgress: (done: number, total: number) => void): Promise<AttackSuiteReport> {
  cancelAttackSuite()
  return new Promise<AttackSuiteReport>((resolve, reject) => {
    // The URL form lets the bundler build the worker as its own module script, served from the app's origin (CSP 'self').
    const worker = new Worker(new URL('./attack-worker.ts', import.meta.url), { type: 'module', name: 'wafer-attack-suite' })
    const id = nextId++
    const run = { worker, reject }
    current = run
    const finish = () => {
      worker.terminate()
      if (current === run) current = null
    }
    worker.onmessage = (e: MessageEvent<AttackReply>) => {
      const reply = e.data
      if (reply.id !== id) return
      if ('progress' in reply) onProgress(reply.progress.done, reply.progress.total)
      else if ('report' in reply) {
        finish()
        resolve(reply.report)
      } else {
        finish()
        reject(new Error(reply.error))
      }
    }
    worker.onerror = (e) => {
      finish()
      reject(new Error(e.message || 'the attack suite worker failed'))
    }
    const request: AttackRequest = { id, config, seed }
    worker.postMessage(request)
  })
}
