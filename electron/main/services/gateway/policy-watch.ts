import { type FSWatcher, statSync, watch as fsWatch, type WatchListener } from 'node:fs'
import path from 'node:path'

export interface PolicyWatch {
  close(): void
}

/** node:fs's watch, as this module calls it (a test passes one that counts what the system reports). */
export type WatchFn = (target: string, options: { persistent: boolean }, listener: WatchListener<string>) => FSWatcher

export interface PolicyWatchOptions {
  debounceMs: number
  onError: (message: string) => void
  watch?: WatchFn
}

/**
 * Calls `onChange` once the policy files have been quiet for `debounceMs`
 * after a change.
 *
 * Each file is watched itself, not its folder. The gateway's audit log often
 * sits in the same folder (`--audit-db ./audit.db` beside
 * `./policy-config.yaml`), and a folder watch wakes the serving thread for
 * each of the log's writes: on this project's test machine, 22 more reads a
 * request, 3 more context switches and 0.1–0.25 ms more of its CPU.
 *
 * A save that replaces the file (editors and the app write a new file and
 * rename it over the old one), or a symbolic link switched to another file
 * (as Kubernetes updates a mounted ConfigMap), leaves the watch on the old
 * file, which reports being replaced. So after each event the path is
 * looked up again, and when it names another file the watch moves there.
 * While the file is missing, its folder is watched until the file is back.
 */
export function watchPolicyFiles(files: readonly string[], onChange: () => void, opts: PolicyWatchOptions): PolicyWatch {
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const changed = () => {
    if (closed) return
    clearTimeout(timer)
    timer = setTimeout(onChange, opts.debounceMs)
  }
  const watch = opts.watch ?? fsWatch
  const watches = [...new Set(files.map((f) => path.resolve(f)))].map((file) => new FileWatch(file, { watch, changed, onError: opts.onError }))
  return {
    close() {
      closed = true
      clearTimeout(timer)
      for (const w of watches) w.close()
    },
  }
}

/** One policy file's watch: on the file while it exists, else on its folder until it does. */
class FileWatch {
  private watcher: FSWatcher | undefined
  /** The file being watched (device and inode), or undefined while its folder is. */
  private watched: string | undefined
  private closed = false

  constructor(
    private readonly file: string,
    private readonly deps: { watch: WatchFn; changed: () => void; onError: (message: string) => void },
  ) {
    this.arm()
  }

  close(): void {
    this.closed = true
    this.watcher?.close()
  }

  private arm(): void {
    this.watcher?.close()
    this.watcher = undefined
    const found = identity(this.file)
    if (found && this.watchFile(found)) return
    this.watchFolder()
  }

  private watchFile(found: string): boolean {
    try {
      this.watcher = this.deps.watch(this.file, { persistent: false }, () => this.onFileEvent())
    } catch {
      // Gone between the look-up and the watch: its folder is watched instead.
      return false
    }
    this.watched = found
    this.watcher.on('error', (err) => {
      // Where a watched file's removal comes as an error (Windows), the path is followed as for any event.
      if (identity(this.file) !== this.watched) this.onFileEvent()
      else this.deps.onError(`Stopped watching ${this.file} for policy changes: ${err.message}`)
    })
    return true
  }

  private watchFolder(): void {
    this.watched = undefined
    const dir = path.dirname(this.file)
    const name = path.basename(this.file)
    try {
      this.watcher = this.deps.watch(dir, { persistent: false }, (_event, changedName) => {
        // Some platforms do not say which file changed: then any change in the folder counts.
        if (!changedName || changedName.toString() === name) this.onFolderEvent()
      })
      this.watcher.on('error', (err) => this.deps.onError(`Stopped watching ${dir} for policy changes: ${err.message}`))
    } catch (err) {
      this.deps.onError(`Cannot watch ${dir} for policy changes (saving the file will not reload it): ${(err as Error).message}`)
    }
  }

  private onFileEvent(): void {
    if (this.closed) return
    this.deps.changed()
    // Replaced or removed: the path now names another file, or none.
    if (identity(this.file) !== this.watched) this.arm()
  }

  private onFolderEvent(): void {
    if (this.closed) return
    this.deps.changed()
    if (identity(this.file)) this.arm()
  }
}

/** Which file a path names now (following links), or undefined when it names none. */
function identity(file: string): string | undefined {
  try {
    const s = statSync(file, { bigint: true })
    return `${s.dev}:${s.ino}`
  } catch {
    return undefined
  }
}
