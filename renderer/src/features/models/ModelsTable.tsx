import { CAPABILITY_FLAGS, type CapabilityFlag, describeFact, type Fact, type MergedField, type MergedModel } from '@shared/catalog/merge'
import { Fragment, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'

import { useCatalogStore } from '../../lib/catalog-store'
import { DASH, fmtCompact, fmtDateTime, fmtInt, fmtMs, fmtPrice, fmtRate, plural } from '../../lib/format'
import { endpointName, measuredElsewhere, type MeasuredModel } from '../../lib/measured'
import { addToCompare, openInPlayground } from '../../lib/model-handoff'
import { DemoBadge } from '../../ui/DemoBadge'
import { Icon } from '../../ui/Icon'
import { PricingOverrideEditor } from './PricingOverrideEditor'

type SortKey = 'id' | 'status' | 'context' | 'output' | 'speed' | 'priceIn' | 'priceOut'
type StatusFilter = 'all' | 'callable' | 'production' | 'preview' | 'deprecated'

const CAP_LABEL: Record<CapabilityFlag, string> = { tools: 'tools', json_schema: 'json_schema', reasoning: 'reasoning' }

const FIELD_LABEL: Record<MergedField, string> = {
  name: 'Name',
  status: 'Status',
  availability: 'Still served',
  'contextLength.paid': 'Context (paid tier)',
  'maxOutput.paid': 'Max output (paid tier)',
  'pricing.input': 'Input price per 1M',
  'pricing.output': 'Output price per 1M',
  capabilities: 'Capabilities',
}

function statusRank(m: MergedModel): number {
  if (m.deprecation?.state === 'retired') return 4
  if (m.status?.value === 'deprecated' || m.deprecation) return 3
  if (m.status?.value === 'preview') return 2
  return 1
}

function isCallable(m: MergedModel): boolean {
  if (m.access === 'not-listed') return false
  return m.deprecation?.state !== 'retired' && !m.dedicatedOnly
}

function showValue(field: MergedField, v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none'
  if (typeof v === 'boolean') return v ? 'yes' : 'no (retired)'
  if (typeof v === 'number') return field.startsWith('pricing') ? fmtPrice(v) : fmtInt(v)
  return String(v)
}

export function ModelsTable() {
  const { catalog, measured, measuredAll, measuredKey } = useCatalogStore(
    useShallow((s) => ({ catalog: s.catalog, measured: s.measured, measuredAll: s.measuredAll, measuredKey: s.measuredKey })),
  )
  const [query, setQuery] = useState('')
  const [status, setStatus] = useState<StatusFilter>('all')
  const [caps, setCaps] = useState<CapabilityFlag[]>([])
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'status', dir: 1 })
  const [open, setOpen] = useState<string | null>(null)

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase()
    const filtered = catalog.models.filter((m) => {
      if (q && !`${m.id} ${m.name.value} ${m.canonicalId}`.toLowerCase().includes(q)) return false
      if (status === 'callable' && !isCallable(m)) return false
      if (status === 'production' && (m.status?.value !== 'production' || m.deprecation?.state === 'retired')) return false
      if (status === 'preview' && m.status?.value !== 'preview') return false
      if (status === 'deprecated' && !m.deprecation && m.status?.value !== 'deprecated') return false
      if (caps.some((c) => !m.capabilities?.value.includes(c))) return false
      return true
    })
    const num = (v: number | null | undefined) => (v === null || v === undefined ? null : v)
    const value = (m: MergedModel): number | string | null => {
      switch (sort.key) {
        case 'id':
          return m.id
        case 'status':
          return statusRank(m)
        case 'context':
          return num(m.contextLength.paid?.value ?? m.contextLength.free?.value)
        case 'output':
          return num(m.maxOutput.paid?.value ?? m.maxOutput.free?.value)
        case 'speed':
          return num(measured[m.id]?.decodeTokensPerSecP50 ?? m.speed.published?.value)
        case 'priceIn':
          return num(m.pricing.input?.value)
        case 'priceOut':
          return num(m.pricing.output?.value)
      }
    }
    return [...filtered].sort((a, b) => {
      const va = value(a)
      const vb = value(b)
      // Unknown figures sort last whichever way.
      if (va === null && vb === null) return a.id.localeCompare(b.id)
      if (va === null) return 1
      if (vb === null) return -1
      const c = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number)
      return c * sort.dir || a.id.localeCompare(b.id)
    })
  }, [catalog, measured, query, status, caps, sort])

  const header = (key: SortKey, label: string, title?: string) => (
    <th
      scope="col"
      aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}
      title={title}
      onClick={() => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : key === 'speed' ? -1 : 1 }))}
      className="sortable"
      data-testid={`sort-${key}`}
    >
      {label}
      <span className="sort-mark">{sort.key === key ? (sort.dir === 1 ? '▲' : '▼') : ''}</span>
    </th>
  )

  return (
    <div className="card models-card">
      <div className="table-tools">
        <input
          className="input"
          type="search"
          placeholder="Search models"
          aria-label="Search models"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="models-search"
        />
        <div className="segmented" role="group" aria-label="Status filter">
          {(['all', 'callable', 'production', 'preview', 'deprecated'] as const).map((s) => (
            <button key={s} aria-pressed={status === s} onClick={() => setStatus(s)} data-testid={`filter-${s}`}>
              {s === 'all' ? 'All' : s === 'callable' ? 'Callable' : s[0].toUpperCase() + s.slice(1)}
            </button>
          ))}
        </div>
        <div className="cap-filter" role="group" aria-label="Capabilities">
          {CAPABILITY_FLAGS.map((c) => (
            <label key={c} className="chip-toggle">
              <input
                type="checkbox"
                checked={caps.includes(c)}
                onChange={(e) => setCaps((cur) => (e.target.checked ? [...cur, c] : cur.filter((x) => x !== c)))}
              />
              {CAP_LABEL[c]}
            </label>
          ))}
        </div>
        <span className="muted count">
          {rows.length} of {catalog.models.length}
        </span>
      </div>
      <div className="table-scroll">
        <table className="data-table models-table" data-testid="models-table">
          <thead>
            <tr>
              {header('id', 'Model')}
              {header('status', 'Status')}
              {header('context', 'Context', 'Context window in tokens: free tier · paid tier')}
              {header('output', 'Max output', 'Most output tokens per request: free tier · paid tier')}
              {header('speed', 'Speed', 'Output tokens per second: published, and measured by you from your saved runs')}
              {header('priceIn', 'In / 1M')}
              {header('priceOut', 'Out / 1M')}
              <th scope="col">Capabilities</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <Fragment key={m.id}>
                <ModelRow model={m} measured={measured[m.id]} open={open === m.id} onToggle={() => setOpen((o) => (o === m.id ? null : m.id))} />
                {open === m.id ? (
                  <tr className="details-row">
                    <td colSpan={9}>
                      <ModelDetails model={m} measured={measured[m.id]} elsewhere={measuredElsewhere(measuredAll, m.id, measuredKey)} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
            {rows.length === 0 ? (
              <tr>
                <td colSpan={9} className="empty">
                  No model matches these filters.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function StatusCell({ model }: { model: MergedModel }) {
  const d = model.deprecation
  const s = model.status?.value ?? 'unknown'
  if (d) {
    const cls = d.state === 'retired' || d.state === 'past-due' || d.soon ? 'danger' : 'warn'
    const label =
      d.state === 'retired' ? 'retired' : d.state === 'scheduled' ? (model.status?.value === 'deprecated' ? 'deprecated' : 'retiring') : 'deprecated'
    return (
      <span className="status-cell">
        <span className={`badge ${cls}`}>{label}</span>
        <span className="muted small">{d.retiresOn ? (d.state === 'scheduled' ? `until ${d.retiresOn}` : d.retiresOn) : 'no date'}</span>
      </span>
    )
  }
  return <span className={`badge ${s === 'production' ? 'ok' : s === 'preview' ? 'info' : ''}`}>{s}</span>
}

function tierPair(free: Fact<number> | null, paid: Fact<number> | null) {
  if (!free && !paid) return <span className="muted">{DASH}</span>
  if (free && paid && free.value === paid.value) return <span>{fmtCompact(paid.value)}</span>
  if (!free) return <span title={`paid tier (${paid!.from === 'public' ? 'public catalog' : 'snapshot'})`}>{fmtCompact(paid!.value)}</span>
  if (!paid)
    return (
      <span title="free tier">
        {fmtCompact(free.value)} <span className="muted small">free</span>
      </span>
    )
  return (
    <span className="tier-pair">
      <span title="free tier">{fmtCompact(free?.value)}</span>
      <span className="muted"> · </span>
      <span title={`paid tier${paid ? ` (${paid.from === 'public' ? 'public catalog' : 'snapshot'})` : ''}`}>{fmtCompact(paid?.value)}</span>
    </span>
  )
}

function ModelRow({ model: m, measured, open, onToggle }: { model: MergedModel; measured?: MeasuredModel; open: boolean; onToggle: () => void }) {
  const callable = isCallable(m)
  const differs = m.disagreements.length > 0
  return (
    <tr className={`model-row${open ? ' open' : ''}${m.deprecation?.state === 'retired' ? ' retired' : ''}`} data-model={m.id} onClick={onToggle}>
      <td>
        <div className="model-id mono">{m.id}</div>
        <div className="muted small">
          {m.name.value !== m.id ? m.name.value : ''}
          {m.access === 'listed' ? (
            <span className="access ok" title="GET /v1/models lists it for your key">
              {' '}
              · your key
            </span>
          ) : null}
          {m.access === 'not-listed' ? (
            <span className="access" title="Your key's model list does not include it">
              {' '}
              · not on your key
            </span>
          ) : null}
          {m.dedicatedOnly ? <span className="access"> · dedicated only</span> : null}
        </div>
      </td>
      <td>
        <StatusCell model={m} />
        {differs ? (
          <div className="differs" title="Sources disagree: the newest wins. Open the row for details." data-testid="sources-differ">
            <Icon name="info" size={12} /> sources differ
          </div>
        ) : null}
      </td>
      <td>{tierPair(m.contextLength.free, m.contextLength.paid)}</td>
      <td>{tierPair(m.maxOutput.free, m.maxOutput.paid)}</td>
      <td>
        {m.speed.published ? (
          <div>
            {fmtRate(m.speed.published.value)} <span className="muted small">published</span>
          </div>
        ) : null}
        {measured?.decodeTokensPerSecP50 != null ? (
          <div className="measured" data-testid="measured-speed" data-demo={measured.demo ? 'true' : undefined}>
            {fmtRate(measured.decodeTokensPerSecP50)}
            {measured.demo ? (
              <>
                {' '}
                <DemoBadge testId="measured-demo-badge" />
              </>
            ) : null}{' '}
            <span className="muted small" data-testid="measured-endpoint" data-endpoint={measured.endpoint.kind}>
              {measuredBy(measured)} · {plural(measured.runs, 'run')}
            </span>
          </div>
        ) : null}
        {!m.speed.published && measured?.decodeTokensPerSecP50 == null ? <span className="muted">{DASH}</span> : null}
      </td>
      <td className="num">
        {fmtPrice(m.pricing.input?.value)}
        {m.pricing.input?.from === 'user' ? <span className="badge warn yours">yours</span> : null}
      </td>
      <td className="num">
        {fmtPrice(m.pricing.output?.value)}
        {m.pricing.output?.from === 'user' ? <span className="badge warn yours">yours</span> : null}
      </td>
      <td>
        <span className="caps">
          {m.capabilities?.value.length ? (
            m.capabilities.value.map((c) => (
              <span key={c} className="cap">
                {CAP_LABEL[c]}
              </span>
            ))
          ) : (
            <span className="muted">{DASH}</span>
          )}
        </span>
      </td>
      <td className="actions" onClick={(e) => e.stopPropagation()}>
        <button
          className="btn ghost small-btn"
          disabled={!callable}
          title={callable ? 'Open in the playground' : 'Not callable'}
          onClick={() => openInPlayground(m.id)}
          data-testid={`playground-${m.id}`}
        >
          Playground
        </button>
        <button
          className="btn ghost small-btn"
          disabled={!callable}
          title={callable ? 'Add a lane with this model to Compare' : 'Not callable'}
          onClick={() => addToCompare(m.id)}
          data-testid={`compare-${m.id}`}
        >
          <Icon name="plus" size={12} /> Compare
        </button>
      </td>
    </tr>
  )
}

function ModelDetails({ model: m, measured, elsewhere }: { model: MergedModel; measured?: MeasuredModel; elsewhere: MeasuredModel[] }) {
  const sources = useCatalogStore((s) => s.catalog.sources)
  return (
    <div className="model-details" data-testid="model-details">
      {m.deprecation ? (
        <div className={`callout ${m.deprecation.state === 'scheduled' && !m.deprecation.soon ? 'warn' : 'danger'}`}>
          <Icon name="warning" /> {m.deprecation.message}
        </div>
      ) : null}
      {m.disagreements.length ? (
        <div className="disagreements" data-testid="disagreements">
          <div className="label">Where the sources disagree (the newest wins)</div>
          <ul>
            {m.disagreements.map((d) => (
              <li key={d.field}>
                <b>{FIELD_LABEL[d.field]}</b>: {showValue(d.field, d.chosen.value)} <span className="muted">from {describeFact(d.chosen, sources)}</span>
                {d.others.map((o, i) => (
                  <span key={i} className="older">
                    {' '}
                    — {describeFact(o, sources)} said {showValue(d.field, o.value)}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="kv">
        <dt>Listed by</dt>
        <dd>{m.listedBy.map((s) => sources.find((x) => x.id === s)?.label ?? s).join(', ')}</dd>
        <dt>Status</dt>
        <dd>{m.status ? `${m.status.value} (${describeFact(m.status, sources)})` : DASH}</dd>
        <dt>Context window</dt>
        <dd>
          free {fmtInt(m.contextLength.free?.value)} · paid {fmtInt(m.contextLength.paid?.value)}
        </dd>
        <dt>Max output</dt>
        <dd>
          free {fmtInt(m.maxOutput.free?.value)} · paid {fmtInt(m.maxOutput.paid?.value)}
        </dd>
        <dt>Speed</dt>
        <dd>
          {fmtRate(m.speed.published?.value)} published
          {m.speed.independent ? ` · ${fmtRate(m.speed.independent.tokensPerSec)} measured by ${m.speed.independent.by}` : ''}
          {[measured, ...elsewhere]
            .filter((x): x is MeasuredModel => !!x)
            .map(
              (x) =>
                ` · ${fmtRate(x.decodeTokensPerSecP50)} decode and ${fmtMs(x.ttftMsP50)} TTFT ${measuredBy(x)} (median of ${plural(x.runs, 'run')}, latest ${fmtDateTime(x.lastAt)})${x === measured ? '' : ', not the endpoint in use'}`,
            )
            .join('')}
        </dd>
        <dt>Price per 1M</dt>
        <dd>
          in {fmtPrice(m.pricing.input?.value)} · out {fmtPrice(m.pricing.output?.value)}
          {m.pricing.userOverride
            ? ` · yours${m.pricing.overrideNote ? ` (${m.pricing.overrideNote})` : ''}`
            : m.pricing.input
              ? ` · ${describeFact(m.pricing.input, sources)}`
              : ' · no public price'}
        </dd>
        {m.note ? (
          <>
            <dt>Note</dt>
            <dd>{m.note}</dd>
          </>
        ) : null}
      </dl>
      <PricingOverrideEditor model={m} />
    </div>
  )
}

/** Whose figures these are: "measured by you on Cerebras", "made up by the demo endpoint". */
function measuredBy(m: MeasuredModel): string {
  return m.demo ? 'made up by the demo endpoint' : `measured by you on ${endpointName(m.endpoint)}`
}
