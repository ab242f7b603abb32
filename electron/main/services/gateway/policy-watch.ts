import { type FSWatcher, watch } from 'node:fs'
import path from 'node:path'

export interface PolicyWatch {
  close(): void
}

/**
 * Calls `onChange` once the policy files have been quiet for `debounceMs`
 * after a change. Each file's folder is watched rather than the file, so a
 * save that replaces the file (editors and the app write a new file and
 * rename it over the old one) is seen as well as one that rewrites it. A
 * folder that cannot be watched is reported through `onError` and the rest
 * go on.
 */
export function watchPolicyFiles(
  files: readonly string[],
  onChange: () => void,
  opts: { debounceMs: number; onError: (message: string) => void },
): PolicyWatch {
  const byDir = new Map<string, Set<string>>()
  for (const f of files) {
    const abs = path.resolve(f)
    const names = byDir.get(path.dirname(abs)) ?? new Set<string>()
    names.add(path.basename(abs))
    byDir.set(path.dirname(abs), names)
  }
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const changed = () => {
    if (closed) return
    clearTimeout(timer)
    timer = setTimeout(onChange, opts.debounceMs)
  }
  const watchers: FSWatcher[] = []
  for (const [dir, names] of byDir) {
    try {
      const w = watch(dir, { persistent: false }, (_event, name) => {
        // Some platforms do not say which file changed: then any change in the folder counts.
        if (!name || names.has(name.toString())) changed()
      })
      w.on('error', (err) => opts.onError(`Stopped watching ${dir} for policy changes: ${err.message}`))
      watchers.push(w)
    } catch (err) {
      opts.onError(`Cannot watch ${dir} for policy changes (saving the file will not reload it): ${(err as Error).message}`)
    }
  }
  return {
    close() {
      closed = true
      clearTimeout(timer)
      for (const w of watchers) w.close()
    },
  }
}
