import { create } from 'zustand'

import { api } from '../../api'
import { reportError } from '../../lib/notify'
import { useAppStore } from '../../lib/store'
import { CompareSetup, defaultSetup, MAX_LANES, newLane, readSetup, SETUP_KEY } from './lanes'

/** The compare setup (lanes, system prompt, layout, options), saved to main shortly after each change. */

interface SetupState {
  setup: CompareSetup | null
}

export const useCompareSetup = create<SetupState>()(() => ({ setup: null }))

let loading: Promise<void> | null = null
let saveTimer: ReturnType<typeof setTimeout> | null = null

/** Read the saved setup once; without one, start with two lanes of the given models. */
export function loadSetup(defaultModels: () => string[]): Promise<void> {
  loading ??= api.stateGet({ key: SETUP_KEY }).then(
    ({ value }) => {
      const { setup, problem } = readSetup(value)
      if (problem) useAppStore.getState().notify('warning', `The saved compare setup could not be read (${problem}); starting fresh.`)
      useCompareSetup.setState({ setup: setup ?? defaultSetup(defaultModels()) })
    },
    (err) => {
      reportError('Could not load the compare setup', err)
      useCompareSetup.setState({ setup: defaultSetup(defaultModels()) })
    },
  )
  return loading
}

export function updateSetup(change: (s: CompareSetup) => CompareSetup): void {
  const current = useCompareSetup.getState().setup
  if (!current) return
  const next = change(current)
  useCompareSetup.setState({ setup: next })
  if (saveTimer) clearTimeout(saveTimer)
  // Typing in a lane's model field changes the setup per keystroke: save once it pauses.
  saveTimer = setTimeout(flushSetupSave, 400)
}

/** Save a pending change now (the screen is closing or the page is going away). */
export function flushSetupSave(): void {
  if (!saveTimer) return
  clearTimeout(saveTimer)
  saveTimer = null
  const parsed = CompareSetup.safeParse(useCompareSetup.getState().setup)
  if (!parsed.success) return
  api.stateSet({ key: SETUP_KEY, value: parsed.data }).catch((err) => {
    reportError('Could not save the compare setup', err)
  })
}

/** Put a model in a lane: a new lane if there is room, else the last lane. */
export function addModelLane(model: string): void {
  updateSetup((s) => {
    if (s.lanes.some((l) => l.model === model)) return s
    if (s.lanes.length < MAX_LANES) return { ...s, lanes: [...s.lanes, newLane(model)] }
    const lanes = [...s.lanes]
    lanes[lanes.length - 1] = { ...lanes[lanes.length - 1], model }
    return { ...s, lanes }
  })
}
