import type { Handler } from '../ipc/dispatcher'
import type { AppGateway } from '../services/gateway/app-gateway'

export interface GatewayHandlers {
  'gateway:status': Handler<'gateway:status'>
  'gateway:defaults': Handler<'gateway:defaults'>
  'gateway:start': Handler<'gateway:start'>
  'gateway:stop': Handler<'gateway:stop'>
  'gateway:log': Handler<'gateway:log'>
  'audit:info': Handler<'audit:info'>
  'audit:query': Handler<'audit:query'>
  'audit:verify': Handler<'audit:verify'>
  'audit:export': Handler<'audit:export'>
}

export function createGatewayHandlers(gateway: AppGateway): GatewayHandlers {
  return {
    'gateway:status': () => gateway.status(),
    'gateway:defaults': () => gateway.defaults(),
    'gateway:start': (args) => gateway.start(args),
    'gateway:stop': ({ deadlineMs }) => gateway.stop(deadlineMs),
    'gateway:log': ({ limit }) => ({ entries: gateway.recent(limit) }),
    'audit:info': () => gateway.auditInfo(),
    'audit:query': (q) => gateway.auditQuery(q),
    'audit:verify': () => gateway.auditVerify(),
    'audit:export': ({ filter }) => gateway.auditExport(filter),
  }
}
