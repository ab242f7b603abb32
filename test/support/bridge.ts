import WebSocket from 'ws'

import type { ArgsOf, ChannelName, ResultOf } from '../../shared/ipc/contract'
import type { Envelope } from '../../shared/ipc/errors'
import type { RunningWebHost } from './web-host'

/**
 * Call one channel of a running web host over its bridge, as the page does,
 * so a test can wait for state main has really stored instead of sleeping.
 */
export async function callBridge<C extends ChannelName>(host: RunningWebHost, channel: C, args: ArgsOf<C>): Promise<ResultOf<C>> {
  const url = new URL(host.url)
  const ws = new WebSocket(`ws://${url.host}/bridge?token=${host.token}`, { headers: { origin: host.origin } })
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    const envelope = await new Promise<Envelope<ResultOf<C>>>((resolve, reject) => {
      ws.once('error', reject)
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as { t: string; id?: number; envelope?: Envelope<ResultOf<C>> }
        if (msg.t === 'result' && msg.id === 1 && msg.envelope) resolve(msg.envelope)
      })
      ws.send(JSON.stringify({ t: 'call', id: 1, channel, args }))
    })
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code}: ${envelope.error.message}`)
    return envelope.value
  } finally {
    ws.close()
  }
}

/** The UI-state document main keeps under `key`, as JSON text ('' when none). */
export async function storedState(host: RunningWebHost, key: string): Promise<string> {
  const doc = await callBridge(host, 'state:get', { key })
  return doc.value === undefined || doc.value === null ? '' : JSON.stringify(doc.value)
}
