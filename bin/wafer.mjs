#!/usr/bin/env node
// The `wafer` command. It runs the TypeScript sources through tsx so the CLI
// and the app share one code base without a separate build step.
import { register } from 'tsx/esm/api'
process.env.WAFER_CLI_ENTRY = '1'
register()
await import('../electron/cli/main.ts')
