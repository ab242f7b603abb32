import type { ThemeChoice } from './store'

/** The theme actually shown for a choice: "system" follows the system's (the app store's and the start shell's rule). */
export function shownTheme(choice: ThemeChoice, systemDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice
}
