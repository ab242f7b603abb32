import { useEffect, useRef, type ReactNode } from 'react'

/** A modal dialog on the shell's backdrop; Esc or a click outside closes it, focus starts inside. */
export function PolicyDialog({ title, onClose, children, wide, testId }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  close.current = onClose
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation()
        close.current()
      }
    }
    window.addEventListener('keydown', onKey, true)
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus], input:not([hidden]), textarea, select, button')
    first?.focus()
    return () => window.removeEventListener('keydown', onKey, true)
  }, [])
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close.current()}>
      <div ref={ref} className={`dialog${wide ? ' pol-dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  )
}
