import type { Handler } from '../ipc/dispatcher'
import type { CerebrasServices } from '../services/cerebras/cerebras-services'

/** Handlers for the live model lists and the rate-limit state. */
export interface ModelsHandlers {
  'models:list': Handler<'models:list'>
  'models:public': Handler<'models:public'>
  'ratelimit:get': Handler<'ratelimit:get'>
}

export function createModelsHandlers(services: CerebrasServices, getSettings: () => { baseUrl: string }): ModelsHandlers {
  return {
    'models:list': async ({ force }) => services.models.listAccessible(await services.connection(), { force }),
    'models:public': ({ force }) => services.models.listPublic(getSettings().baseUrl, { force }),
    'ratelimit:get': ({ model }) => {
      if (model === undefined) return { states: services.rateLimits.all() }
      const state = services.rateLimits.get(model)
      return { states: state ? [state] : [] }
    },
  }
}
