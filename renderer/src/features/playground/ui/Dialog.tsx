import { useEffect, type ReactNode } from 'react'

/** A modal dialog on the shell's backdrop; Esc or a click outside closes it. */
export function Dialog({ title, onClose, children, wide, testId }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation()
        onClose()
      }
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [onClose])
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className={`dialog${wide ? ' pg-dialog-wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        onClick={(e) => e.stopPropagation()}
        data-testid={testId}
      >
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  )
}
