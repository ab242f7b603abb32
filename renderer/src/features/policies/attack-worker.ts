import { compileChain, PolicyCompileError } from '@shared/policy'
import { generateAttackLibrary, runAttackSuite } from '@shared/policy/attack-suite'

import type { AttackReply, AttackRequest } from './attack-messages'

/*
 * The attack suite runs here, off the page's main thread: a few thousand
 * prompts through the chain take seconds, which on the main thread would
 * freeze the editor. One run at a time; progress every few hundred prompts.
 */
const scope = self as unknown as { onmessage: ((e: MessageEvent<AttackRequest>) => void) | null; postMessage(reply: AttackReply): void }
scope.onmessage = (e: MessageEvent<AttackRequest>) => {
  const { id, config, seed } = e.data
  try {
    const chain = compileChain(config)
    const report = runAttackSuite(chain, generateAttackLibrary(seed), { onProgress: (done, total) => scope.postMessage({ id, progress: { done, total } }) })
    scope.postMessage({ id, report })
  } catch (err) {
    scope.postMessage({ id, error: err instanceof PolicyCompileError ? err.issues.join('; ') : err instanceof Error ? err.message : String(err) })
  }
}
