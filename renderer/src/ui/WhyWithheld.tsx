import './why-withheld.css'

/**
 * The reason a figure shows "—", inside its chip: visually hidden but read
 * after the dash, and shown while the chip (which carries `has-why`, a
 * tabIndex and the same words in its title) has focus.
 */
export function WhyWithheld({ why }: { why: string }) {
  return (
    <span className="why-withheld" data-testid="why-withheld">
      {' '}
      {why}
    </span>
  )
}
