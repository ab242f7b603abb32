import './demo.css'

/** Marks text or figures made by the built-in demo endpoint (a local fake server), never by Cerebras. */
export function DemoBadge({ label = 'Demo', testId = 'demo-badge' }: { label?: string; testId?: string }) {
  return (
    <span
      className="badge demo"
      title="Made by the built-in demo endpoint: a local fake server, not Cerebras. Answers and figures are made up."
      data-testid={testId}
    >
      {label}
    </span>
  )
}
