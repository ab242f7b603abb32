import { api } from '../api'
import { reportError } from './notify'
import { type ThemeChoice, useAppStore } from './store'

/** Show `theme` at once and keep it in the settings (a failed save is reported; the choice stays for this run). */
export async function saveTheme(theme: ThemeChoice): Promise<void> {
  useAppStore.getState().setThemeChoice(theme)
  try {
    useAppStore.getState().setSettings(await api.settingsUpdate({ theme }))
  } catch (err) {
    reportError('Could not save the theme', err)
  }
}
