import type { Handler } from '../ipc/dispatcher'
import type { DemoEndpoint } from '../services/demo/demo-endpoint'

/** Handlers for the built-in demo endpoint: its state, and switching it on and off. */
export interface DemoHandlers {
  'demo:status': Handler<'demo:status'>
  'demo:start': Handler<'demo:start'>
  'demo:stop': Handler<'demo:stop'>
}

export function createDemoHandlers(demo: DemoEndpoint): DemoHandlers {
  return {
    'demo:status': () => demo.status(),
    'demo:start': () => demo.start(),
    'demo:stop': () => demo.stop(),
  }
}
