import { PlannedScreen } from '../../ui/PlannedScreen'

export default function GatewayScreen() {
  return (
    <PlannedScreen
      title="Gateway"
      subtitle="Run a local OpenAI-compatible gateway that enforces your policy."
      icon="gateway"
      plans={[
        'Start and stop a local gateway on a port you choose, with your policy file.',
        'A live request log: client, model, verdicts, upstream target, status, latency, tokens.',
        'Fallback between provider targets on errors, timeouts and rate limits.',
        'A tamper-evident audit log you can browse, verify and export.',
      ]}
    />
  )
}
