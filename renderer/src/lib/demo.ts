import type { DemoStatus } from '@shared/ipc/domains/demo'
import { create } from 'zustand'

import { api, prefetched } from '../api'
import { rateLimitStore } from '../stream/ratelimit-store'

/*
 * The built-in demo endpoint as the renderer sees it: whether it is on
 * (from main, kept current by `demo:changed`), switching it on and off, and
 * which requests were sent while it was on, so their answers and figures
 * can say "Demo" wherever they are shown.
 */

export interface DemoState {
  status: DemoStatus | null
  /** A switch is under way. */
  busy: boolean
  /** Why the last switch failed (cleared by the next one). */
  error: string | null
}

export const useDemo = create<DemoState>()(() => ({ status: null, busy: false, error: null }))

export const selectDemoActive = (s: DemoState) => s.status?.active === true

let watching: Promise<void> | undefined

/**
 * Read the state once and follow main's events (idempotent; the app shell calls it at start). Settles once the
 * state is known (or taken as off, when it cannot be read).
 */
export function watchDemo(): Promise<void> {
  if (watching) return watching
  api.on('demo:changed', applyStatus)
  // Usually asked for as the page started (app/start-reads.ts).
  watching = prefetched('demoStatus', {}).then(
    (status) => {
      // An event may have arrived meanwhile; it is newer.
      if (!useDemo.getState().status) applyStatus(status)
    },
    () => useDemo.setState({ status: { active: false, baseUrl: null, since: null } }),
  )
  return watching
}

function applyStatus(status: DemoStatus): void {
  const was = useDemo.getState().status
  useDemo.setState({ status })
  // Rate-limit figures from one endpoint say nothing about the other (main cleared its own too).
  if (was && was.active !== status.active) rateLimitStore.setState({ byModel: {}, latest: null })
}

export function isDemoActive(): boolean {
  return selectDemoActive(useDemo.getState())
}

/** Switch the demo on or off; false (with `error` set) when main could not. */
async function switchDemo(on: boolean): Promise<boolean> {
  // The buttons stay enabled while a switch runs (a disabled button drops the keyboard focus); a second press waits.
  if (useDemo.getState().busy) return false
  useDemo.setState({ busy: true, error: null })
  try {
    applyStatus(on ? await api.demoStart({}) : await api.demoStop({}))
    return true
  } catch (err) {
    useDemo.setState({ error: `Could not ${on ? 'start' : 'stop'} the demo endpoint: ${err instanceof Error ? err.message : String(err)}` })
    return false
  } finally {
    useDemo.setState({ busy: false })
  }
}

export const startDemo = () => switchDemo(true)
export const stopDemo = () => switchDemo(false)

/**
 * The control that switched the demo is gone once it has switched; give the
 * keyboard a sensible place to carry on: the message box, the key field of
 * the welcome panel, or the status bar's key button.
 */
export function refocusAfterDemoSwitch(): void {
  requestAnimationFrame(() => {
    const active = document.activeElement
    if (active && active !== document.body && document.contains(active)) return
    const next = document.querySelector<HTMLElement>('[data-testid="composer"], [data-testid="key-input"], [data-testid="status-key"]')
    next?.focus()
  })
}

const demoRequests = new Set<string>()

/** Remember that `requestId` was sent while the demo was on (call before sending). */
export function noteDemoRequest(requestId: string): void {
  demoRequests.add(requestId)
}

export function isDemoRequest(requestId: string | null | undefined): boolean {
  return !!requestId && demoRequests.has(requestId)
}
