// The resolve hook of module-trace.mjs (runs on Node's hooks thread).
import { appendFileSync } from 'node:fs'

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  if (process.env.WAFER_MODULE_TRACE) appendFileSync(process.env.WAFER_MODULE_TRACE, `${resolved.url}\n`)
  return resolved
}
