import { createRequire } from 'node:module'

import type * as Prom from 'prom-client'

/**
 * The four classes of prom-client the gateway uses, loaded from their own
 * modules: the package's index also loads the default process metrics
 * (which load @opentelemetry/api), the Pushgateway (https, zlib) and the
 * cluster aggregator — about 15 MB and tens of ms more for an idle
 * `wafer gateway run`, for nothing the gateway exposes.
 * (prom-client 15 has no exports map, so its lib/ modules are reachable.)
 */
const load = createRequire(import.meta.url)

export const Registry = load('prom-client/lib/registry.js') as typeof Prom.Registry
export const Counter = load('prom-client/lib/counter.js') as typeof Prom.Counter
export const Gauge = load('prom-client/lib/gauge.js') as typeof Prom.Gauge
export const Histogram = load('prom-client/lib/histogram.js') as typeof Prom.Histogram
export type { Counter as CounterT, Gauge as GaugeT, Histogram as HistogramT, Registry as RegistryT } from 'prom-client'
