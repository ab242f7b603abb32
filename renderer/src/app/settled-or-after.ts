/** Resolves once `work` has settled (either way), or after `ms`, whichever comes first; never rejects. */
export function settledOrAfter(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    work.then(done, done)
  })
}
