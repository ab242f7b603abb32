import { memo, useState } from 'react'

import { selectPane, updateDoc, usePlayground } from '../playground-store'

/** The system prompt, folded to one line until opened. */
export const SystemPrompt = memo(function SystemPrompt({ paneId }: { paneId: string }) {
  const system = usePlayground((s) => selectPane(paneId)(s)?.doc.system ?? '')
  const [open, setOpen] = useState(false)
  return (
    <div className="pg-system">
      <button className="pg-system-toggle" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="system-toggle">
        <span className="pg-role">System</span>
        <span className="pg-system-preview">{system ? system.replace(/\s+/g, ' ').slice(0, 140) : 'No system prompt — click to add one'}</span>
      </button>
      {open ? (
        <textarea
          className="input pg-textarea"
          placeholder="You are a helpful assistant. ({{name}} adds a variable)"
          value={system}
          autoFocus
          onChange={(e) => updateDoc(paneId, (d) => ({ ...d, system: e.target.value }))}
          data-testid="system-input"
        />
      ) : null}
    </div>
  )
})
