// npm test: typecheck, lint (eslint.config.js, no warnings allowed), format (.prettierrc.json),
// the layer rules (.dependency-cruiser.cjs), then every vitest project (unit, integration, e2e).
import { spawnSync } from 'node:child_process'

const steps = [
  ['typecheck (node)', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.node.json']],
  ['typecheck (web)', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.web.json']],
  ['typecheck (e2e and bench)', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.e2e.json']],
  ['lint (typescript-eslint, react hooks, import order)', ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings', '0']],
  ['format (prettier)', ['node_modules/prettier/bin/prettier.cjs', '--check', '**/*.{ts,tsx,mts,mjs,js,cjs,css}', '--log-level', 'warn']],
  [
    'layers (dependency-cruiser)',
    [
      'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs',
      'shared',
      'electron',
      'renderer',
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'err',
    ],
  ],
  ['tests', ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)]],
]
for (const [label, args] of steps) {
  console.log(`\n▶ ${label}`)
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' })
  if (r.status !== 0) {
    console.error(`\n✖ ${label} failed`)
    process.exit(r.status ?? 1)
  }
}
