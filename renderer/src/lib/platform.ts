/** The platform as the keyboard sees it: which modifier the shortcuts use and how to name it. */

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** The shortcut modifier's name as shown to the user: "⌘" on a Mac, else "Ctrl". */
export const modKey = isMac ? '⌘' : 'Ctrl'
