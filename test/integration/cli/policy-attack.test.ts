import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { main } from '@cli/main'
import { findTemplate } from '@shared/policy/templates'
import { afterAll, describe, expect, it } from 'vitest'

// `wafer policy attack` end to end through the CLI's entry point: the Cerebras
// gateway template against the generated suite.

const dir = mkdtempSync(join(tmpdir(), 'wafer-policy-attack-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const cfg = join(dir, 'gateway.yaml')
writeFileSync(cfg, findTemplate('cerebras-gateway')!.yaml)

async function wafer(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {}, cwd: dir })
  return { code, stdout, stderr }
}

describe('wafer policy attack', () => {
  it('--json reports per family and language, and lists every miss with its text, family and encoding', async () => {
    const r = await wafer('policy', 'attack', '--policy-config', cfg, '--json', '--seed', '7')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.seed).toBe(7)
    expect(out.total.attacks).toBeGreaterThanOrEqual(2000)
    expect(out.total.benign).toBeGreaterThanOrEqual(2000)
    expect(out.byFamily.map((f: { family: string }) => f.family)).toEqual(['override', 'leak', 'persona', 'delimiter', 'editing-leak', 'pii-exfiltration'])
    expect(out.byLanguage.map((f: { language: string }) => f.language)).toEqual(['en', 'de', 'fr', 'es', 'it', 'pt', 'nl'])
    expect(out.misses).toHaveLength(out.total.missed)
    expect(out.total.caught).toBeGreaterThan(0)
    expect(out.recall).toBeCloseTo(out.total.caught / out.total.attacks, 6)
    for (const m of out.misses.slice(0, 20)) expect(m).toMatchObject({ text: expect.any(String), family: expect.any(String), encoding: expect.any(String) })
    // A policy that blocks plain English overrides catches them all.
    expect(out.misses.filter((m: { id: string }) => m.id.startsWith('attack-override-en-plain-'))).toEqual([])
  }, 180_000)

  it('prints a human report; --min-recall turns it into a gate', async () => {
    const r = await wafer('policy', 'attack', '--policy-config', cfg, '--show', '3', '--min-recall', '0.99')
    expect(r.stdout).toMatch(/By family\s+caught\s+benign flagged/)
    expect(r.stdout).toMatch(/^override\s+\d+\/504\s+\d+\.\d%/m)
    expect(r.stdout).toMatch(/^All\s+\d+\/\d+/m)
    expect(r.stdout).toMatch(/Missed attacks \(\d+, first 3 shown; --json lists all\):\n(attack-\S+\t[a-z-]+\t[a-z]{2}\t[a-z0-9-]+\t.*\n){3}/)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/below --min-recall 99\.0%/)
  }, 180_000)

  it('says what is wrong with its arguments (exit 2)', async () => {
    expect((await wafer('policy', 'attack')).stderr).toContain('--policy-config is required')
    expect((await wafer('policy', 'attack', '--policy-config', cfg, '--min-recall', '2')).code).toBe(2)
    expect((await wafer('policy', 'attack', '--policy-config', join(dir, 'none.yaml'))).code).toBe(2)
  })
})
