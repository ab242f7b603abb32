// npm run bench -- <suite> [--json]: runs bench/<suite>.ts and prints its figures.
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

import type { BenchRow, BenchSuite } from '../bench/types'

const benchDir = fileURLToPath(new URL('../bench/', import.meta.url))
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'types.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))

const argv = process.argv.slice(2)
const json = argv.includes('--json')
const positional = argv.filter((a) => !a.startsWith('--'))
const suites = positional.length ? [positional[0]] : available
for (const s of suites) {
  if (!available.includes(s)) {
    console.error(`Unknown bench suite '${s}'. Available: ${available.join(', ')}`)
    process.exit(2)
  }
}

const fmt = (n: number | null) => (n === null ? '—' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3))
for (const s of suites) {
  const mod = (await import(pathToFileURL(`${benchDir}${s}.ts`).href)) as { default: BenchSuite }
  const rows: BenchRow[] = await mod.default({ json, args: argv.slice(1), log: (l) => console.error(l) })
  if (json) {
    for (const r of rows) console.log(JSON.stringify(r))
  } else {
    const w = Math.max(...rows.map((r) => r.name.length), 10)
    console.log(`\n${s}\n${'name'.padEnd(w)}  ${'value'.padStart(12)}  unit        ${'baseline'.padStart(12)}  ratio`)
    for (const r of rows) {
      console.log(`${r.name.padEnd(w)}  ${fmt(r.value).padStart(12)}  ${r.unit.padEnd(10)}  ${fmt(r.baseline).padStart(12)}  ${fmt(r.ratio)}`)
    }
  }
}
