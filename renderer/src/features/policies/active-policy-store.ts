import type { ActivePolicyStatus } from '@shared/ipc/domains/policies'
import { useEffect } from 'react'
import { useStore } from 'zustand'
import { createStore } from 'zustand/vanilla'

import { api, prefetched } from '../../api'

/**
 * The policy main applies to playground and compare requests, as the status
 * bar and the Policies screen show it. Light on purpose: the status bar is
 * always loaded, the policy engine is not.
 */

export const activePolicyStore = createStore<{ status: ActivePolicyStatus | null }>(() => ({ status: null }))

let listening: Promise<void> | undefined

/**
 * Read the active policy once and follow main's changes (idempotent; the app shell calls it at start). Settles once
 * the first read is in (or failed).
 */
export function watchActivePolicy(): Promise<void> {
  if (listening) return listening
  api.on('policies:active-changed', (status) => activePolicyStore.setState({ status }))
  // Usually asked for as the page started (app/start-reads.ts).
  listening = showActivePolicy(prefetched('policiesActive', {}))
  return listening
}

export function refreshActivePolicy(): Promise<void> {
  return showActivePolicy(api.policiesActive({}))
}

async function showActivePolicy(read: Promise<ActivePolicyStatus>): Promise<void> {
  try {
    activePolicyStore.setState({ status: await read })
  } catch {
    // The status bar keeps what it showed.
  }
}

/** Choose the policy for the app's requests (null: none). Throws WaferError when the file is refused. */
export async function activatePolicy(path: string | null): Promise<ActivePolicyStatus> {
  const status = await api.policiesActivate({ path })
  activePolicyStore.setState({ status })
  return status
}

export function useActivePolicy(): ActivePolicyStatus | null {
  useEffect(() => {
    void watchActivePolicy()
  }, [])
  return useStore(activePolicyStore, (s) => s.status)
}
