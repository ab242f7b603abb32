import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/*
 * A throwaway PostgreSQL cluster for tests: initdb in a temp folder, the
 * server on a random free loopback port with its unix socket in that folder,
 * stopped and removed at the end. PostgreSQL refuses to run as root, so when
 * the tests do (CI does) the server runs as the `postgres` user.
 *
 * Tests that need PostgreSQL use `pgTest` (postgres-test.ts: a file-scoped
 * cluster) or `startPostgres()` (the fleet bench too). Where PostgreSQL is not installed they are skipped
 * (`describe.skipIf(!POSTGRES)`), except under CI, where a missing server
 * fails the run instead of hiding the tests: .ci/run installs it.
 */

/** The folder holding initdb, pg_ctl and postgres, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const fromPath = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim()
  // A link on PATH (/usr/local/bin/pg_ctl) leads to the folder with the rest (psql, initdb).
  if (fromPath) {
    const dir = join(realpathSync(fromPath), '..')
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'psql'))) return dir
  }
  // Debian keeps the server's programs off PATH, one folder per major version.
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(root, versions[0], 'bin') : undefined
}

const BIN = findPostgresBin()
if (!BIN && process.env.CI) {
  throw new Error('PostgreSQL is not installed, so the tests that need it cannot run; .ci/run installs Debian\'s "postgresql" package.')
}
/** Whether PostgreSQL is installed here (always true under CI, which fails otherwise). */
export const POSTGRES = BIN !== undefined

/** The password of the test superuser for TCP connections (local socket connections are trusted). */
export const PG_PASSWORD = 'wafer-test-pw'
const SUPERUSER = 'wafer'

export interface PgCluster {
  readonly port: number
  /** Where the server's unix socket lives (and its data folder). */
  readonly dir: string
  /** A postgres:// URL for `database` over TCP, with the password. */
  url(database?: string): string
  /** Creates a fresh, empty database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>
  /** Runs SQL as the superuser through psql on the unix socket; returns stdout. */
  psql(sql: string, database?: string): string
  /** Stops the server (fast shutdown: sessions are cut off), keeping its data. */
  stop(): Promise<void>
  /** Starts it again on the same port. */
  start(): Promise<void>
  /** Stops it and removes its folder. */
  destroy(): Promise<void>
}

function asServerUser(): { cmdPrefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { cmdPrefix: [] }
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { cmdPrefix: ['runuser', '-u', 'postgres', '--'], uid, gid }
}

function run(prefix: string[], cmd: string, args: string[], input?: string): string {
  const [file, ...rest] = prefix.length ? [...prefix, cmd, ...args] : [cmd, ...args]
  const r = spawnSync(file, rest, { encoding: 'utf8', input, timeout: 60_000 })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}`)
  return r.stdout
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

let databases = 0

/**
 * initdb and start a cluster. `durable: false` (the default) turns fsync off:
 * tests kill gateways and restart the server cleanly, never the machine.
 */
export async function startPostgres(opts: { durable?: boolean } = {}): Promise<PgCluster> {
  if (!BIN) throw new Error('PostgreSQL is not installed (initdb/pg_ctl not found)')
  const user = asServerUser()
  const dir = mkdtempSync(join(tmpdir(), 'wafer-pg-'))
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!)
  const data = join(dir, 'data')
  const pwfile = join(dir, 'pw')
  writeFileSync(pwfile, PG_PASSWORD + '\n', { mode: 0o644 })
  if (user.uid !== undefined) chownSync(pwfile, user.uid, user.gid!)
  run(user.cmdPrefix, join(BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    SUPERUSER,
    '--pwfile',
    pwfile,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--no-instructions',
    '--no-sync',
  ])
  rmSync(pwfile)
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c max_connections=200',
    ...(opts.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
  ].join(' ')
  const pgCtl = (...args: string[]) => run(user.cmdPrefix, join(BIN, 'pg_ctl'), ['-D', data, ...args])
  const start = async () => {
    pgCtl('-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', settings, 'start')
  }
  await start()
  let running = true
  const psql = (sql: string, database = 'postgres') =>
    run([], join(BIN, 'psql'), ['-h', dir, '-p', String(port), '-U', SUPERUSER, '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', sql])
  return {
    port,
    dir,
    url: (database = 'postgres') => `postgres://${SUPERUSER}:${PG_PASSWORD}@127.0.0.1:${port}/${database}`,
    async createDatabase(prefix = 'audit') {
      const name = `${prefix}_${process.pid}_${++databases}`
      psql(`CREATE DATABASE ${name}`)
      return `postgres://${SUPERUSER}:${PG_PASSWORD}@127.0.0.1:${port}/${name}`
    },
    psql,
    async stop() {
      if (!running) return
      pgCtl('-w', '-t', '60', '-m', 'fast', 'stop')
      running = false
    },
    async start() {
      if (running) return
      await start()
      running = true
    },
    async destroy() {
      try {
        if (running) pgCtl('-w', '-t', '60', '-m', 'immediate', 'stop')
      } finally {
        running = false
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
