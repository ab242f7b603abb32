import { api } from '../api'
import { WaferError } from '../../../shared/ipc/errors'
import { useAppStore, type ThemeChoice } from './store'

/** Load what the shell shows and keep it current from main's events. */
export async function bootstrap(): Promise<void> {
  const s = useAppStore.getState()
  const media = window.matchMedia('(prefers-color-scheme: dark)')
  s.setSystemDark(media.matches)
  media.addEventListener('change', (e) => useAppStore.getState().setSystemDark(e.matches))

  api.on('settings:changed', (v) => useAppStore.getState().setSettings(v))
  api.on('key:changed', (k) => useAppStore.getState().setKeyStatus(k))
  api.on('app:notice', (n) => useAppStore.getState().notify(n.level, n.message))

  try {
    const [settings, key] = await Promise.all([api.settingsGet({}), api.keyStatus({})])
    s.setSettings(settings)
    s.setKeyStatus(key)
    if (settings.loadError) s.notify('error', settings.loadError.message)
  } catch (err) {
    s.notify('error', `Could not reach the main process: ${describeError(err)}`)
  }
}

export async function saveTheme(theme: ThemeChoice): Promise<void> {
  useAppStore.getState().setThemeChoice(theme)
  try {
    useAppStore.getState().setSettings(await api.settingsUpdate({ theme }))
  } catch (err) {
    useAppStore.getState().notify('error', `Could not save the theme: ${describeError(err)}`)
  }
}

export function describeError(err: unknown): string {
  if (err instanceof WaferError) return err.message
  return err instanceof Error ? err.message : String(err)
}
