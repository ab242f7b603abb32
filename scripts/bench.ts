// npm run bench -- <suite> [--json]: runs bench/<suite>.ts and prints its figures.
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

import { type BenchRow, type BenchSuite, row } from '../bench/types'
import { type MachineCosts, measureMachine } from './machine-probe'

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
  // What the machine's basic operations cost before and after the suite, reported with its figures (machine-probe.ts).
  const before = measureMachine()
  const rows: BenchRow[] = await mod.default({ json, args: argv.slice(1), log: (l) => console.error(l) })
  const after = measureMachine()
  const machine = (name: string, unit: string, of: (m: MachineCosts) => number) => [
    row(s, `machine before the suite: ${name}`, of(before), unit),
    row(s, `machine after the suite: ${name}`, of(after), unit),
  ]
  rows.push(
    ...machine('a system call (µs)', 'µs', (m) => m.syscallUs),
    ...machine('a fresh page first touched (µs)', 'µs', (m) => m.pageFaultUs),
    ...machine('50 million additions (ms)', 'ms', (m) => m.arithmeticMs),
  )
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
