import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

import { main } from '@cli/main'
import { commandLoaders } from '@cli/registry'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }

async function run(argv: string[]) {
  let out = ''
  let err = ''
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), env: {}, cwd: root })
  return { code, out, err }
}

describe('the wafer CLI', () => {
  it('prints the package version', async () => {
    await expect(run(['--version'])).resolves.toMatchObject({ code: 0, out: `${pkg.version}\n` })
  })

  it('lists every registered subcommand in --help', async () => {
    const { code, out } = await run(['--help'])
    expect(code).toBe(0)
    expect(out).toMatch(/Usage: wafer <command>/)
    for (const [name, c] of Object.entries(commandLoaders)) {
      expect(out).toContain(name)
      expect(out).toContain(c.summary)
    }
  })

  it('gives each command the same one-line summary in its own --help as in the list', async () => {
    for (const [name, c] of Object.entries(commandLoaders)) {
      const { code, out } = await run([...name.split(' '), '--help'])
      expect(code).toBe(0)
      expect(out.split('\n')[0]).toBe(c.summary)
      expect(out).toContain(`Usage: wafer ${name}`)
    }
  })

  it('rejects an unknown command with exit code 2', async () => {
    const r = await run(['frobnicate'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/unknown command 'frobnicate'/)
  })
})
