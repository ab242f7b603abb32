import { useStore } from 'zustand'

import { Icon } from '../../ui/Icon'
import { docStore, jumpTo } from './doc-store'

/** The lint findings under the editor, at their line:column; clicking one puts the cursor there. */
export function ProblemsList() {
  const lint = useStore(docStore, (s) => s.lint)
  if (!lint.findings.length) {
    return (
      <div className="pol-problems pol-problems-clean" data-testid="problems" data-count="0">
        <Icon name="check" size={13} /> No problems
      </div>
    )
  }
  return (
    <ul className="pol-problems" data-testid="problems" data-count={lint.findings.length} aria-label="Problems">
      {lint.findings.map((f, i) => (
        <li key={i}>
          <button
            type="button"
            className={`pol-problem ${f.severity}`}
            onClick={() => jumpTo(f.from)}
            data-line={f.line}
            data-code={f.code}
            title="Go to this line"
          >
            <Icon name={f.severity === 'error' ? 'warning' : 'info'} size={13} />
            <span className="mono pol-problem-at">
              {f.line}:{f.column}
            </span>
            <span className="mono pol-problem-code">{f.code}</span>
            <span className="pol-problem-msg">{f.message}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}
