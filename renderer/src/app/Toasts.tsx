import { createPortal } from 'react-dom'

import { useAnnouncement } from '../lib/announce'
import { useAppStore } from '../lib/store'
import { Icon } from '../ui/Icon'
import { useOverlayHost } from '../ui/overlay-host'

/**
 * Toasts and the polite announcer. Both regions exist from start-up (a live
 * region added with its first message is often not read out); while a modal
 * dialog is open they move into it, where they can be seen and heard.
 */
export function Toasts() {
  const notices = useAppStore((s) => s.notices)
  const dismiss = useAppStore((s) => s.dismiss)
  const said = useAnnouncement()
  const host = useOverlayHost()
  const regions = (
    <>
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {said}
      </div>
      <div className="toast-stack" aria-live="polite" data-testid="toasts">
        {notices.map((n) => (
          <div key={n.id} className={`callout toast ${n.level === 'error' ? 'danger' : n.level === 'warning' ? 'warn' : 'info'}`}>
            <Icon name={n.level === 'info' ? 'info' : 'warning'} />
            <span style={{ flex: 1 }}>{n.message}</span>
            <button className="btn ghost icon" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ))}
      </div>
    </>
  )
  return host ? createPortal(regions, host) : regions
}
