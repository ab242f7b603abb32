/** Resolves in a task of its own, so the work after it is not part of the current task (what is queued meanwhile runs first). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}
