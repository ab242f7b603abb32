import type { PlaygroundDraft } from '@shared/ipc/domains/playground'

import { api, prefetched } from '../../api'
import { reportError } from '../../lib/notify'
import { bindStartShellText } from '../../lib/start-shell'
import { useAppStore } from '../../lib/store'
import { type PlaygroundState, updatePane, usePlayground } from './playground-store'

/**
 * The playground draft (every pane's prompt, parameters, variables and
 * unsent text) survives a restart: it is written to main
 * (`playground:draft-set`) a moment after each change and read back when the
 * playground first opens (`playground:draft-get`). Main checks it both ways
 * (shared/ipc/domains/playground.ts), so no schema is built here while the
 * app starts.
 */

const SAVE_DELAY_MS = 500

function toSaved(s: PlaygroundState): PlaygroundDraft {
  return {
    version: 1,
    layout: s.layout,
    activePane: s.activePane,
    panes: s.panes.map((p) => ({ id: p.id, doc: p.doc, composer: p.composer })),
  }
}

let loading: Promise<void> | null = null

/** Read the saved draft once; later calls wait for the same read. */
export function loadDraft(): Promise<void> {
  loading ??= (async () => {
    try {
      // Usually asked for by the page's entry already (app/start-reads.ts).
      const { draft: d, setAside } = await prefetched('playgroundDraftGet', {})
      if (setAside) useAppStore.getState().notify('warning', 'The saved playground draft could not be read and was set aside; starting fresh.')
      if (!d) return
      usePlayground.setState({
        layout: d.layout,
        activePane: d.panes.some((p) => p.id === d.activePane) ? d.activePane : d.panes[0].id,
        panes: d.panes.map((p) => ({ ...p, liveRequestId: null, continuing: null, lastRequestId: null, lastRequest: null, blocked: [] })),
      })
    } catch (err) {
      reportError('Could not load the playground draft', err, { level: 'warning' })
    } finally {
      usePlayground.setState({ loaded: true })
      // Text typed into the start shell's box before the app was up is the first pane's, after its saved text: an
      // edit like any other, so saved as one (the autosave starts first).
      startDraftAutosave()
      bindStartShellText(usePlayground.getState().panes[0]?.composer ?? '', (composer) => {
        const first = usePlayground.getState().panes[0]
        if (first && first.composer !== composer) updatePane(first.id, { composer, blocked: [] })
      })
    }
  })()
  return loading
}

let started = false

/** Save the draft shortly after every change, for the life of the page (started by loadDraft). */
function startDraftAutosave(): void {
  if (started) return
  started = true
  let timer: ReturnType<typeof setTimeout> | null = null
  let lastSaved = ''
  let warned = false
  const save = async () => {
    timer = null
    const state = usePlayground.getState()
    if (!state.loaded) return
    const draft = toSaved(state)
    const json = JSON.stringify(draft)
    if (json === lastSaved) return
    try {
      await api.playgroundDraftSet({ draft })
      lastSaved = json
      warned = false
    } catch (err) {
      if (!warned) {
        warned = true
        reportError('The playground draft was not saved', err, { level: 'warning', then: 'Your runs are still in History.' })
      }
    }
  }
  usePlayground.subscribe((s, prev) => {
    if (!s.loaded) return
    if (s.panes === prev.panes && s.layout === prev.layout && s.activePane === prev.activePane) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void save(), SAVE_DELAY_MS)
  })
  // A page closing mid-delay still gets its last edit saved.
  window.addEventListener('beforeunload', () => {
    if (timer) void save()
  })
}
