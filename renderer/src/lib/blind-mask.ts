import { create } from 'zustand'

/**
 * While a blind comparison waits for its vote, nothing on screen may name the
 * models in it — the status bar's rate-limit gauges included, which show the
 * model of the latest response. Compare raises the mask; whoever shows a
 * model name outside the lanes honours it.
 */
export const useBlindMask = create<{ hidden: boolean }>(() => ({ hidden: false }))

export function setBlindMask(hidden: boolean): void {
  if (useBlindMask.getState().hidden !== hidden) useBlindMask.setState({ hidden })
}
