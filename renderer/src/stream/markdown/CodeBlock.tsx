import { useEffect, useState } from 'react'

/**
 * A highlighted code block (codeBlockHtml), whose renderer (marked,
 * highlight.js, KaTeX: several hundred KB) loads the first time a code block
 * or an answer is shown, not with the screen. Until then the code is shown
 * plain, the same text.
 */

type Renderer = typeof import('./render-markdown')
let renderer: Renderer | undefined
let loading: Promise<Renderer> | undefined

export function loadCodeRenderer(): Promise<Renderer> {
  return (loading ??= import('./render-markdown').then((m) => (renderer = m)))
}

export function CodeBlock({ code, lang, className, testId }: { code: string; lang: string | undefined; className?: string; testId?: string }) {
  const [html, setHtml] = useState(() => renderer?.codeBlockHtml(code, lang) ?? null)
  useEffect(() => {
    if (renderer) {
      setHtml(renderer.codeBlockHtml(code, lang))
      return
    }
    let live = true
    loadCodeRenderer().then(
      (m) => live && setHtml(m.codeBlockHtml(code, lang)),
      () => undefined, // stays plain: the text is all there
    )
    return () => {
      live = false
    }
  }, [code, lang])
  if (html !== null) return <div className={className} data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />
  return (
    <div className={className} data-testid={testId}>
      <div className="md-code">
        <pre>
          <code>{code}</code>
        </pre>
      </div>
    </div>
  )
}
