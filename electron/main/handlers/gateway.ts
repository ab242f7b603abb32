import type { Handler } from '../ipc/dispatcher'
import type { AppGateway } from '../services/gateway/app-gateway'

export interface GatewayHandlers {
  'gateway:status': Handler<'gateway:status'>
  'gateway:defaults': Handler<'gateway:defaults'>
  'gateway:start': Handler<'gateway:start'>
  'gateway:stop': Handler<'gateway:stop'>
  'gateway:log': Handler<'gateway:log'>
}

export function createGatewayHandlers(gateway: AppGateway): GatewayHandlers {
  return {
    'gateway:status': () => gateway.status(),
    'gateway:defaults': () => gateway.defaults(),
    'gateway:start': (args) => gateway.start(args),
    'gateway:stop': ({ deadlineMs }) => gateway.stop(deadlineMs),
    'gateway:log': ({ limit }) => ({ entries: gateway.recent(limit) }),
  }
}
