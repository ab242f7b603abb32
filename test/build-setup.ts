import { ensureBuilt } from '../scripts/ensure-built.mjs'

/**
 * Tests that run `wafer` or `npm run web` as users do run the built command
 * line and web host (out/main). Build them once, before any test file starts,
 * when the sources are newer; bin/wafer.mjs would otherwise rebuild inside
 * the first test's time limit.
 */
export default function setup(): void {
  ensureBuilt('main', 'the command line and the web host')
}
