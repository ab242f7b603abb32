// One check of the running Node.js against package.json's engines field, so the
// README, .nvmrc, engines and every launcher say the same thing.
import { readFileSync } from 'node:fs'

/** The minimum from an engines range such as ">=22.12" or ">=22.12.0". */
export function minimumFrom(range) {
  const m = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(range ?? '')
  if (!m) throw new Error(`package.json engines.node must read ">=MAJOR.MINOR", not ${JSON.stringify(range)}`)
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)]
}

export function satisfies(version, minimum) {
  const parts = version.replace(/^v/, '').split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i]
  }
  return true
}

/** null when this Node is new enough, else a one-paragraph message. */
export function nodeVersionProblem(packageJsonPath, version = process.version) {
  const range = JSON.parse(readFileSync(packageJsonPath, 'utf8')).engines?.node
  const minimum = minimumFrom(range)
  if (satisfies(version, minimum)) return null
  return (
    `Wafer Console needs Node.js ${minimum.join('.')} or newer (the Node 22 LTS); this is ${version}.\n` +
    `  Install Node 22 (for example \`nvm install\` in this folder reads .nvmrc), then run the command again.\n`
  )
}
