import { PlannedScreen } from '../../ui/PlannedScreen'

export default function HistoryScreen() {
  return (
    <PlannedScreen
      title="History"
      subtitle="Every run, searchable, with its metrics."
      icon="history"
      plans={[
        'Every run saved with its request, response, reasoning, metrics and errors.',
        'Full-text search, filters by model, date and errors, fast at 100,000 runs.',
        'Named prompt versions with side-by-side diff and restore.',
        'TTFT and decode speed per model over time.',
      ]}
    />
  )
}
