import { create } from 'zustand'

/** Which History tab is open (the playground can open Versions directly). */
export type HistoryTab = 'runs' | 'versions' | 'metrics'

export const useHistoryNav = create<{ tab: HistoryTab; setTab: (t: HistoryTab) => void }>()((set) => ({
  tab: 'runs',
  setTab: (tab) => set({ tab }),
}))
