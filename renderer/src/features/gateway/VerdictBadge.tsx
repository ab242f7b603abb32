const CLASS: Record<string, string> = { allow: 'ok', log: '', redact: 'warn', escalate: 'warn', block: 'danger', error: 'danger' }

export function VerdictBadge({ verdict }: { verdict: string }) {
  return <span className={`badge ${CLASS[verdict] ?? ''}`}>{verdict}</span>
}
