// npm run eval -- <suite> [--json]: accuracy evaluations (eval/<suite>.ts).
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const dir = fileURLToPath(new URL('../eval/', import.meta.url))
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
const argv = process.argv.slice(2)
const suite = argv.find((a) => !a.startsWith('--')) ?? available[0]
if (!suite || !available.includes(suite)) {
  console.error(`Unknown eval suite '${suite}'. Available: ${available.join(', ') || '(none)'}`)
  process.exit(2)
}
const mod = (await import(pathToFileURL(`${dir}${suite}.ts`).href)) as { default: (argv: string[]) => Promise<number> }
process.exitCode = await mod.default(argv.slice(1))
