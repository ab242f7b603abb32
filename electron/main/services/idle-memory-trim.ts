// Gives memory back once a long-running headless process (the CLI gateway and
// its audit writer thread) has nothing to do.
//
// V8 grows the young generation while start-up or a burst of requests
// allocates quickly, and keeps it grown: an idle `wafer gateway run` then sits
// on ~10 MB of touched but empty semi-space pages. A memory-reducing
// collection (what Chromium asks for when a tab goes idle) shrinks it. It runs
// once start-up is over, and again each time the thread turns idle after
// work, never while a request is in flight; it is never timed to a request.
import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

type GcOptions = { type: 'major'; execution: 'sync'; flavor: 'last-resort' }

/**
 * A full, memory-reducing garbage collection of the calling thread's heap,
 * or undefined where V8 does not offer one. Node exposes V8's `gc` only
 * behind a flag; set at run time it applies to contexts made afterwards,
 * so one fresh context lends its `gc` (the main context stays as it was).
 */
export function memoryReducingGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as ((o: GcOptions) => void) | undefined
    if (typeof gc !== 'function') return undefined
    return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  } catch {
    return undefined
  }
}

export interface IdleMemoryTrimOptions {
  gc: () => void
  /** How often the thread's load is checked (default 5 s). */
  checkMs?: number
  /** Work that keeps the thread from being idle though its event loop is quiet (a stream waiting on the upstream). */
  busy?: () => boolean
  /** Milliseconds this thread's event loop has spent working since it started (default: performance.eventLoopUtilization().active). */
  activeMs?: () => number
  /** Event-loop work since the last collection that makes one worth it (default 50 ms). */
  workMs?: number
}

export interface IdleMemoryTrim {
  /** Collections run so far. */
  readonly runs: number
  stop(): void
}

/**
 * Collects once now (start-up's garbage), then after every check period in
 * which the thread was idle (under 1% of the period working, nothing busy)
 * that follows at least `workMs` of work since the last collection.
 */
export function startIdleMemoryTrim(opts: IdleMemoryTrimOptions): IdleMemoryTrim {
  const checkMs = opts.checkMs ?? 5_000
  const workMs = opts.workMs ?? 50
  const activeMs = opts.activeMs ?? (() => performance.eventLoopUtilization().active)
  const busy = opts.busy ?? (() => false)
  let runs = 0
  let sinceTrim = 0
  let last = activeMs()
  const collect = () => {
    opts.gc()
    runs++
    sinceTrim = 0
    // The collection's own time is not work that calls for another.
    last = activeMs()
  }
  const check = () => {
    const now = activeMs()
    const worked = now - last
    last = now
    sinceTrim += worked
    if (sinceTrim >= workMs && worked < checkMs / 100 && !busy()) collect()
  }
  collect()
  const timer = setInterval(check, checkMs)
  timer.unref()
  return {
    get runs() {
      return runs
    },
    stop: () => clearInterval(timer),
  }
}
