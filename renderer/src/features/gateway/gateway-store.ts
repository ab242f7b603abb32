import type { GatewayLogEntry, GatewayStatus } from '@shared/ipc/domains/gateway'
import { createStore } from 'zustand/vanilla'

import { api } from '../../api'

/** Requests kept on screen; older ones are in the audit log. */
const MAX_ENTRIES = 500

interface GatewayState {
  status: GatewayStatus | null
  entries: GatewayLogEntry[]
}

/**
 * The gateway's status and live request log, outside the app store: the log
 * can move fast under load, and only the Gateway screen reads it.
 */
export const gatewayStore = createStore<GatewayState>(() => ({ status: null, entries: [] }))

let subscribed = false

/** Load the current state once and follow main's events from then on. */
export async function connectGatewayStore(): Promise<void> {
  if (!subscribed) {
    subscribed = true
    api.on('gateway:status', (status) => gatewayStore.setState({ status }))
    api.on('gateway:request', (e) =>
      gatewayStore.setState((s) => ({ entries: s.entries.length >= MAX_ENTRIES ? [...s.entries.slice(1 - MAX_ENTRIES), e] : [...s.entries, e] })),
    )
  }
  const [status, log] = await Promise.all([api.gatewayStatus({}), api.gatewayLog({ limit: MAX_ENTRIES })])
  gatewayStore.setState({ status, entries: log.entries })
}
