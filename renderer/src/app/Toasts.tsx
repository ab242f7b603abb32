import { useAppStore } from '../lib/store'
import { Icon } from '../ui/Icon'

export function Toasts() {
  const notices = useAppStore((s) => s.notices)
  const dismiss = useAppStore((s) => s.dismiss)
  if (!notices.length) return null
  return (
    <div className="toast-stack" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`callout toast ${n.level === 'error' ? 'danger' : n.level === 'warning' ? 'warn' : 'info'}`} role="status">
          <Icon name={n.level === 'info' ? 'info' : 'warning'} />
          <span style={{ flex: 1 }}>{n.message}</span>
          <button className="btn ghost icon" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  )
}
