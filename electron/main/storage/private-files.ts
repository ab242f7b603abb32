import { chmodSync, closeSync, openSync, promises as fsp } from 'node:fs'

/*
 * Files under the user-data folder are this user's only: the folder 0700,
 * every file in it (databases with their WAL and SHM, the key, temporary
 * files) 0600. A mode given at creation is cut by the umask and ignored for a
 * file that already exists, so each helper sets the mode explicitly after
 * creating or opening, which also repairs files an older version left readable.
 */

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT'
/** A file that is not ours to change (another user's, a read-only copy handed over): left as it is. */
const notOurs = (err: unknown) => ['EPERM', 'EROFS', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')

/** Create `dir` (and parents) if needed, and make it 0700. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  await fsp.chmod(dir, PRIVATE_DIR_MODE)
}

/** chmod 0600 when the file exists; a missing file, or one this user may not change, is left alone. */
export function makePrivateSync(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE_MODE)
  } catch (err) {
    if (!missing(err) && !notOurs(err)) throw err
  }
}

export async function makePrivate(file: string): Promise<void> {
  await fsp.chmod(file, PRIVATE_FILE_MODE).catch((err: unknown) => {
    if (!missing(err)) throw err
  })
}

/**
 * Make sure a SQLite database file exists (an existing one is left to
 * `makeDatabaseFilesPrivate`) as 0600 before SQLite opens it:
 * SQLite creates the -wal and -shm files with the database file's mode.
 * Their modes (and an older version's 0644 database) are set again after open
 * by `makeDatabaseFilesPrivate`.
 */
export function createPrivateFileSync(file: string): void {
  let fd: number
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return
    throw err
  }
  closeSync(fd)
  chmodSync(file, PRIVATE_FILE_MODE)
}

/** The database file, its WAL and its shared-memory index: 0600 where they exist. */
export function makeDatabaseFilesPrivate(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) makePrivateSync(f)
}

/**
 * Write `file` atomically (temporary file, fsync, rename) as 0600. The
 * temporary file is opened with mode 0600 and chmod-ed, so a leftover from an
 * interrupted write, whatever its mode, never passes its mode on.
 */
export async function writePrivateFileAtomic(file: string, data: string | Uint8Array, tmp = `${file}.tmp`): Promise<void> {
  const fh = await fsp.open(tmp, 'w', PRIVATE_FILE_MODE)
  try {
    await fh.chmod(PRIVATE_FILE_MODE)
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await fsp.rename(tmp, file)
}
