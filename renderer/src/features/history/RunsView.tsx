import { ENDPOINT_KINDS, ENDPOINT_LABELS } from '@shared/endpoint'
import type { RedactedSearch, RunQuery } from '@shared/ipc/domains/history'
import { redactedSearchReason } from '@shared/policy/search-notice'
import { useCallback, useEffect, useRef, useState } from 'react'

import { api } from '../../api'
import { describeError } from '../../lib/notify'
import { Icon } from '../../ui/Icon'
import { ImportButton } from './ImportButton'
import { LoadedRuns } from './loaded-runs'
import { RunDetail } from './RunDetail'
import { RunList } from './RunList'

/** Saved runs, newest first: full-text search, filters, keyset paging under a windowed list, and the selected run in full. */

/** The first page: what fills the screen, soon. */
const PAGE = 50
/**
 * Pages asked for while scrolling (the list renders only the rows in view
 * either way). Larger pages are not better: at 1,000 runs each page's message
 * and the render it brings took over 100 ms at 100,000 loaded runs.
 */
const MORE = 200

/** The runs loaded so far (pages are appended to the store in place) and how many of them the list shows. A new search or filter starts a new store. */
interface Loaded {
  runs: LoadedRuns
  count: number
}

type EndpointFilter = NonNullable<RunQuery['endpoint']> | ''

function dayStart(date: string): number | undefined {
  return date ? new Date(`${date}T00:00:00`).getTime() : undefined
}
function dayEnd(date: string): number | undefined {
  return date ? new Date(`${date}T23:59:59.999`).getTime() : undefined
}

