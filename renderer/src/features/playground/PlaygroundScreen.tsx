import { PlannedScreen } from '../../ui/PlannedScreen'

export default function PlaygroundScreen() {
  return (
    <PlannedScreen
      title="Playground"
      subtitle="Iterate on prompts with honest, server-measured figures."
      icon="playground"
      plans={[
        'Multi-turn chat with a system prompt, streamed at full Cerebras speed.',
        'Every parameter per model: temperature, top_p, seed, stop, reasoning effort, JSON schema, tools.',
        'TTFT, tokens/s and queue / prompt / decode time from Cerebras’s own time_info.',
        'Cost and rate-limit headroom before you send, and {{variables}} in prompts.',
        'View the exact request as curl, Python or TypeScript.',
      ]}
    />
  )
}
