/**
 * How long `value` is as JSON text; null when it cannot be written as JSON at all: nested
 * too deeply (JSON.stringify recurses and runs out of stack: past about 4,150 levels of
 * arrays or objects in Node 22) or holding a cycle. What comes over IPC, the web bridge or
 * a file can be nested that deep, so a check that stringifies it guards the call with this.
 */
export function jsonLength(value: unknown): number | null {
  try {
    return JSON.stringify(value)?.length ?? null
  } catch {
    return null
  }
}
