import { useStore } from 'zustand'

import { appStreamHub } from '../stream/app-streams'
import { PolicyVerdictBanner } from './PolicyVerdictBanner'

/**
 * The policy's verdict on one chat request, read from the app's stream hub
 * (chat:done / chat:error carry it). Mount it where a run's outcome is
 * shown: `<RunPolicyNotice requestId={id} />`; it renders nothing when no
 * policy was applied.
 */
export function RunPolicyNotice({ requestId, compact }: { requestId: string | null | undefined; compact?: boolean }) {
  const hub = appStreamHub()
  const meta = useStore(hub.store, (s) => (requestId ? s.streams[requestId] : undefined))
  if (!meta) return null
  const end = meta.done ?? meta.error
  if (!end) return null
  return <PolicyVerdictBanner error={meta.error?.error ?? null} policy={end.policy ?? null} sentMessages={end.sentMessages ?? null} compact={compact} />
}
