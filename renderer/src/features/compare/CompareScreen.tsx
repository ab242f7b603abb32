import '../../ui/helpers.css'
import './compare.css'

import { useEffect } from 'react'

import { ensureCatalogLoaded, useCatalogStore } from '../../lib/catalog-store'
import { takeHandoff } from '../../lib/model-handoff'
import { DemoBanner } from '../../ui/DemoBanner'
import { ScreenHeader } from '../../ui/ScreenHeader'
import { TabPanel, ViewTabs } from '../../ui/ViewTabs'
import { flushDraftSave } from './batch/batch-store'
import { BatchPanel } from './batch/BatchPanel'
import { CompareRace } from './CompareRace'
import { addModelLane, flushSetupSave, loadSetup, updateSetup, useCompareSetup } from './setup-store'
import { VotesPanel } from './VotesPanel'

/** Callable models, fastest published first: the default lanes for a first visit. */
function defaultModels(): string[] {
  const models = useCatalogStore.getState().catalog.models.filter((m) => m.deprecation?.state !== 'retired' && !m.dedicatedOnly && m.access !== 'not-listed')
  return models.sort((a, b) => (b.speed.published?.value ?? 0) - (a.speed.published?.value ?? 0)).map((m) => m.id)
}

export default function CompareScreen() {
  const setup = useCompareSetup((s) => s.setup)
  useEffect(() => {
    void ensureCatalogLoaded()
      .catch(() => {})
      .then(() => loadSetup(defaultModels))
      .then(() => {
        const model = takeHandoff('compare')
        if (model) addModelLane(model)
      })
    const flush = () => {
      flushSetupSave()
      flushDraftSave()
    }
    window.addEventListener('pagehide', flush)
    return () => {
      window.removeEventListener('pagehide', flush)
      flush()
    }
  }, [])

  const view = setup?.view ?? 'race'
  return (
    <section className="screen compare-screen">
      <ScreenHeader
        title="Compare"
        subtitle="Race models side by side on one input."
        actions={
          <ViewTabs
            label="Compare view"
            tabs={[
              ['race', 'Race'],
              ['batch', 'Batch'],
              ['votes', 'Votes'],
            ]}
            value={view}
            onChange={(id) => updateSetup((s) => ({ ...s, view: id }))}
            disabled={!setup}
            testIdPrefix="compare-tab-"
          />
        }
      />
      <DemoBanner what="Answers, races and figures here" />
      {!setup ? (
        <div className="muted">Loading…</div>
      ) : (
        <TabPanel testIdPrefix="compare-tab-" value={view}>
          {view === 'race' ? <CompareRace setup={setup} /> : view === 'batch' ? <BatchPanel setup={setup} /> : <VotesPanel />}
        </TabPanel>
      )}
    </section>
  )
}
