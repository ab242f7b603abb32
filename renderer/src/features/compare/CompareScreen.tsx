import { PlannedScreen } from '../../ui/PlannedScreen'

export default function CompareScreen() {
  return (
    <PlannedScreen
      title="Compare"
      subtitle="Race models side by side on one input."
      icon="compare"
      plans={[
        'Two to four lanes, each with its own model and parameters, started together.',
        'A live race chart of tokens over time, and per-lane TTFT, tokens/s and cost.',
        'Repeated runs with p50 / p95, a diff view, and blind pairwise votes.',
        'Batch runs over a CSV or JSONL of inputs, with assertions per column.',
      ]}
    />
  )
}
