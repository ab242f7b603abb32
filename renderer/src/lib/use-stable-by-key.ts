import { useRef } from 'react'

/**
 * The same value, by identity, for as long as `key` stays the same: children
 * that redo their work when a prop's identity changes (a chart subscribing to
 * its lanes' streams) keep it while a parent re-renders for other reasons.
 * `make` runs only when the key changes.
 */
export function useStableByKey<T>(key: string, make: () => T): T {
  const cell = useRef<{ key: string; value: T } | null>(null)
  if (cell.current === null || cell.current.key !== key) cell.current = { key, value: make() }
  return cell.current.value
}
