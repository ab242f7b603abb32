import { useSyncExternalStore } from 'react'

import { nextTask } from '../../lib/next-task'
import { zodWarmed } from '../../lib/zod-warmed'

/**
 * The chat request's schemas (shared/ipc/domains/chat.ts, zod), loaded after
 * the playground's first frame rather than before it: building them was
 * about a tenth of the renderer's start-up work, and nothing on the first
 * screen needs them until a request is built (a preflight a moment after
 * typing, a send, View code). The first component that checks requests
 * (the budget bar) asks for them once its frame is on screen; what needs
 * them before they are in waits for them.
 */
type Checks = Pick<typeof import('@shared/ipc/domains/chat'), 'ChatRequest' | 'ToolDefinition'>

let checks: Checks | null = null
let loading: Promise<Checks> | null = null
const listeners = new Set<() => void>()

export function loadRequestChecks(): Promise<Checks> {
  // zod first, in a task of its own, then the policy outcome's schemas that the request's import, then the request's
  // own, each in a task of its own: evaluated together they made one long task.
  loading ??= zodWarmed()
    .then(() => import('@shared/ipc/domains/policies'))
    .then(nextTask)
    .then(() => import('@shared/ipc/domains/chat'))
    .then(
      (m) => {
        checks = m
        for (const l of listeners) l()
        return m
      },
      (err: unknown) => {
        // Not loaded (the host went away, a rebuilt app's old chunk): the next call tries again.
        loading = null
        throw err
      },
    )
  return loading
}

/** The schemas once loaded, else null (see loadRequestChecks). */
export function requestChecks(): Checks | null {
  return checks
}

/** For a component that checks a request while it renders: renders again once the schemas are in. */
export function useRequestChecks(): Checks | null {
  return useSyncExternalStore(subscribe, requestChecks)
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  // A failed load here is left for a send to report (it loads them again).
  if (!loading) afterNextPaint(() => void loadRequestChecks().catch(() => undefined))
  return () => listeners.delete(listener)
}

/** After the frame being made now is on screen (a task after the next animation frame), so the load never delays it. */
function afterNextPaint(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(run, 0))
  else setTimeout(run, 0)
}
