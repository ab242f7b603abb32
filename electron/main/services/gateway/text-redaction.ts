import type { Exchange, Stage } from './exchange'
import { GatewayHttpError } from './http-errors'
import type { GatewayPolicy } from './policy-port'

/** A text the PII policy reads, where it was, and how to put its redacted form back. */
export interface SideText {
  text: unknown
  location: string
  put: (text: string) => void
}

/**
 * The PII policy over texts outside the messages' content (input) or in a
 * whole answer (output): each is replaced by its redacted form, findings go
 * to the audit log, and a block answers 409.
 */
export function redactTexts(texts: readonly SideText[], stage: Stage, ex: Exchange, policy: GatewayPolicy): void {
  for (const { text: original, location, put } of texts) {
    if (typeof original !== 'string' || !original) continue
    let out: ReturnType<GatewayPolicy['checkOutput']>
    try {
      out = policy.checkOutput(original)
    } catch (err) {
      ex.policyFailed(stage, err)
      continue
    }
    if (!out.findings.length) continue
    ex.recordVerdicts(stage, out.results)
    ex.addFindings(
      out.findings,
      () => original,
      () => location,
    )
    if (out.blocked) {
      ex.entry.verdict = 'block'
      const message = stage === 'input' ? `Personal data in ${location.replace(/^input\./, '')}, and pii-detector is set to block.` : out.blocked.message
      throw new GatewayHttpError(409, 'policy_violation', message, `${stage}_blocked`, { policy: out.blocked.policy })
    }
    put(out.text)
    ex.escalate(out.verdict)
  }
}
