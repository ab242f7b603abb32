import { WaferError } from '@shared/ipc/errors'

/*
 * Where an audit log lives, from what `--audit-db`, WAFER_AUDIT_DB or the
 * app's settings say: a postgres:// (or postgresql://) URL, or a SQLite file.
 * Any other scheme is refused, so a URL can never turn into a folder named
 * after it.
 */

export type AuditLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; display: string }

/** Whether the value is a PostgreSQL connection URL. */
export const isPostgresUrl = (value: string): boolean => /^postgres(ql)?:\/\//i.test(value.trim())

/** A scheme of two letters or more before `:` (C:\… on Windows is a path). */
const SCHEME = /^([a-z][a-z0-9+.-]+):/i

/**
 * A PostgreSQL URL checked and named for display: `postgres://user@host:port/db`
 * with the password left out (it is never shown or logged).
 */
export function parsePostgresUrl(value: string): { url: string; display: string } {
  const v = value.trim()
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw new WaferError('bad_request', 'The PostgreSQL connection string is not a valid URL: use postgres://user:password@host:port/database')
  }
  if (!/^postgres(ql)?:$/i.test(u.protocol))
    throw new WaferError('bad_request', `Not a PostgreSQL URL (${u.protocol}…): use postgres://user@host:port/database`)
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''))
  if (!u.hostname) throw new WaferError('bad_request', 'The PostgreSQL URL names no host: use postgres://user@host:port/database')
  if (!database || database.includes('/')) throw new WaferError('bad_request', 'The PostgreSQL URL names no database: use postgres://user@host:port/database')
  return { url: v, display: displayUrl(u) }
}

function displayUrl(u: URL): string {
  const user = u.username ? `${u.username}@` : ''
  return `${u.protocol}//${user}${u.host}${u.pathname}`
}

/** The URL with its password masked, for a settings screen that shows what was saved. */
export function maskPassword(value: string): string {
  try {
    const u = new URL(value.trim())
    if (u.password) u.password = '****'
    return u.toString()
  } catch {
    return ''
  }
}

/**
 * What `value` names: a PostgreSQL log, or a SQLite file (the path as given;
 * resolving it is the caller's). Refuses other URLs, naming the scheme.
 */
export function auditLocation(value: string, what = '--audit-db'): AuditLocation {
  const v = value.trim()
  if (isPostgresUrl(v)) return { kind: 'postgres', ...parsePostgresUrl(v) }
  const scheme = SCHEME.exec(v)
  if (scheme) {
    throw new WaferError(
      'bad_request',
      `${what} takes the path of an SQLite file or a postgres:// URL, not a ${scheme[1]}: URL. For PostgreSQL use postgres://user@host:port/database.`,
    )
  }
  return { kind: 'sqlite', file: v }
}

/** The log as it may be shown or logged: a PostgreSQL URL without its password, a file as it is. */
export function auditDisplay(value: string): string {
  return isPostgresUrl(value) ? parsePostgresUrl(value).display : value
}
