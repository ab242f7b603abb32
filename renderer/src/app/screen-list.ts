import type { ScreenId } from '../lib/store'

export type { ScreenId }

/** What the left navigation shows of a screen (the components are app/screens.ts's). */
export interface ScreenEntry {
  id: ScreenId
  label: string
  /** A name in ui/Icon's set. */
  icon: string
  /** One line under the title. */
  summary: string
}

/** The left navigation, in order; Ctrl/Cmd+1…7 follow this order. */
export const SCREEN_LIST: ScreenEntry[] = [
  { id: 'playground', label: 'Playground', icon: 'playground', summary: 'Iterate on prompts with honest, server-measured figures.' },
  { id: 'compare', label: 'Compare', icon: 'compare', summary: 'Race models side by side on one input.' },
  { id: 'models', label: 'Models', icon: 'models', summary: 'Models, tiers, context limits, prices and deprecations.' },
  { id: 'policies', label: 'Policies', icon: 'policies', summary: 'Author and test a gateway policy-config.yaml.' },
  { id: 'gateway', label: 'Gateway', icon: 'gateway', summary: 'Run a local OpenAI-compatible gateway that enforces your policy.' },
  { id: 'history', label: 'History', icon: 'history', summary: 'Every run, searchable, with its metrics.' },
  { id: 'settings', label: 'Settings', icon: 'settings', summary: 'API key, endpoint, request compression and appearance.' },
]
