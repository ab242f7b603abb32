import path from 'node:path'

import { openAuditStore } from '@main/services/audit/open-store'
import { describe, expect } from 'vitest'

import { requestEntry, tempDir } from '../support/audit-helpers'
import { axeViolations } from '../support/axe'
import { openApp, screenshot } from '../support/browser'
import { PG_PASSWORD, type PgCluster, POSTGRES, startPostgres } from '../support/postgres'
import { webTest } from './stack'

// Settings → Team audit log, through npm run web: a team's PostgreSQL audit
// log (written here the way a fleet of gateways writes it) chosen by its
// connection string, the password never shown back, and the Audit tab
// browsing and verifying it. A wrong password is refused where it is typed.

const it = webTest({ CEREBRAS_API_KEY: 'csk-e2e-auditpg-0123456789' }).extend('team', { scope: 'file' }, async ({}, { onCleanup }) => {
  const cluster: PgCluster = await startPostgres()
  const { dir, cleanup } = tempDir()
  onCleanup(async () => {
    await cluster.destroy()
    cleanup()
  })
  const db = await cluster.createDatabase('team')
  const keyFile = path.join(dir, 'team.key')
  const log = await openAuditStore(db, { keyFile, actor: 'gateway' })
  for (let i = 1; i <= 12; i++) log.append(requestEntry(i, { kind: 'request', client: `gw-replica-${i % 3}` }))
  log.append({
    ...requestEntry(13),
    verdicts: [{ policy: 'pii-detector', verdict: 'redact' }],
    findings: [{ policy: 'pii-detector', entity: 'EMAIL_ADDRESS', start: 0, end: 15, text: 'ana@example.com' }],
  })
  await log.close()
  return { db, keyFile }
})

describe.skipIf(!POSTGRES)('a team PostgreSQL audit log in the Audit tab', () => {
  it('is chosen in Settings with its password masked, then browsed and verified read-only', async ({ browser, host, team }) => {
    const page = await openApp(browser, host.url)
    await page.getByTestId('nav-settings').click()
    const card = page.getByTestId('audit-source-card')
    await card.scrollIntoViewIfNeeded()
    // The card asks main which log is read; until it answers it shows an ellipsis.
    await expect.poll(async () => card.getByTestId('audit-source-current').textContent()).toContain("Reading this app's own log")

    // A wrong password: refused, saying why, and what was typed stays to correct.
    const url = card.getByTestId('audit-source-url')
    const wrong = team.db.replace(PG_PASSWORD, 'not-the-password')
    await url.fill(wrong)
    await card.getByTestId('audit-source-key-file').fill(team.keyFile)
    await card.getByTestId('audit-source-save').click()
    const error = card.getByTestId('audit-source-error')
    await error.waitFor()
    await expect(error.textContent()).resolves.toMatch(/password authentication failed/)
    await expect(error.textContent()).resolves.not.toContain('not-the-password')
    await expect(url.inputValue()).resolves.toBe(wrong)

    // The right one, from the keyboard: saved, the field emptied, the password shown only as ****.
    await url.fill(team.db)
    await url.focus()
    await page.keyboard.press('Enter')
    await card.getByTestId('audit-source-masked').waitFor()
    const masked = await card.getByTestId('audit-source-masked').textContent()
    expect(masked).toBe(team.db.replace(PG_PASSWORD, '****'))
    await expect(url.inputValue()).resolves.toBe('')
    expect(await page.content()).not.toContain(PG_PASSWORD)
    expect(await axeViolations(page, '[data-testid="audit-source-card"]')).toEqual([])
    await screenshot(page, 'settings-team-audit-log')

    // The Audit tab reads the team's log: its records, and a verification with the MAC checked.
    await page.getByTestId('nav-gateway').click()
    await page.getByTestId('tab-audit').click()
    await page.getByTestId('audit-panel').waitFor()
    await expect.poll(async () => page.getByTestId('audit-location').textContent()).toBe(team.db.replace(`:${PG_PASSWORD}`, ''))
    await expect.poll(async () => page.getByTestId('audit-table').locator('tbody tr').count()).toBe(13)
    await page.getByTestId('audit-verify').click()
    await page.getByTestId('audit-verify-ok').waitFor()
    const panel = await page.getByTestId('audit-panel').innerHTML()
    expect(panel).toContain('EMAIL_ADDRESS')
    expect(panel).toContain('req-13')
    expect(panel).not.toContain('ana@example.com')
    expect(panel).not.toContain(PG_PASSWORD)
    // One signed checkpoint and no retention checkpoint: the headline does not say '0 checkpoints' above '1 signed checkpoint verified'.
    const verified = (await page.getByTestId('audit-verify-ok').textContent())?.trim()
    expect(verified).toMatch(/^Intact: 13 records verified up to #13\./)
    expect(verified).toContain('1 signed checkpoint verified')
    expect(await axeViolations(page, '[data-testid="audit-panel"]')).toEqual([])
    await screenshot(page, 'gateway-audit-team-log')

    // Read-only: the app wrote nothing to the team's log.
    const reader = await openAuditStore(team.db, { keyFile: team.keyFile, create: false })
    expect((await reader.head()).seq).toBe(13)
    await reader.close()

    // Back to the app's own log.
    await page.getByTestId('nav-settings').click()
    await card.getByTestId('audit-source-local').click()
    await expect.poll(async () => card.getByTestId('audit-source-current').textContent()).toContain("Reading this app's own log")
    expect(page.errors).toEqual([])
    await page.context().close()
  })
})
