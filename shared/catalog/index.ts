export * from './types'
export { CATALOG_SNAPSHOT } from './snapshot'
export * from './lookup'
