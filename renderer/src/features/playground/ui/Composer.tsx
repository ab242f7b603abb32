import { matchesShortcut, shortcutLabel } from '@renderer/lib/shortcuts'
import { Icon } from '@renderer/ui/Icon'
import { memo } from 'react'

import { selectPane, updatePane, usePlayground } from '../playground-store'
import { send, stop } from '../run-controller'

/** The message box: Ctrl/Cmd+Enter sends, Esc stops a running answer. */
export const Composer = memo(function Composer({ paneId, compact }: { paneId: string; compact: boolean }) {
  const text = usePlayground((s) => selectPane(paneId)(s)?.composer ?? '')
  const running = usePlayground((s) => !!selectPane(paneId)(s)?.liveRequestId)
  const hasMessages = usePlayground((s) => (selectPane(paneId)(s)?.doc.messages.length ?? 0) > 0)
  return (
    <div className="pg-composer">
      <textarea
        className="input pg-textarea pg-composer-input"
        placeholder={hasMessages ? 'Reply… ({{name}} adds a variable)' : 'Ask something… ({{name}} adds a variable)'}
        value={text}
        rows={compact ? 2 : 3}
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
        aria-label="Message"
        data-testid="composer"
      />
      <div className="pg-composer-actions">
        {running ? (
          <button className="btn danger" onClick={() => void stop(paneId)} data-testid="stop" title={`Stop (${shortcutLabel('stop')})`}>
            <Icon name="stop" size={14} /> Stop
          </button>
        ) : (
          <button className="btn primary" onClick={() => send(paneId)} data-testid="send" title={`Send (${shortcutLabel('send')})`}>
            <Icon name="send" size={14} /> Send
          </button>
        )}
        {!compact ? (
          <span className="pg-dim pg-kbd-hint">
            {shortcutLabel('send')} to send · {shortcutLabel('stop')} to stop
          </span>
        ) : null}
      </div>
    </div>
  )
})
