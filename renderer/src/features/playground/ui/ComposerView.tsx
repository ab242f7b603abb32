import type { ChangeEvent, KeyboardEvent, Ref } from 'react'

import { Icon } from '../../../ui/Icon'

export interface ComposerViewProps {
  text: string
  running: boolean
  hasMessages: boolean
  compact: boolean
  /** Ctrl/Cmd+Enter and Esc's names; none in the start shell, built before the platform is known. */
  sendLabel?: string
  stopLabel?: string
  boxRef?: Ref<HTMLTextAreaElement>
  onChange?: (e: ChangeEvent<HTMLTextAreaElement>) => void
  onKeyDown?: (e: KeyboardEvent<HTMLTextAreaElement>) => void
  onSend?: () => void
  onStop?: () => void
}

/**
 * The message box as it looks. Composer.tsx connects it to the pane; the build renders it once more, empty, into
 * index.html's start shell (app/StartShell.tsx): a box the user can type in before any script has run.
 */
export function ComposerView({ text, running, hasMessages, compact, sendLabel, stopLabel, boxRef, onChange, onKeyDown, onSend, onStop }: ComposerViewProps) {
  return (
    <div className="pg-composer">
      <textarea
        ref={boxRef}
        className="input pg-textarea pg-composer-input"
        placeholder={hasMessages ? 'Reply… ({{name}} adds a variable)' : 'Ask something… ({{name}} adds a variable)'}
        value={onChange ? text : undefined}
        defaultValue={onChange ? undefined : text}
        rows={compact ? 2 : 3}
        onChange={onChange}
        onKeyDown={onKeyDown}
        aria-label="Message"
        data-testid="composer"
      />
      <div className="pg-composer-actions">
        {running ? (
          <button className="btn danger" onClick={onStop} data-testid="stop" title={stopLabel && `Stop (${stopLabel})`}>
            <Icon name="stop" size={14} /> Stop
          </button>
        ) : (
          <button className="btn primary" onClick={onSend} data-testid="send" title={sendLabel && `Send (${sendLabel})`}>
            <Icon name="send" size={14} /> Send
          </button>
        )}
        {!compact ? (
          // Always in the layout, so the row keeps its height when the shell's empty hint is filled in.
          <span className="pg-dim pg-kbd-hint">{sendLabel && stopLabel ? `${sendLabel} to send · ${stopLabel} to stop` : ' '}</span>
        ) : null}
      </div>
    </div>
  )
}
