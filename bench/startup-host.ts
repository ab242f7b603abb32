// The start-up bench's web host, in a process of its own as `npm run web -- --demo` runs it (so the page's requests
// are not answered by the process that drives the browser and takes in its trace): serves the renderer built in
// argv[2], keeps its data in argv[3], with the built-in demo endpoint on so the playground shows. Prints `URL <url>`.
import { startWebApp } from '../electron/web/start'

const [staticDir, userDataDir] = process.argv.slice(2)
const env: NodeJS.ProcessEnv = { ...process.env }
delete env.CEREBRAS_API_KEY
delete env.CEREBRAS_BASE_URL
const app = await startWebApp({ port: 0, staticDir, userDataDir, env })
await app.services.demo.start()
console.log(`URL ${app.host.url}`)
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
