import { memo, useEffect, useRef } from 'react'

import { api } from '../../api'
import { plural } from '../../lib/format'
import { appStreamHub } from '../../stream/app-streams'
import { MarkdownView } from '../../stream/markdown/markdown-view'

/**
 * One run's answer. While it streams, text is painted by the stream hub's
 * per-frame listener straight into the DOM (incremental markdown, no React
 * render per token); the live token count is written the same way.
 */
export const RunOutput = memo(function RunOutput({
  requestId,
  fallback,
  tokensRef,
}: {
  requestId: string
  fallback: string | null
  tokensRef?: React.RefObject<HTMLSpanElement | null>
}) {
  const bodyRef = useRef<HTMLDivElement>(null)
  const reasoningRef = useRef<HTMLPreElement>(null)
  const detailsRef = useRef<HTMLDetailsElement>(null)
  // Read, not depended on: the final text arriving must not rebuild a view that already shows it.
  const fallbackRef = useRef(fallback)
  fallbackRef.current = fallback

  useEffect(() => {
    const body = bodyRef.current
    if (!body) return
    const hub = appStreamHub()
    const view = new MarkdownView(body, { onLink: (href) => void api.appOpenExternal({ url: href }).catch(() => {}) })
    const reasoningNode = document.createTextNode('')
    reasoningRef.current?.replaceChildren(reasoningNode)
    let reasoningShown = 0
    const unsubscribe = hub.onText(requestId, (text, final, fresh) => {
      // Only the new text: handing the view the whole answer each frame made it compare and copy it all, every frame.
      view.append(fresh.content, final)
      if (text.reasoning.length > reasoningShown) {
        reasoningNode.appendData(text.reasoning.slice(reasoningShown))
        reasoningShown = text.reasoning.length
        detailsRef.current?.removeAttribute('hidden')
      }
      const series = hub.series(requestId)
      if (tokensRef?.current && series) {
        const n = Math.round(series.tokens)
        tokensRef.current.textContent = n === 0 && final ? '' : `${series.calibrated ? '' : '≈ '}${plural(n, 'token')}`
      }
    })
    // A released stream (after "new conversation") is shown from the saved text.
    if (!hub.text(requestId) && fallbackRef.current !== null) view.update(fallbackRef.current, true)
    return () => {
      unsubscribe()
      view.dispose()
    }
  }, [requestId, tokensRef])

  return (
    <div className="run-output">
      <details className="reasoning" ref={detailsRef} hidden>
        <summary>Reasoning</summary>
        <pre ref={reasoningRef} />
      </details>
      <div className="lane-md" ref={bodyRef} data-testid="lane-output" />
    </div>
  )
})
