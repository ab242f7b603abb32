import '../../ui/message-parts.css'
import './history.css'

import { DemoBanner } from '../../ui/DemoBanner'
import { ScreenHeader } from '../../ui/ScreenHeader'
import { TabPanel, ViewTabs } from '../../ui/ViewTabs'
import { type HistoryTab, useHistoryNav } from './history-nav'
import { MetricsView } from './MetricsView'
import { RunsView } from './RunsView'
import { VersionsView } from './VersionsView'

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
        actions={<ViewTabs label="History views" tabs={TABS.map((t) => [t.id, t.label] as const)} value={tab} onChange={setTab} testIdPrefix="history-tab-" />}
      />
      <DemoBanner what="New runs and the Metrics view" />
      <TabPanel testIdPrefix="history-tab-" value={tab} className="hi-tabpanel">
        {tab === 'runs' ? <RunsView /> : tab === 'versions' ? <VersionsView /> : <MetricsView />}
      </TabPanel>
    </section>
  )
}
