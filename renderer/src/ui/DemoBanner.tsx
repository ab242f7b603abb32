import { refocusAfterDemoSwitch, stopDemo, useDemo } from '../lib/demo'
import { DemoBadge } from './DemoBadge'

/**
 * Said on every screen that shows answers or figures while the demo
 * endpoint is on: they are made up, and one click goes back to the real endpoint.
 */
export function DemoBanner({ what = 'Answers and figures on this screen' }: { what?: string }) {
  const active = useDemo((s) => s.status?.active === true)
  const busy = useDemo((s) => s.busy)
  if (!active) return null
  return (
    <div className="callout demo" role="note" data-testid="demo-banner">
      <DemoBadge />
      <span className="grow">
        <strong>Demo endpoint.</strong> {what} come from a local fake server, not Cerebras: they are made up. No API key is used.
      </span>
      <button className="btn" onClick={() => void stopDemo().then(refocusAfterDemoSwitch)} aria-busy={busy} data-testid="demo-banner-stop">
        Turn off demo
      </button>
    </div>
  )
}
