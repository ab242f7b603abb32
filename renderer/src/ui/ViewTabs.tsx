/**
 * The segmented tab row screens use to switch between their views
 * (History, Models, Compare, Gateway). Each button gets `data-testid`
 * `${testIdPrefix}${id}`.
 */
export function ViewTabs<T extends string>({
  label,
  tabs,
  value,
  onChange,
  disabled = false,
  testIdPrefix,
  className = '',
}: {
  label: string
  tabs: ReadonlyArray<readonly [T, string]>
  value: T
  onChange: (id: T) => void
  disabled?: boolean
  testIdPrefix: string
  className?: string
}) {
  return (
    <div className={`segmented ${className}`.trim()} role="tablist" aria-label={label}>
      {tabs.map(([id, text]) => (
        <button
          key={id}
          role="tab"
          aria-selected={value === id}
          aria-pressed={value === id}
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
