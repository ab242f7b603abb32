/** The platform as the keyboard sees it: which modifier the shortcuts use and how to name it. */

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** The shortcut modifier's name as shown to the user: "Cmd" on a Mac, else "Ctrl" (lib/shortcuts.ts shows every shortcut with it). */
export function modKeyName(mac: boolean = isMac): 'Cmd' | 'Ctrl' {
  return mac ? 'Cmd' : 'Ctrl'
}
