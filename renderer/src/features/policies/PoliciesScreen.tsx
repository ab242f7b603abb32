import { PlannedScreen } from '../../ui/PlannedScreen'

export default function PoliciesScreen() {
  return (
    <PlannedScreen
      title="Policies"
      subtitle="Author and test a gateway policy-config.yaml."
      icon="policies"
      plans={[
        'A YAML editor with lint, completion and hover docs, in sync with a visual form.',
        'Prompt-injection, PII, audit-log and token-budget policies, and provider targets with fallback.',
        'A test bench that runs sample prompts through the chain on every edit.',
        'Apply a policy to the playground and compare screens.',
      ]}
    />
  )
}
