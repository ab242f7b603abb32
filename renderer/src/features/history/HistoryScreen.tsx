import { ScreenHeader } from '../../ui/ScreenHeader'
import { useHistoryNav, type HistoryTab } from './history-nav'
import { MetricsView } from './MetricsView'
import { RunsView } from './RunsView'
import { VersionsView } from './VersionsView'
import '../playground/playground.css'
import './history.css'

const TABS: { id: HistoryTab; label: string }[] = [
  { id: 'runs', label: 'Runs' },
  { id: 'versions', label: 'Prompt versions' },
  { id: 'metrics', label: 'Metrics' },
]

export default function HistoryScreen() {
  const tab = useHistoryNav((s) => s.tab)
  const setTab = useHistoryNav((s) => s.setTab)
  return (
    <section className="hi-screen">
      <ScreenHeader
        title="History"
        subtitle="Every run, searchable, with its metrics."
        actions={
          <div className="segmented" role="tablist" aria-label="History views">
            {TABS.map((t) => (
              <button key={t.id} role="tab" aria-selected={tab === t.id} aria-pressed={tab === t.id} onClick={() => setTab(t.id)} data-testid={`history-tab-${t.id}`}>
                {t.label}
              </button>
            ))}
          </div>
        }
      />
      {tab === 'runs' ? <RunsView /> : tab === 'versions' ? <VersionsView /> : <MetricsView />}
    </section>
  )
}
