import { useRef } from 'react'

import { api } from '../../api'
import { flash, reportError } from '../../lib/notify'
import { Icon } from '../../ui/Icon'

/** Import a run or a prompt version from an exported JSON file. */
export function ImportButton({ onImported }: { onImported?: (kind: 'run' | 'version', id: string) => void }) {
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <button className="btn" onClick={() => input.current?.click()} data-testid="history-import">
        <Icon name="upload" size={14} /> Import JSON
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="history-import-file"
        onChange={async (e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (!file) return
          try {
            const result = await api.historyImport({ json: await file.text() })
            if (result.kind === 'run') {
              flash(`Imported the run as ${result.id}.`)
              onImported?.('run', result.id)
            } else {
              flash(`Imported “${result.name}” as version ${result.version}.`)
              onImported?.('version', String(result.id))
            }
          } catch (err) {
            reportError(`Could not import ${file.name}`, err)
          }
        }}
      />
    </>
  )
}
