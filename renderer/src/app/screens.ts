import { type ComponentType, lazy, type LazyExoticComponent } from 'react'

import type { ScreenId } from '../lib/store'
import { SCREEN_LIST, type ScreenEntry } from './screen-list'

export type { ScreenId }

export interface ScreenDef extends ScreenEntry {
  component: LazyExoticComponent<ComponentType>
  /**
   * Start loading the screen's code now (the start-up screen, before React's first render asks for it); settles
   * once it is in and what it needs first is read (or failed: the screen's error boundary then says so when it
   * renders).
   */
  preload: () => Promise<void>
}

type ScreenModule = {
  default: ComponentType
  /**
   * What the screen's first render needs from main (the playground: its draft), when the app opens on it: the app's
   * first render waits for it (app/start.tsx), so the screen shows what it has rather than a loading state and, as
   * the answer lands, a second render in one blocking task.
   */
  ready?: () => Promise<void>
}

/**
 * A lazily loaded screen whose code can also be asked for ahead of its first render; both share one import. Once
 * the code is in, React.lazy is handed a thenable that settles at once, so a screen whose code arrived before its
 * first render renders straight away: no loading fallback committed, and so no wait for React's 300 ms throttle
 * on revealing the content that replaces a fallback.
 */
function lazyScreen(load: () => Promise<ScreenModule>): Pick<ScreenDef, 'component' | 'preload'> {
  let loading: Promise<ScreenModule> | undefined
  let loaded: ScreenModule | undefined
  const once = () =>
    (loading ??= load().then((m) => {
      loaded = m
      return m
    }))
  const settledAtOnce = (m: ScreenModule) => ({ then: (resolve: (m: ScreenModule) => void) => resolve(m) }) as unknown as Promise<ScreenModule>
  return {
    component: lazy(() => (loaded ? settledAtOnce(loaded) : once())),
    preload: () =>
      once().then(
        (m) => m.ready?.().catch(() => undefined),
        () => undefined,
      ),
  }
}

/** Each screen's code, loaded the first time it is shown. */
const LOADERS: Record<ScreenId, Pick<ScreenDef, 'component' | 'preload'>> = {
  // The request's zod schemas are not on the start-up screen's path: they load after its first frame
  // (features/playground/request-checks.ts).
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
