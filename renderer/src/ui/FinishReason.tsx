import './finish-reason.css'

import { describeFinish } from './finish-reason'

export { describeFinish, type FinishInfo } from './finish-reason'

/** A labelled badge for an answer that did not stop normally (nothing for `stop`). */
export function FinishReasonBadge({ reason, testId = 'finish-reason' }: { reason: string | null | undefined; testId?: string }) {
  const info = describeFinish(reason)
  if (!info) return null
  return (
    <span className={`badge ${info.tone} finish-badge`} title={`${info.detail} (finish_reason: ${info.reason})`} data-testid={testId} data-reason={info.reason}>
      {info.label}
    </span>
  )
}
