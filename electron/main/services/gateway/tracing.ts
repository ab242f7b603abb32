/**
 * What the gateway's request handling asks of a tracer: a span per chat
 * request with child spans under it. The gateway codes against this; the
 * OpenTelemetry implementation (otel-tracer.ts) is loaded only when
 * `--otlp-endpoint` is given, so a gateway without it loads no OpenTelemetry
 * code at all. Attribute names follow the OpenTelemetry semantic conventions
 * (docs/metrics.md lists them); no attribute ever carries prompt or
 * completion text.
 */

export type SpanValue = string | number | boolean | string[]
export type SpanAttributes = Record<string, SpanValue | undefined>

export interface Span {
  /** False for the inert span of noTracer: callers skip building attributes nobody keeps. */
  readonly recording: boolean
  set(attributes: SpanAttributes): void
  /** Ends the span; with `error`, its status is ERROR and error.type is set to it. */
  end(error?: string): void
}

export interface RequestSpan extends Span {
  /** A child span: `kind` client for calls out of the gateway (the upstream), internal otherwise. */
  child(name: string, kind: 'client' | 'internal', attributes?: SpanAttributes): Span
}

export interface GatewayTracer {
  /** A server span for one request; `headers` may carry the caller's W3C traceparent, which it continues. */
  startRequest(name: string, headers: Record<string, string | string[] | undefined>, attributes: SpanAttributes): RequestSpan
  /** Sends what is buffered now. */
  flush(): Promise<void>
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>
}

const NO_SPAN: RequestSpan = {
  recording: false,
  set() {},
  end() {},
  child: () => NO_SPAN,
}

/** No tracing: every span is the same inert object. */
export const noTracer: GatewayTracer = {
  startRequest: () => NO_SPAN,
  flush: async () => {},
  shutdown: async () => {},
}

/**
 * The traces URL for `--otlp-endpoint`: a collector's base URL
 * (http://collector:4318) gets OTLP's /v1/traces path; a URL with a path is
 * used as given. Throws a message for anything that is not http(s).
 */
export function otlpTracesUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new Error(`--otlp-endpoint must be an http(s) URL such as http://127.0.0.1:4318, got '${value}'.`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--otlp-endpoint must be http or https (OTLP/HTTP), got ${url.protocol}//…`)
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces'
  return url.toString()
}
