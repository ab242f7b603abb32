import { useAppStore } from '../lib/store'
import { Dialog } from '../ui/Dialog'
import { SHORTCUTS } from './shortcuts'

export function ShortcutsDialog() {
  const open = useAppStore((s) => s.shortcutsOpen)
  const setOpen = useAppStore((s) => s.setShortcutsOpen)
  if (!open) return null
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setOpen(false)}>
      <div className="shortcut-list">
        {SHORTCUTS.map((s) => (
          <div key={s.keys} style={{ display: 'contents' }}>
            <span>{s.action}</span>
            <span>
              {s.keys.split('+').map((k, i) => (
                <span key={k}>
                  {i > 0 ? ' + ' : ''}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </span>
          </div>
        ))}
      </div>
      <div className="row" style={{ justifyContent: 'flex-end', marginTop: 16 }}>
        <button className="btn" onClick={() => setOpen(false)} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  )
}
