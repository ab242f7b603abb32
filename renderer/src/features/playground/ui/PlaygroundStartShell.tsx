import { ScreenHeader } from '../../../ui/ScreenHeader'
import { ComposerView } from './ComposerView'

/**
 * The playground as index.html's start shell shows it before any script has run (app/StartShell.tsx): the screen's
 * header and the first pane's empty message box, where PlaygroundScreen puts them, the parameters column's place kept.
 */
export function PlaygroundStartShell({ title, subtitle }: { title: string; subtitle: string }) {
  return (
    <section className="pg-screen">
      <ScreenHeader title={title} subtitle={subtitle} />
      <div className="pg-body">
        <div className="pg-panes pg-panes-1">
          <div className="pg-pane" data-testid="pane-0">
            <div className="pg-scroll" />
            <ComposerView text="" running={false} hasMessages={false} compact={false} />
          </div>
        </div>
        <aside className="pg-side" aria-hidden />
      </div>
    </section>
  )
}
