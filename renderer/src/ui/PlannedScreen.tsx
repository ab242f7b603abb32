import { Icon, type IconName } from './Icon'
import { ScreenHeader } from './ScreenHeader'

interface Props {
  title: string
  subtitle: string
  icon: IconName
  /** What the finished screen will do, one line each. */
  plans: string[]
}

/**
 * A screen that is not built yet says so plainly, and shows what it will do,
 * instead of a blank page or a fake one.
 */
export function PlannedScreen({ title, subtitle, icon, plans }: Props) {
  return (
    <section className="screen">
      <ScreenHeader title={title} subtitle={subtitle} actions={<span className="badge warn">Not built yet</span>} />
      <div className="upcoming">
        <div className="card">
          <h2 className="row">
            <Icon name={icon} /> This screen is still to come
          </h2>
          <p className="card-sub">It is planned for an upcoming release of Wafer Console. When it lands it will:</p>
          <ul>
            {plans.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
        <div className="preview" aria-hidden>
          <div className="skeleton" style={{ width: '40%', height: 14 }} />
          <div className="skeleton" style={{ width: '92%' }} />
          <div className="skeleton" style={{ width: '85%' }} />
          <div className="skeleton" style={{ width: '64%' }} />
          <div className="skeleton" style={{ width: '100%', height: 120, marginTop: 18 }} />
          <div className="skeleton" style={{ width: '30%' }} />
        </div>
      </div>
    </section>
  )
}
