import type { GatewayDefaults, GatewayStatus } from '@shared/ipc/domains/gateway'
import { useEffect, useState } from 'react'
import { useStore } from 'zustand'

import { api } from '../../api'
import { fmtTimeOfDay, plural } from '../../lib/format'
import { describeError } from '../../lib/notify'
import { Icon } from '../../ui/Icon'
import { gatewayStore } from './gateway-store'

interface Draft {
  listen: string
  policyConfigs: string[]
  failMode: 'block' | 'allow'
  maxConcurrency: number
  authToken: string
}

const DRAFT_KEY = 'gateway.draft'
const DEFAULT_DRAFT: Draft = { listen: '127.0.0.1:41002', policyConfigs: [''], failMode: 'block', maxConcurrency: 16, authToken: '' }

const isLoopbackListen = (listen: string) => /^(127\.|localhost:|\[::1\]:)/.test(listen.trim())

/**
 * Start and stop the in-app gateway. It starts from the app's own settings:
 * the policy applied in the app fills the policy file, and a policy without
 * provider targets calls the endpoint the app calls, with the app's key
 * (which stays in main). The other settings persist between runs of the app.
 */
export function GatewayControl() {
  const status = useStore(gatewayStore, (s) => s.status)
  const [draft, setDraft] = useState<Draft>(DEFAULT_DRAFT)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [recent, setRecent] = useState<string[]>([])
  const [defaults, setDefaults] = useState<GatewayDefaults | null>(null)
  /** The files the last gateway ran, when the applied policy took their place. */
  const [earlier, setEarlier] = useState<string[] | null>(null)

  useEffect(() => {
    const saved = api.stateGet({ key: DRAFT_KEY })
    const loadDefaults = () => api.gatewayDefaults({}).catch(() => null)
    void Promise.all([saved, loadDefaults()]).then(([r, d]) => {
      setDefaults(d)
      const next: Draft = { ...DEFAULT_DRAFT, ...((r.value as Partial<Draft> | null) ?? {}), authToken: '' }
      const applied = d?.appliedPolicy
      if (applied && !next.policyConfigs.includes(applied)) {
        const before = next.policyConfigs.filter((f) => f.trim())
        if (before.length) setEarlier(before)
        next.policyConfigs = [applied]
      }
      setDraft(next)
    })
    // Files opened in the Policies editor are offered here.
    void api
      .stateGet({ key: 'policies.recent' })
      .then((r) => Array.isArray(r.value) && setRecent((r.value as unknown[]).filter((x): x is string => typeof x === 'string')))
    // The endpoint, the key or the applied policy may change while the screen is open.
    const refresh = () => void loadDefaults().then(setDefaults)
    const offs = [
      api.on('demo:changed', refresh),
      api.on('settings:changed', refresh),
      api.on('key:changed', refresh),
      api.on('policies:active-changed', refresh),
    ]
    return () => offs.forEach((off) => off())
  }, [])

  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))
  const files = draft.policyConfigs.map((f) => f.trim()).filter(Boolean)
  const needsToken = !isLoopbackListen(draft.listen)

  const start = async () => {
    setBusy(true)
    setError(null)
    try {
      const { authToken, ...rest } = draft
      void api.stateSet({ key: DRAFT_KEY, value: { ...rest, policyConfigs: files } })
      const s = await api.gatewayStart({ ...rest, policyConfigs: files, ...(authToken ? { authToken } : {}) })
      gatewayStore.setState({ status: s })
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }
  const stop = async () => {
    setBusy(true)
    try {
      gatewayStore.setState({ status: await api.gatewayStop({}) })
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  if (status?.running) {
    return (
      <div className="card" data-testid="gateway-running">
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <div>
            <h2 className="row">
              <span className="dot ok" /> Running at <code data-testid="gateway-url">{status.url}</code>
            </h2>
            <p className="card-sub">Point any OpenAI-compatible client at this base URL. {plural(status.inFlight, 'request')} in flight.</p>
          </div>
          <button className="btn danger" onClick={() => void stop()} disabled={busy} data-testid="gateway-stop">
            Stop gateway
          </button>
        </div>
        <ul className="gw-summary">
          {status.summary.map((l) => (
            <li key={l} className={l.startsWith('warning') ? 'warn' : undefined}>
              {l}
            </li>
          ))}
          <li>policy files: {status.policyConfigs.join(', ')}</li>
        </ul>
        <ReloadNote status={status} />
        <pre className="gw-snippet">{`curl ${status.url}/chat/completions \\
  -H 'content-type: application/json' \\
  -d '{"model": "…", "messages": [{"role": "user", "content": "Hello"}]}'`}</pre>
      </div>
    )
  }

  return (
    <div className="card" data-testid="gateway-setup">
      <h2>Start a gateway</h2>
      <p className="card-sub">
        An OpenAI-compatible server on this machine that runs your policy chain on every request and response, and routes to your provider targets with
        fallback.
      </p>
      <div className="gw-form">
        <div className="field">
          <label htmlFor="gw-listen">Listen on</label>
          <input id="gw-listen" className="input mono" value={draft.listen} onChange={(e) => update({ listen: e.target.value })} data-testid="gateway-listen" />
          <span className="hint">Loopback by default. Any other address needs an auth token.</span>
        </div>
        <div className="field">
          <span className="label">Fail mode</span>
          <div className="segmented" role="group" aria-label="Fail mode">
            {(['block', 'allow'] as const).map((m) => (
              <button key={m} aria-pressed={draft.failMode === m} onClick={() => update({ failMode: m })}>
                {m === 'block' ? 'Block' : 'Allow'}
              </button>
            ))}
          </div>
          <span className="hint">What happens when a policy itself fails.</span>
        </div>
        <div className="field">
          <label htmlFor="gw-conc">Max concurrency</label>
          <input
            id="gw-conc"
            className="input"
            type="number"
            min={1}
            max={1024}
            value={draft.maxConcurrency}
            onChange={(e) => update({ maxConcurrency: Math.max(1, Number(e.target.value) || 1) })}
          />
          <span className="hint">Requests beyond this get 429 with retry-after.</span>
        </div>
      </div>
      <Upstream defaults={defaults} />
      <div className="field">
        <span className="label">Policy files (later files override earlier ones)</span>
        {draft.policyConfigs.map((f, i) => (
          <div className="row" key={i}>
            <input
              className="input mono"
              value={f}
              list="gw-recent"
              placeholder="/path/to/policy-config.yaml"
              onChange={(e) => update({ policyConfigs: draft.policyConfigs.map((x, j) => (j === i ? e.target.value : x)) })}
              aria-label={`Policy file ${i + 1}`}
              data-testid={`gateway-policy-${i}`}
            />
            {draft.policyConfigs.length > 1 ? (
              <button
                className="btn ghost icon"
                aria-label="Remove file"
                onClick={() => update({ policyConfigs: draft.policyConfigs.filter((_, j) => j !== i) })}
              >
                <Icon name="close" size={14} />
              </button>
            ) : null}
          </div>
        ))}
        {defaults?.appliedPolicy && draft.policyConfigs[0] === defaults.appliedPolicy ? (
          <span className="hint" data-testid="gateway-policy-applied">
            The policy applied in the app.
            {earlier ? (
              <>
                {' '}
                <button
                  className="btn ghost gw-inline"
                  onClick={() => {
                    update({ policyConfigs: earlier })
                    setEarlier(null)
                  }}
                >
                  Use the last gateway's {earlier.length === 1 ? 'file' : 'files'} instead
                </button>
              </>
            ) : null}
          </span>
        ) : null}
        <datalist id="gw-recent">
          {recent.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
        {draft.policyConfigs.length < 8 ? (
          <button className="btn ghost" style={{ justifySelf: 'start' }} onClick={() => update({ policyConfigs: [...draft.policyConfigs, ''] })}>
            + Layer another file
          </button>
        ) : null}
      </div>
      {needsToken ? (
        <div className="field">
          <label htmlFor="gw-token">Auth token (clients send Authorization: Bearer …)</label>
          <input
            id="gw-token"
            className="input mono"
            type="password"
            value={draft.authToken}
            onChange={(e) => update({ authToken: e.target.value })}
            autoComplete="off"
          />
        </div>
      ) : null}
      {error || status?.lastError ? (
        <div className="callout danger" role="alert" data-testid="gateway-error">
          <Icon name="warning" />
          <span style={{ whiteSpace: 'pre-wrap' }}>{error ?? status?.lastError}</span>
        </div>
      ) : null}
      <button
        className="btn primary"
        onClick={() => void start()}
        disabled={busy || files.length === 0 || (needsToken && draft.authToken.length < 8)}
        data-testid="gateway-start"
      >
        Start gateway
      </button>
    </div>
  )
}

const ENDPOINT: Record<GatewayDefaults['upstream']['endpoint'], string> = {
  demo: 'the demo endpoint',
  settings: 'the endpoint in Settings',
  env: 'CEREBRAS_BASE_URL',
}

function keyText(u: GatewayDefaults['upstream']): string {
  const hint = u.keyHint ? ` (…${u.keyHint})` : ''
  switch (u.key) {
    case 'stored':
      return `the key stored in the app${hint}`
    case 'session':
      return `the key set for this session${hint}`
    case 'env':
      return `the key from CEREBRAS_API_KEY${hint}`
    case 'demo':
      return "the demo endpoint's own key"
    case 'none':
      return 'no key'
  }
}

/** Where a policy without provider targets sends requests: the app's own endpoint and key. */
function Upstream({ defaults }: { defaults: GatewayDefaults | null }) {
  if (!defaults) return null
  const u = defaults.upstream
  return (
    <div className="field" data-testid="gateway-upstream">
      <span className="label">Upstream</span>
      <p className="gw-upstream">
        <code>{u.baseUrl}</code> ({ENDPOINT[u.endpoint]}) with {keyText(u)}
      </p>
      {u.key === 'none' ? (
        <span className="hint warn">Set a key in Settings or switch on the demo endpoint, or name provider targets in the policy file.</span>
      ) : (
        <span className="hint">
          What the app itself calls, used when the policy file names no provider targets. The key stays in the app; clients of the gateway never see it.
        </span>
      )}
    </div>
  )
}

/** How the last save of a policy file went: reloaded, or refused with the previous policy still running. */
function ReloadNote({ status }: { status: GatewayStatus }) {
  const r = status.reload
  if (r && !r.ok) {
    return (
      <div className="callout danger" role="alert" data-testid="gateway-reload-error">
        <Icon name="warning" />
        <span style={{ whiteSpace: 'pre-wrap' }}>
          At {fmtTimeOfDay(r.at, { seconds: true })} the saved policy did not load, so the policy that was running keeps running:{'\n'}
          {r.error}
        </span>
      </div>
    )
  }
  return (
    <p className="card-sub" role="status" data-testid="gateway-reload">
      {r
        ? `Policy reloaded at ${fmtTimeOfDay(r.at, { seconds: true })}: new requests use it; requests already running finish on the policy they started with.`
        : 'Saving a policy file reloads it: new requests get the new policy, requests in flight finish on theirs.'}
    </p>
  )
}
