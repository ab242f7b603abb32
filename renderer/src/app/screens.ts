import { type ComponentType, lazy, type LazyExoticComponent } from 'react'

import type { ScreenId } from '../lib/store'
import type { IconName } from '../ui/Icon'

export type { ScreenId }

export interface ScreenDef {
  id: ScreenId
  label: string
  icon: IconName
  /** One line under the title. */
  summary: string
  component: LazyExoticComponent<ComponentType>
  /** Start loading the screen's code now (the start-up screen, before React's first render asks for it). */
  preload: () => void
}

/** A lazily loaded screen whose code can also be asked for ahead of its first render; both share one import. */
function lazyScreen(load: () => Promise<{ default: ComponentType }>): Pick<ScreenDef, 'component' | 'preload'> {
  let loading: Promise<{ default: ComponentType }> | undefined
  const once = () => (loading ??= load())
  return { component: lazy(once), preload: () => void once().catch(() => undefined) }
}

/** The left navigation, in order; Ctrl/Cmd+1…7 follow this order. */
export const SCREENS: ScreenDef[] = [
  {
    id: 'playground',
    label: 'Playground',
    icon: 'playground',
    summary: 'Iterate on prompts with honest, server-measured figures.',
    ...lazyScreen(() => import('../features/playground/PlaygroundScreen')),
  },
  {
    id: 'compare',
    label: 'Compare',
    icon: 'compare',
    summary: 'Race models side by side on one input.',
    ...lazyScreen(() => import('../features/compare/CompareScreen')),
  },
  {
    id: 'models',
    label: 'Models',
    icon: 'models',
    summary: 'Models, tiers, context limits, prices and deprecations.',
    ...lazyScreen(() => import('../features/models/ModelsScreen')),
  },
  {
    id: 'policies',
    label: 'Policies',
    icon: 'policies',
    summary: 'Author and test a gateway policy-config.yaml.',
    ...lazyScreen(() => import('../features/policies/PoliciesScreen')),
  },
  {
    id: 'gateway',
    label: 'Gateway',
    icon: 'gateway',
    summary: 'Run a local OpenAI-compatible gateway that enforces your policy.',
    ...lazyScreen(() => import('../features/gateway/GatewayScreen')),
  },
  {
    id: 'history',
    label: 'History',
    icon: 'history',
    summary: 'Every run, searchable, with its metrics.',
    ...lazyScreen(() => import('../features/history/HistoryScreen')),
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: 'settings',
    summary: 'API key, endpoint, request compression and appearance.',
    ...lazyScreen(() => import('../features/settings/SettingsScreen')),
  },
]

export const screenById = (id: ScreenId) => SCREENS.find((s) => s.id === id)!
