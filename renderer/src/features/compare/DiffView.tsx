import { type ChangeObject, diffLines, diffWords } from 'diff'
import { useMemo, useState } from 'react'

export interface DiffSide {
  key: string
  label: string
  text: string | null
}

/** Word diffs of long answers can take a while; past this budget the diff is by lines. */
const WORD_DIFF_TIMEOUT_MS = 150

function computeDiff(a: string, b: string): { changes: ChangeObject<string>[]; by: 'words' | 'lines' } {
  const words = diffWords(a, b, { timeout: WORD_DIFF_TIMEOUT_MS })
  if (words) return { changes: words, by: 'words' }
  return { changes: diffLines(a, b), by: 'lines' }
}

/** What one lane's answer has that another's does not, word by word. */
export function DiffView({ sides }: { sides: DiffSide[] }) {
  // Diffing two long answers can take a while: only when asked.
  const [open, setOpen] = useState(false)
  if (!open) {
    return (
      <div className="card diff-card" data-testid="diff-view">
        <div className="row">
          <h2 className="grow">Diff</h2>
          <button className="btn" onClick={() => setOpen(true)} data-testid="diff-open">
            Compare the answers word by word
          </button>
        </div>
      </div>
    )
  }
  return <DiffBody sides={sides} />
}

function DiffBody({ sides }: { sides: DiffSide[] }) {
  const [left, setLeft] = useState(sides[0]?.key ?? '')
  const [right, setRight] = useState(sides[1]?.key ?? '')
  const a = sides.find((s) => s.key === left) ?? sides[0]
  const b = sides.find((s) => s.key === right && s.key !== a?.key) ?? sides.find((s) => s.key !== a?.key)
  const result = useMemo(() => (a?.text != null && b?.text != null ? computeDiff(a.text, b.text) : null), [a?.text, b?.text])
  const added = result?.changes.filter((c) => c.added).reduce((n, c) => n + c.count, 0) ?? 0
  const removed = result?.changes.filter((c) => c.removed).reduce((n, c) => n + c.count, 0) ?? 0

  return (
    <div className="card diff-card" data-testid="diff-view">
      <div className="row">
        <h2 className="grow">Diff</h2>
        <select className="input" aria-label="From lane" value={a?.key} onChange={(e) => setLeft(e.target.value)}>
          {sides.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
        <span className="muted">→</span>
        <select className="input" aria-label="To lane" value={b?.key} onChange={(e) => setRight(e.target.value)}>
          {sides
            .filter((s) => s.key !== a?.key)
            .map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
        </select>
      </div>
      {result ? (
        <>
          <p className="card-sub">
            <span className="diff-del-mark">−{removed}</span> only in {a!.label} · <span className="diff-add-mark">+{added}</span> only in {b!.label}
            {result.by === 'lines' ? ' (by line: the answers are too long for a word diff)' : ' (by word)'}
          </p>
          <div className="diff-body">
            {result.changes.map((c, i) => (
              <span key={i} className={c.added ? 'diff-add' : c.removed ? 'diff-del' : undefined}>
                {c.value}
              </span>
            ))}
          </div>
        </>
      ) : (
        <p className="muted">Both lanes need an answer to compare.</p>
      )}
    </div>
  )
}
