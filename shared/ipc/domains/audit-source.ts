import { z } from 'zod'

import { channel } from '../define'

/**
 * Which audit log the Audit tab reads: the app's own (an SQLite file in the
 * user-data folder, which the in-app gateway writes), or a team's PostgreSQL
 * log that a fleet of gateways writes, opened read-only. The connection
 * string is kept in main; the renderer only ever sees it with its password
 * masked.
 */
export const AuditSourceView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), file: z.string() }),
  z.object({
    kind: z.literal('postgres'),
    /** The connection string with its password replaced by ****. */
    masked: z.string(),
    /** Whether a password is stored with it. */
    hasPassword: z.boolean(),
    keyFile: z.string(),
  }),
])
export type AuditSourceView = z.infer<typeof AuditSourceView>

export const AuditSourceSet = z
  .object({
    /** null: back to the app's own log. */
    postgres: z
      .object({
        /** postgres://user:password@host:port/database */
        url: z.string().trim().min(1).max(2048),
        /** The log's key file (for MAC checks and value searches); default: the one `wafer gateway run` would use. */
        keyFile: z.string().trim().max(4096).optional(),
      })
      .strict()
      .nullable(),
  })
  .strict()
export type AuditSourceSet = z.infer<typeof AuditSourceSet>

export const auditSourceChannels = {
  'audit:source': channel(z.object({}).strict(), AuditSourceView, 'Which audit log the Audit tab reads (a PostgreSQL password is never included)'),
  'audit:set-source': channel(AuditSourceSet, AuditSourceView, "Read a team's PostgreSQL audit log (read-only), or the app's own again"),
}