export function RunsView() {
  const [text, setText] = useState('')
  const [model, setModel] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [errorsOnly, setErrorsOnly] = useState(false)
  const [includeEarlier, setIncludeEarlier] = useState(false)
  const [endpoint, setEndpoint] = useState<EndpointFilter>('')
  const [models, setModels] = useState<string[]>([])
  const [loaded, setLoaded] = useState<Loaded>(() => ({ runs: new LoadedRuns(), count: 0 }))
  const [cursor, setCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  /** What of the search the active policy redacts before storing runs, so it cannot be found. */
  const [redacted, setRedacted] = useState<RedactedSearch | null>(null)
  const generation = useRef(0)

  const query = useCallback(
    (after?: string): RunQuery => ({
      ...(text.trim() ? { text: text.trim() } : {}),
      ...(text.trim() && includeEarlier ? { includeEarlier: true } : {}),
      ...(model ? { model } : {}),
      ...(dayStart(from) !== undefined ? { from: dayStart(from) } : {}),
      ...(dayEnd(to) !== undefined ? { to: dayEnd(to) } : {}),
      ...(errorsOnly ? { errorsOnly: true } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...(after ? { cursor: after } : {}),
      limit: after ? MORE : PAGE,
    }),
    [text, includeEarlier, model, from, to, errorsOnly, endpoint],
  )

  const reload = useCallback(async () => {
    const mine = ++generation.current
    setLoading(true)
    try {
      const page = await api.historyList(query())
      if (mine !== generation.current) return
      const runs = new LoadedRuns()
      runs.append(page.runs)
      setLoaded({ runs, count: runs.length })
      setCursor(page.nextCursor)
      setRedacted(page.redacted ?? null)
      setError(null)
    } catch (err) {
      if (mine === generation.current) setError(describeError(err))
    } finally {
      if (mine === generation.current) setLoading(false)
    }
  }, [query])

  const more = useCallback(async () => {
    if (!cursor) return
    const mine = generation.current
    setLoading(true)
    try {
      const page = await api.historyList(query(cursor))
      if (mine !== generation.current) return
      // This generation's store (no reload since it was asked for): append in place; the guard keeps a
      // second call of the updater (React may call it twice) from appending the page again.
      setLoaded((l) => {
        if (l.count === l.runs.length) l.runs.append(page.runs)
        return { runs: l.runs, count: l.runs.length }
      })
      setCursor(page.nextCursor)
    } catch (err) {
      if (mine === generation.current) setError(describeError(err))
    } finally {
      if (mine === generation.current) setLoading(false)
    }
  }, [cursor, query])
  const loadMore = useCallback(() => void more(), [more])

  // Typing searches after a short pause; every other filter applies at once.
  useEffect(() => {
    const t = setTimeout(() => void reload(), text ? 200 : 0)
    return () => clearTimeout(t)
  }, [reload, text])

  useEffect(() => {
    const refreshModels = () =>
      void api.historyModels({}).then(
        (r) => setModels(r.models),
        () => undefined,
      )
    refreshModels()
    return api.on('history:changed', (e) => {
      if (e.reason === 'versions') return
      refreshModels()
      void reload()
    })
  }, [reload])

  return (
    <div className="hi-runs">
      <div className="hi-filters" role="search">
        <div className="hi-search">
          <Icon name="search" size={14} />
          <input
            className="input"
            placeholder="Search prompts and outputs"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-label="Search runs"
            data-testid="history-search"
          />
        </div>
        <label className="switch" title="Search the earlier turns each run sent again, not only its own prompt and answer">
          <input type="checkbox" checked={includeEarlier} onChange={(e) => setIncludeEarlier(e.target.checked)} data-testid="history-include-earlier" />
          Earlier turns
        </label>
        <select className="input" value={model} onChange={(e) => setModel(e.target.value)} aria-label="Model" data-testid="history-model">
          <option value="">All models</option>
          {models.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <select
          className="input"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value as EndpointFilter)}
          aria-label="Endpoint"
          data-testid="history-endpoint"
        >
          <option value="">All endpoints</option>
          {ENDPOINT_KINDS.map((k) => (
            <option key={k} value={k}>
              {ENDPOINT_LABELS[k]}
            </option>
          ))}
          <option value="unknown">Not recorded</option>
        </select>
        <input className="input" type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From date" />
        <span className="hi-dim">to</span>
        <input className="input" type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-label="To date" />
        <label className="switch">
          <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} data-testid="history-errors-only" />
          Errors only
        </label>
        <span className="grow" />
        <ImportButton onImported={(kind, id) => kind === 'run' && setSelected(id)} />
      </div>
      {redacted ? (
        <div className="callout info hi-redacted" role="status" data-testid="history-redacted-notice">
          <Icon name="info" />
          <div>
            {redacted.terms.map((t) => (
              <p key={t.entity} data-entity={t.entity}>
                {redactedSearchReason(t, redacted.policy)}
                {t.search ? (
                  <>
                    ; search for{' '}
                    <button
                      type="button"
                      className="btn hi-redacted-search mono"
                      onClick={() => setText(t.search!)}
                      title={`Search for ${t.search}`}
                      data-testid="history-search-placeholder"
                    >
                      {t.search}
                    </button>{' '}
                    to find runs where one was redacted.
                  </>
                ) : (
                  ', not even by what replaces them.'
                )}
              </p>
            ))}
          </div>
        </div>
      ) : null}
      {error ? (
        <div className="callout danger" role="alert">
          <Icon name="warning" /> <span>{error}</span>
        </div>
      ) : null}
      <div className="hi-split">
        {loaded.count === 0 ? (
          <div className="hi-list" data-testid="history-list" aria-busy={loading}>
            {loading ? null : (
              <div className="hi-empty">
                {text || model || from || to || errorsOnly || endpoint ? 'No run matches these filters.' : 'No runs yet. Every playground run is saved here.'}
              </div>
            )}
          </div>
        ) : (
          <RunList
            runs={loaded.runs}
            count={loaded.count}
            hasMore={cursor !== null && error === null}
            loading={loading}
            selected={selected}
            onOpen={setSelected}
            onNeedMore={loadMore}
          />
        )}
        <div className="hi-detail">
          {selected ? (
            <RunDetail
              id={selected}
              onDeleted={() => {
                setSelected(null)
                void reload()
              }}
            />
          ) : (
            <div className="hi-empty">Select a run to see its request, response and figures.</div>
          )}
        </div>
      </div>
    </div>
  )
}
