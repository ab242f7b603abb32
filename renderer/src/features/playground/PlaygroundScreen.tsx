import '../../ui/message-parts.css'
import '../../ui/metric-chips.css'
import './playground.css'

import { useDeferredValue, useEffect, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'

import { useDemo } from '../../lib/demo'
import { takeHandoff } from '../../lib/model-handoff'
import { matchesShortcut } from '../../lib/shortcuts'
import { useAppStore } from '../../lib/store'
import { DemoBanner } from '../../ui/DemoBanner'
import { Dialog } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { ScreenHeader } from '../../ui/ScreenHeader'
import { loadDraft } from './draft-persistence'
import { type Layout, newChat, selectActivePane, setLayout, setParams, usePlayground } from './playground-store'
import { sendAll, stop, stopAll } from './run-controller'
import { ChatPane } from './ui/ChatPane'
import { ParamsPanel } from './ui/ParamsPanel'
import { SaveVersionDialog } from './ui/SaveVersionDialog'
import { VariablesPanel } from './ui/VariablesPanel'
import { ViewCodeDialog } from './ui/ViewCodeDialog'
import { WelcomePanel } from './ui/WelcomePanel'

// The saved draft is taken as soon as the screen's code is in (the page's entry asked for it at start: see
// app/start-reads.ts); when the app opens on this screen, its first render waits for it (`ready`), so the panes and
// the message box show in that render. The model catalog (the live model lists, the user's prices, measured speeds
// and rate limits) is asked for by the model picker's first effect, after that render is on screen: answers arriving
// during the first render would change stores it reads, and React then finishes that render in one blocking task
// instead of in slices.
void loadDraft()

/** What the first render of the screen waits for when the app opens on it (app/screens.ts): the draft. */
export const ready = loadDraft

export default function PlaygroundScreen() {
  const { loaded, layout, paneIds, activeId } = usePlayground(
    useShallow((s) => ({ loaded: s.loaded, layout: s.layout, paneIds: s.panes.map((p) => p.id).join(' '), activeId: s.activePane })),
  )
  const anyRunning = usePlayground((s) => s.panes.some((p) => p.liveRequestId))
  // The parameters column is rendered just after the screen's first frame, not in it: laid out with the rest, it made
  // that frame (most of it the new page's first use of each font) the longest start-up task; the message box, what
  // is needed first, does not wait for it.
  const paramsShown = useDeferredValue(true, false)
  const [dialog, setDialog] = useState<'code' | 'version' | null>(null)
  // A first run without a key (and without the demo) gets the welcome panel instead of an empty chat.
  const keyStatus = useAppStore((s) => s.keyStatus)
  const demo = useDemo((s) => s.status)
  const welcome = !!keyStatus && !keyStatus.configured && !!demo && !demo.active
  const welcomed = useRef(false)
  useEffect(() => {
    if (welcome) welcomed.current = true
    else if (welcomed.current && loaded) {
      // A key was saved or the demo started: the keyboard goes straight on to the message box.
      welcomed.current = false
      document.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')?.focus()
    }
  }, [welcome, loaded])

  useEffect(() => {
    void loadDraft().then(() => {
      // "Open in playground" from the Models screen: the model goes to the active pane.
      const model = takeHandoff('playground')
      if (model) setParams(usePlayground.getState().activePane, { model })
    })
    // The draft's autosave starts with its load (draft-persistence.ts).
  }, [])

  // Esc stops the active pane's answer (or every running one) from anywhere on the screen.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!matchesShortcut('stop', e) || e.defaultPrevented || document.querySelector('dialog[open]')) return
      const s = usePlayground.getState()
      const active = selectActivePane(s)
      if (active.liveRequestId) void stop(active.id)
      else stopAll()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const panes = paneIds.split(' ')
  const compact = layout > 1
  const changeLayout = (l: Layout) => {
    // Panes that go away stop first; their runs are already in History.
    for (const p of usePlayground.getState().panes.slice(l)) if (p.liveRequestId) void stop(p.id)
    setLayout(l)
  }
  const activePane = usePlayground.getState().panes.find((p) => p.id === activeId)

  return (
    <section className="pg-screen">
      <ScreenHeader
        title="Playground"
        subtitle="Iterate on prompts with honest, server-measured figures."
        actions={
          welcome ? null : (
            <>
              <div className="segmented" role="group" aria-label="Panes">
                {([1, 2, 4] as Layout[]).map((l) => (
                  <button
                    key={l}
                    aria-pressed={layout === l}
                    onClick={() => changeLayout(l)}
                    title={`${l} pane${l > 1 ? 's' : ''}`}
                    data-testid={`layout-${l}`}
                  >
                    {l === 1 ? 'Single' : `${l} panes`}
                  </button>
                ))}
              </div>
              {compact ? (
                <button className="btn primary" onClick={() => sendAll()} disabled={anyRunning} data-testid="send-all">
                  <Icon name="send" size={14} /> Send all
                </button>
              ) : null}
              <button
                className="btn"
                onClick={() => newChat(activeId)}
                disabled={!!activePane?.liveRequestId}
                data-testid="new-chat"
                title="A new conversation with the same parameters"
              >
                <Icon name="plus" size={14} /> New chat
              </button>
              <button className="btn" onClick={() => setDialog('version')} data-testid="save-version">
                <Icon name="save" size={14} /> Save version
              </button>
              <button className="btn" onClick={() => setDialog('code')} data-testid="view-code-button">
                <Icon name="code" size={14} /> View code
              </button>
            </>
          )
        }
      />
      <DemoBanner what="Answers, figures and rate limits here" />
      {welcome ? (
        <WelcomePanel />
      ) : !loaded ? (
        <div className="pg-loading" aria-busy="true">
          Loading your draft…
        </div>
      ) : (
        <div className={`pg-body${compact ? ' pg-body-split' : ''}`}>
          <div className={`pg-panes pg-panes-${layout}`}>
            {panes.map((id, i) => (
              <ChatPane key={id} paneId={id} index={i} compact={compact} />
            ))}
          </div>
          <aside className="pg-side" aria-label="Parameters">
            {compact ? <div className="pg-side-title">Pane {panes.indexOf(activeId) + 1}</div> : null}
            <h2 className="pg-side-h">Variables</h2>
            <VariablesPanel paneId={activeId} />
            <h2 className="pg-side-h">Parameters</h2>
            {paramsShown ? <ParamsPanel paneId={activeId} /> : null}
          </aside>
        </div>
      )}
      {dialog && activePane ? (
        <Dialog
          title={dialog === 'code' ? 'View code' : 'Save prompt version'}
          onClose={() => setDialog(null)}
          className={dialog === 'code' ? 'pg-dialog-wide' : undefined}
          testId={`dialog-${dialog}`}
        >
          {dialog === 'code' ? (
            <ViewCodeDialog pane={activePane} onClose={() => setDialog(null)} />
          ) : (
            <SaveVersionDialog pane={activePane} onClose={() => setDialog(null)} />
          )}
        </Dialog>
      ) : null}
    </section>
  )
}
