import { type ComponentType, lazy, type LazyExoticComponent } from 'react'

import type { ScreenId } from '../lib/store'
import { SCREEN_LIST, type ScreenEntry } from './screen-list'

export type { ScreenId }

export interface ScreenDef extends ScreenEntry {
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

/** Each screen's code, loaded the first time it is shown. */
const LOADERS: Record<ScreenId, Pick<ScreenDef, 'component' | 'preload'>> = {
  playground: lazyScreen(() => import('../features/playground/PlaygroundScreen')),
  compare: lazyScreen(() => import('../features/compare/CompareScreen')),
  models: lazyScreen(() => import('../features/models/ModelsScreen')),
  policies: lazyScreen(() => import('../features/policies/PoliciesScreen')),
  gateway: lazyScreen(() => import('../features/gateway/GatewayScreen')),
  history: lazyScreen(() => import('../features/history/HistoryScreen')),
  settings: lazyScreen(() => import('../features/settings/SettingsScreen')),
}

/** The left navigation, in order (app/screen-list.ts), with each screen's code. */
export const SCREENS: ScreenDef[] = SCREEN_LIST.map((entry) => ({ ...entry, ...LOADERS[entry.id] }))

export const screenById = (id: ScreenId) => SCREENS.find((s) => s.id === id)!
