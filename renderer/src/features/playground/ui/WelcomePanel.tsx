import { startDemo, useDemo } from '@renderer/lib/demo'
import { useAppStore } from '@renderer/lib/store'
import { DemoBadge } from '@renderer/ui/DemoBadge'
import { Icon } from '@renderer/ui/Icon'
import { KeyEntry } from '@renderer/ui/KeyEntry'

/**
 * What a newcomer without a key sees in the playground: two ways forward.
 * Paste a key (tested in main against the models list, then saved), or try
 * the app on the built-in demo endpoint, whose answers and figures are made
 * up and labelled so wherever they appear.
 */
export function WelcomePanel() {
  const baseUrl = useAppStore((s) => s.settings?.effectiveBaseUrl ?? null)
  const keyStatus = useAppStore((s) => s.keyStatus)
  const setKeyStatus = useAppStore((s) => s.setKeyStatus)
  const go = useAppStore((s) => s.go)
  const demoBusy = useDemo((s) => s.busy)
  const demoError = useDemo((s) => s.error)
  return (
    <div className="pg-welcome" data-testid="welcome-panel">
      <section className="pg-welcome-intro" aria-labelledby="welcome-title">
        <h2 id="welcome-title">Welcome to Wafer Console</h2>
        <p>
          Send prompts to Cerebras and see what each answer really cost: time to first token, the server’s own decode speed and queue time, tokens, price and
          rate-limit headroom. Two ways to start:
        </p>
      </section>
      <div className="pg-welcome-ways">
        <section className="card pg-welcome-way" aria-labelledby="welcome-key-title">
          <h3 id="welcome-key-title">
            <Icon name="key" /> Use your API key
          </h3>
          <p className="card-sub">
            Paste a key from <span className="mono">cloud.cerebras.ai</span> → API Keys (it starts with <code>csk-</code>). <strong>Test key</strong> asks{' '}
            <span className="mono">{baseUrl ?? '…'}</span> which models it can call; <strong>Save key</strong> keeps it in the main process, never in this
            window.
          </p>
          <KeyEntry status={keyStatus} baseUrl={baseUrl} onStatus={setKeyStatus} autoFocus saveLabel="Save key and start" />
          <p className="pg-welcome-foot">
            Another endpoint or an environment variable?{' '}
            <button className="link-btn" onClick={() => go('settings')}>
              Open Settings
            </button>
          </p>
        </section>
        <section className="card pg-welcome-way" aria-labelledby="welcome-demo-title">
          <h3 id="welcome-demo-title">
            <Icon name="play" /> Try it without a key
          </h3>
          <p className="card-sub">
            Start the built-in demo endpoint: a local fake Cerebras server with the real model names, streaming at realistic speeds. Its answers and figures are
            made up, and marked <DemoBadge testId="welcome-demo-badge" /> everywhere they appear. No key is needed, and one click turns it off again.
          </p>
          <button className="btn primary" onClick={() => void startDemo()} aria-busy={demoBusy} data-testid="welcome-start-demo">
            <Icon name="play" size={14} /> {demoBusy ? 'Starting the demo…' : 'Try the demo'}
          </button>
          {demoError ? (
            <div className="callout danger" role="alert" data-testid="welcome-demo-error">
              <Icon name="warning" />
              <span>{demoError}</span>
            </div>
          ) : null}
        </section>
      </div>
    </div>
  )
}
