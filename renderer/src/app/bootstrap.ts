import { api, prefetched } from '../api'
import { watchActivePolicy } from '../features/policies/active-policy-store'
import { watchDemo } from '../lib/demo'
import { reportError } from '../lib/notify'
import { setPromptOpener } from '../lib/prompt-opener'
import { useAppStore } from '../lib/store'

/**
 * Load what the shell shows and keep it current from main's events. Settles once the shell's start-up reads (the
 * settings, the key status, the demo's state, the active policy) are in the stores, or failed and were reported.
 */
export async function bootstrap(): Promise<void> {
  const s = useAppStore.getState()
  const media = window.matchMedia('(prefers-color-scheme: dark)')
  s.setSystemDark(media.matches)
  media.addEventListener('change', (e) => useAppStore.getState().setSystemDark(e.matches))

  api.on('settings:changed', (v) => useAppStore.getState().setSettings(v))
  api.on('key:changed', (k) => useAppStore.getState().setKeyStatus(k))
  api.on('app:notice', (n) => useAppStore.getState().notify(n.level, n.message))

  // What the status bar shows (the demo's state, the policy applied to requests) is asked for now, with the
  // settings, rather than from its first effects: the answers arrive while the start-up screen loads, not as
  // re-renders just after the first paint. (The playground asks for the model catalog once its draft is on the way.)
  const shown = Promise.all([watchDemo(), watchActivePolicy()])

  // "Open in playground" from History: the playground's code loads when it is first asked for.
  setPromptOpener(async (doc, what) => (await import('../features/playground/open-doc')).openDocInPlayground(doc, what))

  try {
    // Asked for as the page started (start-reads.ts), with what the status bar and the playground wait on.
    const [settings, key] = await Promise.all([prefetched('settingsGet', {}), prefetched('keyStatus', {})])
    s.setSettings(settings)
    s.setKeyStatus(key)
    if (settings.loadError) s.notify('error', settings.loadError.message)
  } catch (err) {
    reportError('Could not reach the main process', err)
  }
  await shown
}
