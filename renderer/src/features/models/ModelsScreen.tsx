import '../../ui/helpers.css'
import './models.css'

import { useEffect, useState } from 'react'

import { ensureCatalogLoaded } from '../../lib/catalog-store'
import { DemoBanner } from '../../ui/DemoBanner'
import { ScreenHeader } from '../../ui/ScreenHeader'
import { TabPanel, ViewTabs } from '../../ui/ViewTabs'
import { CostCalculator } from './CostCalculator'
import { ModelsTable } from './ModelsTable'
import { SourceBar } from './SourceBar'
import { TiersPanel } from './TiersPanel'

type Tab = 'models' | 'tiers' | 'cost'

export default function ModelsScreen() {
  const [tab, setTab] = useState<Tab>('models')
  useEffect(() => {
    void ensureCatalogLoaded()
  }, [])
  return (
    <section className="screen models-screen">
      <ScreenHeader
        title="Models"
        subtitle="Models, tiers, context limits, prices and deprecations."
        actions={
          <ViewTabs
            label="Models view"
            tabs={[
              ['models', 'Models'],
              ['tiers', 'Tiers & limits'],
              ['cost', 'Cost calculator'],
            ]}
            value={tab}
            onChange={setTab}
            testIdPrefix="models-tab-"
          />
        }
      />
      <DemoBanner what="The model list, rate limits and speeds “measured by you” here" />
      <SourceBar />
      <TabPanel testIdPrefix="models-tab-" value={tab}>
        {tab === 'models' ? <ModelsTable /> : tab === 'tiers' ? <TiersPanel /> : <CostCalculator />}
      </TabPanel>
    </section>
  )
}
