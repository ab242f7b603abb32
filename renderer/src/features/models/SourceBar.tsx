import { useShallow } from 'zustand/react/shallow'

import { refreshCatalog, useCatalogStore } from '../../lib/catalog-store'
import { useDemo } from '../../lib/demo'
import { fmtAgo, fmtDateTime } from '../../lib/format'
import { DemoBadge } from '../../ui/DemoBadge'
import { Icon } from '../../ui/Icon'

/** The three sources of the table, each with its date, and what went wrong fetching one. */
export function SourceBar() {
  const { catalog, publicError, accountError, loading, dropped } = useCatalogStore(
    useShallow((s) => ({ catalog: s.catalog, publicError: s.publicError, accountError: s.accountError, loading: s.loading, dropped: s.overridesDropped })),
  )
  const byId = Object.fromEntries(catalog.sources.map((s) => [s.id, s]))
  const snap = byId.snapshot
  const pub = byId.public
  const acct = byId.account
  const demo = useDemo((s) => s.status?.active === true)
  return (
    <div className="source-bar" data-testid="model-sources">
      <div className="sources">
        <span className="source" title={snap?.where}>
          <span className="dot ok" /> Bundled snapshot <b>{snap ? new Date(snap.asOf!).toISOString().slice(0, 10) : ''}</b>
          <span className="muted">· {snap?.models} models</span>
        </span>
        <span className="source" title={pub?.where ?? publicError ?? ''} data-testid="source-public">
          <span className={`dot ${pub ? 'ok' : publicError ? 'danger' : ''}`} /> {demo ? <DemoBadge testId="source-public-demo" /> : null} Public catalog{' '}
          {pub ? (
            <>
              <b title={fmtDateTime(pub.asOf)}>{fmtAgo(pub.asOf)}</b>
              <span className="muted">
                · {pub.models} models{pub.fromCache ? ' · cached' : ''}
              </span>
            </>
          ) : (
            <span className="muted">{publicError ? `· not loaded: ${publicError}` : '· loading…'}</span>
          )}
        </span>
        <span className="source" title={acct?.where ?? accountError ?? ''} data-testid="source-account">
          <span className={`dot ${acct ? 'ok' : accountError ? 'warn' : ''}`} /> {demo ? <DemoBadge testId="source-account-demo" /> : null}{' '}
          {demo ? 'The demo endpoint’s models' : 'Your key’s models'}{' '}
          {acct ? (
            <>
              <b title={fmtDateTime(acct.asOf)}>{fmtAgo(acct.asOf)}</b>
              <span className="muted">
                · {acct.models} callable{acct.fromCache ? ' · cached' : ''}
              </span>
            </>
          ) : (
            <span className="muted">{accountError ? `· ${accountError}` : '· loading…'}</span>
          )}
        </span>
        {byId.user ? (
          <span className="source">
            <span className="dot warn" /> Your prices <span className="muted">· {byId.user.models}</span>
          </span>
        ) : null}
        {dropped.length ? (
          <div className="callout warn source-note">
            <Icon name="warning" /> Stored prices for {dropped.join(', ')} were unreadable and are not used; save them again.
          </div>
        ) : null}
      </div>
      <button className="btn ghost" onClick={() => void refreshCatalog(true)} disabled={loading} data-testid="refresh-models">
        <Icon name="refresh" size={14} /> {loading ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  )
}
