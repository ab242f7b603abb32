// Starts the gateway's policy worker from TypeScript sources (the CLI, tests
// and `npm run web` run through tsx; a worker does not inherit the main
// thread's loader). The built app loads its bundled gateway-policy-worker.js.
import { workerData } from 'node:worker_threads'

import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
