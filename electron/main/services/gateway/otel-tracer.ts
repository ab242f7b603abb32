import { randomUUID } from 'node:crypto'

import { type Attributes, ROOT_CONTEXT, type Span as OtelSpan, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions'

import type { GatewayTracer, RequestSpan, Span, SpanAttributes } from './tracing'

export interface OtelTracerOptions {
  /** The collector's traces URL (OTLP/HTTP, JSON), e.g. http://127.0.0.1:4318/v1/traces. */
  url: string
  serviceName?: string
  /** How long spans wait to be sent in a batch (default 2 s). */
  scheduledDelayMillis?: number
  /** Told when the last spans could not be sent at flush or shutdown (the collector is down). */
  warn?: (line: string) => void
}

/** Longest attribute value kept: ids, models and codes fit; nothing long enough to be a prompt gets through whole. */
const ATTRIBUTE_VALUE_LIMIT = 256

/**
 * Traces over OTLP/HTTP (JSON), through the OpenTelemetry SDK. The provider
 * is the gateway's own, not registered globally: two gateways in one process
 * keep their spans apart. Spans are batched and sent in the background; a
 * collector that is down loses spans, never requests.
 */
export function createOtelTracer(opts: OtelTracerOptions): GatewayTracer {
  const exporter = new OTLPTraceExporter({ url: opts.url, timeoutMillis: 5_000 })
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.serviceName ?? 'wafer-gateway', 'service.instance.id': randomUUID() }),
    spanLimits: { attributeValueLengthLimit: ATTRIBUTE_VALUE_LIMIT },
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: opts.scheduledDelayMillis ?? 2_000, exportTimeoutMillis: 5_000 })],
  })
  const tracer = provider.getTracer('wafer-gateway')
  // A collector that is down costs the spans, never the gateway's stop.
  const lost = (err: unknown) => opts.warn?.(`traces: spans could not be sent to ${opts.url}: ${err instanceof Error ? err.message : String(err)}`)
  return {
    startRequest(name, headers, attributes) {
      const parent = remoteParent(headers.traceparent)
      const span = tracer.startSpan(
        name,
        { kind: SpanKind.SERVER, attributes: clean(attributes) },
        parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT,
      )
      return requestSpan(tracer, span)
    },
    flush: () => provider.forceFlush().catch(lost),
    shutdown: () => provider.shutdown().catch(lost),
  }
}

function requestSpan(tracer: Tracer, span: OtelSpan): RequestSpan {
  const inside = trace.setSpan(ROOT_CONTEXT, span)
  return {
    ...wrap(span),
    child(name, kind, attributes) {
      return wrap(tracer.startSpan(name, { kind: kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes: clean(attributes ?? {}) }, inside))
    },
  }
}

function wrap(span: OtelSpan): Span {
  let ended = false
  return {
    recording: true,
    set: (attributes) => void span.setAttributes(clean(attributes)),
    end(error) {
      if (ended) return
      ended = true
      if (error) {
        span.setAttribute(ATTR_ERROR_TYPE, error)
        span.setStatus({ code: SpanStatusCode.ERROR })
      }
      span.end()
    },
  }
}

function clean(attributes: SpanAttributes): Attributes {
  const out: Attributes = {}
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v
  return out
}

/** The caller's span from a W3C traceparent header (version 00), when it sent a valid one. */
function remoteParent(header: string | string[] | undefined) {
  const value = Array.isArray(header) ? header[0] : header
  const m = value && /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value.trim())
  if (!m || /^0+$/.test(m[1]) || /^0+$/.test(m[2])) return undefined
  return { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16) & 1, isRemote: true }
}
