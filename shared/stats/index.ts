export * from './percentiles'
export * from './variability'
export * from './best'
