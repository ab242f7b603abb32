import { useRef } from 'react'

import { startDemo, stopDemo, useDemo } from '../../lib/demo'
import { DemoBadge } from '../../ui/DemoBadge'

/** Switch the built-in demo endpoint on or off; the saved endpoint is never changed by it. */
export function DemoCard() {
  const status = useDemo((s) => s.status)
  const busy = useDemo((s) => s.busy)
  const on = status?.active === true
  const card = useRef<HTMLDivElement>(null)
  // The button pressed is replaced by its opposite: the focus moves to it.
  const toggle = (start: boolean) =>
    void (start ? startDemo() : stopDemo()).then(() => requestAnimationFrame(() => card.current?.querySelector<HTMLElement>('button')?.focus()))
  return (
    <div className="card" data-testid="demo-card" ref={card}>
      <h2>Demo endpoint {on ? <DemoBadge label="On" testId="demo-card-on" /> : null}</h2>
      <p className="card-sub">
        A local fake Cerebras server the app starts on a random loopback port, to try every screen without a key. Its answers and figures are made up and
        labelled Demo wherever they appear; runs made on it are saved as demo runs. Your key is never sent to it, and turning it off returns to the endpoint set
        below, unchanged.
      </p>
      {on ? (
        <div className="row">
          <span>
            Requests go to <code>{status?.baseUrl}</code>.
          </span>
          <button className="btn" onClick={() => toggle(false)} aria-busy={busy} data-testid="demo-card-stop">
            Turn off demo
          </button>
        </div>
      ) : (
        <button className="btn" onClick={() => toggle(true)} disabled={!status} aria-busy={busy} data-testid="demo-card-start">
          Turn on demo
        </button>
      )}
    </div>
  )
}
