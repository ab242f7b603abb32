export * from './lookup'
export { CATALOG_SNAPSHOT } from './snapshot'
export * from './types'
