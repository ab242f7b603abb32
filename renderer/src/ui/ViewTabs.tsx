import type { KeyboardEvent, ReactNode } from 'react'

/**
 * The segmented tab row screens use to switch between their views
 * (History, Models, Compare, Gateway, View code). Each button gets
 * `data-testid` `${testIdPrefix}${id}`.
 *
 * The WAI-ARIA tabs pattern: one Tab stop (the selected tab, roving
 * tabindex); the arrow keys, Home and End move between tabs and select
 * the one they land on. Wrap the view in <TabPanel> with the same
 * `testIdPrefix` so the tabs and their panel name each other.
 */
export function ViewTabs<T extends string>({
  label,
  tabs,
  value,
  onChange,
  disabled = false,
  testIdPrefix,
  className = '',
  tabClassName,
}: {
  label: string
  tabs: ReadonlyArray<readonly [T, string]>
  value: T
  onChange: (id: T) => void
  disabled?: boolean
  testIdPrefix: string
  className?: string
  /** Classes for one tab (e.g. buttons styled as primary when selected); the segmented look when absent. */
  tabClassName?: (id: T, selected: boolean) => string
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex(([id]) => id === value)
    const next = nextTabIndex(e.key, at, tabs.length)
    if (next === null || disabled) return
    e.preventDefault()
    onChange(tabs[next][0])
    e.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')[next]?.focus()
  }
  return (
    <div className={`${tabClassName ? '' : 'segmented '}${className}`.trim()} role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map(([id, text]) => (
        <button
          key={id}
          id={tabId(testIdPrefix, id)}
          type="button"
          role="tab"
          className={tabClassName?.(id, value === id)}
          aria-selected={value === id}
          aria-controls={value === id ? panelId(testIdPrefix) : undefined}
          tabIndex={value === id ? 0 : -1}
          disabled={disabled}
          onClick={() => onChange(id)}
          data-testid={`${testIdPrefix}${id}`}
        >
          {text}
        </button>
      ))}
    </div>
  )
}

/** The view the selected tab of the <ViewTabs> with this `testIdPrefix` shows. */
export function TabPanel({ testIdPrefix, value, className, children }: { testIdPrefix: string; value: string; className?: string; children: ReactNode }) {
  return (
    <div role="tabpanel" id={panelId(testIdPrefix)} aria-labelledby={tabId(testIdPrefix, value)} className={className}>
      {children}
    </div>
  )
}

/** Where an arrow key, Home or End moves from tab `at` of `count` (wrapping round), or null for any other key. */
export function nextTabIndex(key: string, at: number, count: number): number | null {
  if (count === 0) return null
  if (key === 'ArrowRight' || key === 'ArrowDown') return (at + 1) % count
  if (key === 'ArrowLeft' || key === 'ArrowUp') return (at - 1 + count) % count
  if (key === 'Home') return 0
  if (key === 'End') return count - 1
  return null
}

const tabId = (prefix: string, id: string) => `${prefix}${id}-tab`
const panelId = (prefix: string) => `${prefix}panel`
