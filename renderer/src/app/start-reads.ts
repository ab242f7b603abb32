import { prefetch } from '../api'

/**
 * What the start-up screen waits on before it is usable, asked of main by the page's entry as it starts (see
 * api/prefetch.ts): the settings and key status (bootstrap.ts), the demo's state and the policy applied to requests
 * (the status bar, and whether the playground shows its welcome panel), and the playground's draft (the panes and
 * the message box wait for it). Each is taken by the code that used to ask for it.
 */
export function prefetchStartReads(): void {
  prefetch('settingsGet', {}, 'settings:changed')
  prefetch('keyStatus', {}, 'key:changed')
  prefetch('demoStatus', {}, 'demo:changed')
  prefetch('policiesActive', {}, 'policies:active-changed')
  prefetch('playgroundDraftGet', {})
}
