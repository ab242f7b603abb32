import type { MouseEvent } from 'react'

import { useAppStore } from '../lib/store'

/** The prompt box of the Playground (the first pane's, with several). */
const PROMPT = '[data-testid="composer"]'

/**
 * The first Tab stop: straight to the prompt box (on the Playground) or to
 * the screen's content (elsewhere), past the navigation. Shown when focused.
 */
export function SkipLink() {
  const onPlayground = useAppStore((s) => s.screen === 'playground')
  const skip = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault()
    const target = document.querySelector<HTMLElement>(onPlayground ? PROMPT : 'main')
    target?.focus()
  }
  return (
    <a className="skip-link" href={onPlayground ? '#prompt' : '#main'} onClick={skip} data-testid="skip-link">
      {onPlayground ? 'Skip to the prompt' : 'Skip to the content'}
    </a>
  )
}
