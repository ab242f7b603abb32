// `npm run web [-- --port N] [--user-data DIR] [--demo] [--allow-host URL]…`: serve the app to a browser on loopback.
// Built as out/main/web-host.js, which scripts/run-web.mjs runs under plain Node.
import { startWebApp } from './start'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const portArg = arg('--port')
const port = portArg === undefined ? 0 : Number(portArg)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got '${portArg}'`)
  process.exit(2)
}

try {
  const app = await startWebApp({
    port,
    userDataDir: arg('--user-data'),
    allowHosts: process.argv.flatMap((a, i) => (a === '--allow-host' && process.argv[i + 1] ? [process.argv[i + 1]] : [])),
  })
  // --demo: start on the built-in demo endpoint, so the app can be tried without a key.
  const demo = process.argv.includes('--demo') ? await app.services.demo.start() : null
  // One line with the URL, first, so scripts and tests can read it.
  console.log(`Wafer Console web host: ${app.host.url}`)
  console.log("Loopback only. The URL carries this run's token; requests without it are refused.")
  if (demo) console.log(`Demo endpoint on (${demo.baseUrl}): answers and figures are made up by a local fake server. Turn it off in the app to use your key.`)
  const stop = () => void app.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
} catch (err) {
  console.error(`Could not start the web host: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
