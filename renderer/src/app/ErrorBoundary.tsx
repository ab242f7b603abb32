import { Component, type ReactNode } from 'react'

import { Icon } from '../ui/Icon'

interface Props {
  /** Shown in the message, e.g. the screen's name. */
  label: string
  children: ReactNode
}

interface State {
  error: Error | null
}

/** One per screen: a crash in one screen leaves the navigation and the others working. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override componentDidCatch(error: Error) {
    console.error(`The ${this.props.label} screen crashed:`, error)
  }

  override render() {
    if (!this.state.error) return this.props.children
    return (
      <div className="error-panel card" role="alert">
        <h2 className="row">
          <Icon name="warning" /> The {this.props.label} screen hit an error
        </h2>
        <p className="card-sub">The rest of the app still works. Nothing you saved is lost.</p>
        <pre>{this.state.error.message}</pre>
        <button className="btn" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    )
  }
}
