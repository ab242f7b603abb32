/**
 * The renderer's zod. Every `import … from 'zod'` in the renderer's build,
 * shared/ modules included, resolves to this module (renderer/vite.config.ts),
 * so zod is told before any schema is built that the renderer's CSP forbids
 * eval: its compiled parsers could never run here, and without this it probes
 * for eval (new Function(''), refused by the CSP with a violation report).
 * Being here rather than in the page's entry, zod loads with the first schema
 * the app needs, not while the app starts.
 */
import { config } from 'zod/v4'

config({ jitless: true })

export * from 'zod/v4'
export { default } from 'zod/v4'
