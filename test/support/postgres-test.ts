import { test } from 'vitest'

import { startPostgres } from './postgres'

/** `it` with a file-scoped cluster `pg`, started on first use and removed when the file ends. */
export const pgTest = test.extend('pg', { scope: 'file' }, async ({}, { onCleanup }) => {
  const pg = await startPostgres()
  onCleanup(() => pg.destroy())
  return pg
})
