export * from './best'
export * from './percentiles'
export * from './seeded-rng'
export * from './variability'
