import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A stand-in OpenTelemetry collector for tests: accepts OTLP/HTTP JSON
 * (POST /v1/traces, an ExportTraceServiceRequest) and decodes its spans, so a
 * test can read the span tree and attributes the gateway exported. It keeps
 * every raw body too, to check what was never sent.
 */
export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  /** OTLP SpanKind: 1 internal, 2 server, 3 client. */
  kind: number
  attributes: Record<string, unknown>
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: number
  resource: Record<string, unknown>
}

interface OtlpValue {
  stringValue?: string
  boolValue?: boolean
  intValue?: number | string
  doubleValue?: number
  arrayValue?: { values?: OtlpValue[] }
}
interface OtlpAttribute {
  key: string
  value: OtlpValue
}

function decodeValue(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue
  if (v.boolValue !== undefined) return v.boolValue
  if (v.intValue !== undefined) return Number(v.intValue)
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(decodeValue)
  return undefined
}

const decodeAttributes = (list: OtlpAttribute[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.key, decodeValue(a.value)]))

export interface OtlpReceiver {
  /** The collector's base URL (what --otlp-endpoint takes). */
  url: string
  spans: ReceivedSpan[]
  /** Every request body as it came. */
  bodies: string[]
  /** Content types the exporter sent. */
  contentTypes: string[]
  close(): Promise<void>
}

export async function otlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = []
  const bodies: string[] = []
  const contentTypes: string[] = []
  const server = http.createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (d: string) => (raw += d))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end()
        return
      }
      bodies.push(raw)
      contentTypes.push(req.headers['content-type'] ?? '')
      const body = JSON.parse(raw) as {
        resourceSpans?: Array<{
          resource?: { attributes?: OtlpAttribute[] }
          scopeSpans?: Array<{
            spans?: Array<{
              traceId: string
              spanId: string
              parentSpanId?: string
              name: string
              kind: number
              attributes?: OtlpAttribute[]
              status?: { code?: number }
            }>
          }>
        }>
      }
      for (const rs of body.resourceSpans ?? []) {
        const resource = decodeAttributes(rs.resource?.attributes)
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: s.kind,
              attributes: decodeAttributes(s.attributes),
              status: s.status?.code ?? 0,
              resource,
            })
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    bodies,
    contentTypes,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}
