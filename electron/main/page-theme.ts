import type { z } from 'zod'

import type { Theme } from '../../shared/ipc/domains/settings'

/**
 * index.html as served, with the theme the user chose on its root element. The page's first frame comes before any
 * of its scripts has run (index.html's start shell: renderer/src/app/StartShell.tsx), and only the page's host knows
 * the settings by then. "system" needs nothing: until a script sets a theme, the stylesheet follows the system's
 * (renderer/vite.config.ts, themeBeforeScripts).
 */
export function htmlWithTheme(html: string, theme: z.infer<typeof Theme>): string {
  if (theme !== 'light' && theme !== 'dark') return html
  return html.replace(/<html(?=[\s>])/, `<html data-theme="${theme}"`)
}
