import './shortcuts-dialog.css'

import { chordKeys, type KeyChord, type Shortcut, type ShortcutArea } from '../lib/shortcuts'
import { useAppStore } from '../lib/store'
import { Dialog } from '../ui/Dialog'
import { allShortcuts } from './shortcuts'

const AREAS: ShortcutArea[] = ['Everywhere', 'Playground', 'Compare', 'Policies']

function Chord({ chord }: { chord: KeyChord }) {
  return (
    <span className="shortcut-chord">
      {chordKeys(chord).map((k, i) => (
        <span key={i}>
          {i > 0 ? '+' : ''}
          <kbd>{k}</kbd>
        </span>
      ))}
    </span>
  )
}

function Keys({ shortcut }: { shortcut: Shortcut }) {
  return (
    <span className="shortcut-keys">
      {shortcut.keys.map((c, i) => (
        <span key={i}>
          {i > 0 ? <span className="shortcut-or"> or </span> : null}
          <Chord chord={c} />
        </span>
      ))}
      {shortcut.then ? (
        <>
          <span className="shortcut-or">, then </span>
          <Chord chord={shortcut.then} />
        </>
      ) : null}
    </span>
  )
}

/** Every shortcut, from the table the key handlers use, by where it works; Cmd on a Mac, Ctrl elsewhere. */
export function ShortcutsDialog() {
  const open = useAppStore((s) => s.shortcutsOpen)
  const setOpen = useAppStore((s) => s.setShortcutsOpen)
  if (!open) return null
  const all = allShortcuts()
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => setOpen(false)} testId="shortcuts-dialog" className="shortcuts-dialog">
      {AREAS.map((area) => (
        <section key={area} className="shortcut-area" aria-labelledby={`shortcuts-${area}`}>
          <h3 id={`shortcuts-${area}`}>{area}</h3>
          <dl className="shortcut-list">
            {all
              .filter((s) => s.area === area)
              .map((s) => (
                <div key={s.action} className="shortcut-row" data-testid="shortcut-row">
                  <dt>{s.action}</dt>
                  <dd>
                    <Keys shortcut={s} />
                  </dd>
                </div>
              ))}
          </dl>
        </section>
      ))}
      <div className="row" style={{ justifyContent: 'flex-end', marginTop: 16 }}>
        <button className="btn" onClick={() => setOpen(false)} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  )
}
