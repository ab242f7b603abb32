/** Wait `ms` (no wait for zero or less): the pace of the fake server's answers. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)))
}
