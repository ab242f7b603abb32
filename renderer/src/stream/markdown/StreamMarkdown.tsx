import './markdown.css'

import { memo, useEffect, useRef } from 'react'

import { api } from '../../api'
import { appStreamHub } from '../app-streams'
import { copyText } from './clipboard'
import type { MarkdownView } from './markdown-view'

/*
 * The view's code (marked, highlight.js, KaTeX: several hundred KB) loads
 * the first time an answer or message is shown, not with the screen: the
 * playground opens without it. Text that arrives before it has loaded is
 * kept and painted as soon as it has.
 */
type ViewModule = typeof import('./markdown-view')
let viewModule: ViewModule | undefined
let loadingView: Promise<ViewModule> | undefined
const loadView = () => (loadingView ??= import('./markdown-view').then((m) => (viewModule = m)))

/**
 * Markdown painted by a MarkdownView: from a running stream (painted once
 * per frame, React never re-renders for new text) or from a finished text.
 * When a stream's message becomes a saved message with the same text, the
 * view is kept as it is: nothing is rendered again.
 */

/**
 * A running stream, or a finished text. `prefix`: the stream continues
 * this text (an answer cut at the token limit, being continued): it is
 * shown first and the stream's text is appended to it.
 */
export type MarkdownSource = { requestId: string; field: 'content' | 'reasoning'; prefix?: string } | { text: string }

async function openLink(href: string): Promise<void> {
  if (!/^https:\/\//i.test(href)) return
  await api.appOpenExternal({ url: href }).catch(() => undefined)
}

export const StreamMarkdown = memo(function StreamMarkdown({
  source,
  className,
  testId,
  onText,
}: {
  source: MarkdownSource
  className?: string
  testId?: string
  /** Told (once per frame at most) whether the view holds any text yet. */
  onText?: (hasText: boolean, final: boolean) => void
}) {
  const ref = useRef<HTMLDivElement>(null)
  const view = useRef<MarkdownView | null>(null)
  /** What to paint once the view exists (while its code loads). */
  const early = useRef({ text: '', final: false })
  const onTextRef = useRef(onText)
  onTextRef.current = onText

  useEffect(() => {
    let live = true
    const create = (m: ViewModule) => {
      if (!live) return
      view.current = new m.MarkdownView(ref.current!, { onLink: (h) => void openLink(h), onCopy: (t) => void copyText(t) })
      if (early.current.text || early.current.final) view.current.update(early.current.text, early.current.final)
      early.current = { text: '', final: false }
    }
    if (viewModule) create(viewModule)
    else loadView().then(create, (err: unknown) => console.error('The answer view could not be loaded', err))
    return () => {
      live = false
      view.current?.dispose()
      view.current = null
    }
  }, [])

  const requestId = 'requestId' in source ? source.requestId : null
  const field = 'requestId' in source ? source.field : null
  const prefix = 'requestId' in source ? (source.prefix ?? '') : ''
  const text = 'text' in source ? source.text : null

  useEffect(() => {
    if (requestId === null || field === null) return
    // Usually already on screen (the answer being continued), so nothing is painted again.
    if (prefix) {
      if (view.current) view.current.update(prefix, true)
      else early.current = { text: prefix, final: true }
    }
    let any = prefix.length > 0
    return appStreamHub().onText(requestId, (_t, final, fresh) => {
      // Only the new text goes to the view: reading the whole answer each frame would copy it each frame.
      if (view.current) view.current.append(fresh[field], final)
      else early.current = { text: early.current.text + fresh[field], final }
      any ||= fresh[field].length > 0
      onTextRef.current?.(any, final)
    })
  }, [requestId, field, prefix])

  useEffect(() => {
    if (text === null) return
    if (view.current) view.current.update(text, true)
    else early.current = { text, final: true }
    onTextRef.current?.(text.length > 0, true)
  }, [text])

  return <div ref={ref} className={className} data-testid={testId} />
})
