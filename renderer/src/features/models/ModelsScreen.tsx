import { PlannedScreen } from '../../ui/PlannedScreen'

export default function ModelsScreen() {
  return (
    <PlannedScreen
      title="Models"
      subtitle="Models, tiers, context limits, prices and deprecations."
      icon="models"
      plans={[
        'Every model with status, context length per tier, max output, speed and price.',
        'Live from the API, with a dated bundled snapshot for offline use.',
        'Deprecation warnings with suggested replacements.',
        'A cost calculator with your own measured speeds next to the published ones.',
      ]}
    />
  )
}
