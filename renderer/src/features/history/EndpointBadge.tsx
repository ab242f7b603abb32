import { ENDPOINT_DESCRIPTIONS, ENDPOINT_LABELS, type RunEndpoint } from '@shared/endpoint'

/**
 * The endpoint that answered a run: a short label and the host, so runs from
 * Cerebras, the demo, a fake or replay server and other base URLs are never
 * mistaken for one another. Nothing for runs saved before endpoints were kept.
 */
export function EndpointBadge({ endpoint, testId }: { endpoint: RunEndpoint | null; testId: string }) {
  if (!endpoint) return null
  // Demo runs already carry the demo badge; its host is a random loopback port.
  if (endpoint.kind === 'demo') return null
  const label = ENDPOINT_LABELS[endpoint.kind]
  return (
    <span
      className={`badge hi-endpoint hi-endpoint-${endpoint.kind}`}
      title={`${ENDPOINT_DESCRIPTIONS[endpoint.kind]}${endpoint.host ? ` (${endpoint.host})` : ''}`}
      data-testid={testId}
      data-endpoint={endpoint.kind}
    >
      {label}
      {endpoint.host ? <span className="hi-endpoint-host mono">{endpoint.host}</span> : null}
    </span>
  )
}

/** The endpoint in a sentence, for the run's detail. */
export function endpointText(endpoint: RunEndpoint | null): string {
  if (!endpoint) return 'endpoint not recorded'
  return `${ENDPOINT_LABELS[endpoint.kind]}${endpoint.host ? ` (${endpoint.host})` : ''}`
}
