import { matchesShortcut, shortcutLabel } from '@renderer/lib/shortcuts'
import { adoptStartShellFocus } from '@renderer/lib/start-shell'
import { memo, useLayoutEffect, useRef } from 'react'

import { selectPane, updatePane, usePlayground } from '../playground-store'
import { send, stop } from '../run-controller'
import { ComposerView } from './ComposerView'

/** The message box: Ctrl/Cmd+Enter sends, Esc stops a running answer. */
export const Composer = memo(function Composer({ paneId, compact }: { paneId: string; compact: boolean }) {
  const text = usePlayground((s) => selectPane(paneId)(s)?.composer ?? '')
  const running = usePlayground((s) => !!selectPane(paneId)(s)?.liveRequestId)
  const hasMessages = usePlayground((s) => (selectPane(paneId)(s)?.doc.messages.length ?? 0) > 0)
  const box = useRef<HTMLTextAreaElement>(null)
  const first = usePlayground((s) => s.panes[0]?.id === paneId)
  // The first pane's box takes over from the start shell's (lib/start-shell.ts): its text is already this pane's
  // (draft-persistence.ts); here the focus, the selection and a send asked for before the app was up.
  useLayoutEffect(() => {
    if (!first || !box.current) return
    const { sendQueued } = adoptStartShellFocus(box.current)
    if (sendQueued) queueMicrotask(() => send(paneId))
    // Once, when the box first shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  return (
    <ComposerView
      text={text}
      running={running}
      hasMessages={hasMessages}
      compact={compact}
      sendLabel={shortcutLabel('send')}
      stopLabel={shortcutLabel('stop')}
      boxRef={box}
      onChange={(e) => updatePane(paneId, { composer: e.target.value, blocked: [] })}
      onKeyDown={(e) => {
        if (matchesShortcut('send', e)) {
          e.preventDefault()
          send(paneId)
        } else if (running && matchesShortcut('stop', e)) {
          e.preventDefault()
          void stop(paneId)
        }
      }}
      onSend={() => send(paneId)}
      onStop={() => void stop(paneId)}
    />
  )
})
