export * from './best'
export * from './percentiles'
export * from './variability'
