import { nextTask } from './next-task'

let warmed: Promise<void> | null = null

/**
 * zod loaded and run once, in a task of its own, before a module that builds schemas with it is evaluated in the
 * next task. The first schemas a page builds also pay for compiling zod's own code: the user's prices' one small
 * schema took 5–11 ms to evaluate (CPU profile, moderate load) when it came first, 0.3–1.5 ms after this; under
 * heavy load such a module made a 50 ms task. A failed load is tried again by the next caller.
 */
export function zodWarmed(): Promise<void> {
  warmed ??= import('./zod-warm-up')
    .then((m) => m.warmUpZod())
    .then(nextTask)
    .catch((err: unknown) => {
      warmed = null
      throw err
    })
  return warmed
}
