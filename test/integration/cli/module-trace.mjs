// node --import ./module-trace.mjs …: appends the URL of every module the
// process resolves (ES imports, including packages under node_modules) to
// the file named by WAFER_MODULE_TRACE, one a line. Tests use it to see what
// a command loads.
import { register } from 'node:module'

register('./module-trace-hooks.mjs', import.meta.url)
