import type { KeyStatus, SettingsView } from '@shared/ipc/domains/settings'
import { create, type StateCreator } from 'zustand'

import { shownTheme } from './shown-theme'

/** The screens of the left navigation (their order and components are the app shell's, in app/screens.ts). */
export type ScreenId = 'playground' | 'compare' | 'models' | 'policies' | 'gateway' | 'history' | 'settings'

/* The app's one store, split into slices. High-frequency stream data lives in
   separate vanilla stores (see features/*), never here. */

export type ThemeChoice = 'system' | 'light' | 'dark'

export interface NavSlice {
  screen: ScreenId
  go: (screen: ScreenId) => void
  shortcutsOpen: boolean
  setShortcutsOpen: (open: boolean) => void
}

export interface ThemeSlice {
  themeChoice: ThemeChoice
  systemDark: boolean
  setThemeChoice: (t: ThemeChoice) => void
  setSystemDark: (dark: boolean) => void
}

export interface ConnectionSlice {
  settings: SettingsView | null
  keyStatus: KeyStatus | null
  setSettings: (s: SettingsView) => void
  setKeyStatus: (k: KeyStatus) => void
}

export interface Notice {
  id: number
  level: 'info' | 'warning' | 'error'
  message: string
}

export interface NoticeSlice {
  notices: Notice[]
  notify: (level: Notice['level'], message: string) => void
  dismiss: (id: number) => void
}

export type AppState = NavSlice & ThemeSlice & ConnectionSlice & NoticeSlice

const navSlice: StateCreator<AppState, [], [], NavSlice> = (set) => ({
  screen: 'playground',
  go: (screen) => set({ screen }),
  shortcutsOpen: false,
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
})

const themeSlice: StateCreator<AppState, [], [], ThemeSlice> = (set) => ({
  themeChoice: 'system',
  systemDark: true,
  setThemeChoice: (themeChoice) => set({ themeChoice }),
  setSystemDark: (systemDark) => set({ systemDark }),
})

const connectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set) => ({
  settings: null,
  keyStatus: null,
  setSettings: (settings) => set({ settings, themeChoice: settings.settings.theme }),
  setKeyStatus: (keyStatus) => set({ keyStatus }),
})

let noticeId = 0
const INFO_TOAST_MS = 4000
const noticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set) => ({
  notices: [],
  notify: (level, message) => {
    const id = ++noticeId
    set((s) => ({ notices: [...s.notices.slice(-4), { id, level, message }] }))
    // Information goes away by itself; warnings and errors stay until dismissed.
    if (level === 'info') setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), INFO_TOAST_MS)
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
})

export const useAppStore = create<AppState>()((...a) => ({
  ...navSlice(...a),
  ...themeSlice(...a),
  ...connectionSlice(...a),
  ...noticeSlice(...a),
}))

/** The theme actually shown. */
export const selectTheme = (s: AppState): 'light' | 'dark' => shownTheme(s.themeChoice, s.systemDark)
