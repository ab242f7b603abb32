import './gateway.css'

import { useEffect, useState } from 'react'
import { useStore } from 'zustand'

import { reportError } from '../../lib/notify'
import { ScreenHeader } from '../../ui/ScreenHeader'
import { TabPanel, ViewTabs } from '../../ui/ViewTabs'
import { AuditPanel } from './AuditPanel'
import { connectGatewayStore, gatewayStore } from './gateway-store'
import { GatewayControl } from './GatewayControl'
import { RequestLogTable } from './RequestLogTable'

type Tab = 'requests' | 'audit'

export default function GatewayScreen() {
  const status = useStore(gatewayStore, (s) => s.status)
  const count = useStore(gatewayStore, (s) => s.entries.length)
  const [tab, setTab] = useState<Tab>('requests')

  useEffect(() => {
    connectGatewayStore().catch((err) => reportError('Could not connect to the gateway', err))
  }, [])

  return (
    <section className="screen gw-screen">
      <ScreenHeader
        title="Gateway"
        subtitle="A local OpenAI-compatible gateway that enforces your policy, with a tamper-evident audit log."
        actions={status?.running ? <span className="badge ok">Running</span> : <span className="badge">Stopped</span>}
      />
      <GatewayControl />
      <ViewTabs
        label="Gateway views"
        className="gw-tabs"
        tabs={[
          ['requests', `Requests${count ? ` (${count})` : ''}`],
          ['audit', 'Audit log'],
        ]}
        value={tab}
        onChange={setTab}
        testIdPrefix="tab-"
      />
      <TabPanel testIdPrefix="tab-" value={tab}>
        {tab === 'requests' ? (
          <div className="card">
            <h2>Live requests</h2>
            <RequestLogTable />
          </div>
        ) : (
          <AuditPanel />
        )}
      </TabPanel>
    </section>
  )
}
