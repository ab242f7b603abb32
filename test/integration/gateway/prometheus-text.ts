/**
 * Reads Prometheus's text exposition format (what GET /metrics answers) into
 * samples, for tests that check what a gateway counted: `value(name, labels)`
 * for one series, `sum(name, labels)` over every series matching some labels.
 */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = []
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const m = LINE.exec(line)
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
    out.push({ name: m[1], labels, value: Number(m[3]) })
  }
  return out
}

export class Scrape {
  readonly samples: Sample[]
  constructor(readonly text: string) {
    this.samples = parsePrometheus(text)
  }

  /** Series of `name` whose labels include `labels`. */
  series(name: string, labels: Record<string, string> = {}): Sample[] {
    return this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  }

  /** The one series of `name` with exactly these labels; 0 when there is none (a counter never incremented). */
  value(name: string, labels: Record<string, string> = {}): number {
    const want = Object.keys(labels).length
    const hit = this.series(name, labels).filter((s) => Object.keys(s.labels).length === want)
    if (hit.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${hit.length} series`)
    return hit[0]?.value ?? 0
  }

  /** The sum over every series of `name` whose labels include `labels`. */
  sum(name: string, labels: Record<string, string> = {}): number {
    return this.series(name, labels).reduce((n, s) => n + s.value, 0)
  }
}

/** GET /metrics from a gateway, checked to be Prometheus's text format. */
export async function scrape(gatewayUrl: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const r = await fetch(`${gatewayUrl}/metrics`, { headers })
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}: ${await r.text()}`)
  const type = r.headers.get('content-type') ?? ''
  if (!type.startsWith('text/plain') || !type.includes('version=0.0.4')) throw new Error(`/metrics content-type is ${type}`)
  return new Scrape(await r.text())
}
